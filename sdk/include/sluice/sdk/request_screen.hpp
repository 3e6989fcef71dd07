#pragma once

// SDK ABI 1.2: a route family's say on a request before the host authenticates it.
// SDK ABI 2.4: AcceptsCustomerUsernames, the routes where a customer's username may stand in for
// a Pool key.

#include <optional>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::sdk {

/// Optional: a RouteFamily that also derives from this screens every request to its routes
/// before the host authenticates it, e.g. the Host header against an allow-list.
class SLUICE_SDK_API ScreensRequests {
public:
    virtual ~ScreensRequests() = default;
    /// The error to answer (through the family's sendError) instead of serving a request with
    /// these headers, or nullopt. Called concurrently from request threads; must not block.
    virtual std::optional<ErrorInfo> screen(const Headers& headers) const noexcept = 0;
};

/// Optional (SDK ABI 2.4): a RouteFamily that also derives from this lets the host accept, on
/// the Pool-key routes it names, a customer's username as the bearer, for the customers an
/// operator opted in (seed 002's compatibility switch, CustomerBearerRepository). The host then
/// authenticates the request as one of that customer's active wallet keys. A username is weaker
/// than a key: name read-only routes only. Called concurrently; must not block.
class SLUICE_SDK_API AcceptsCustomerUsernames {
public:
    virtual ~AcceptsCustomerUsernames() = default;
    /// Whether the route with this RouteSpec::operation accepts a username.
    virtual bool acceptsCustomerUsername(std::string_view operation) const noexcept = 0;
};

}  // namespace sluice::sdk

#pragma once

// SDK ABI 1.2: a route family's say on a request before the host authenticates it.

#include <optional>

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

}  // namespace sluice::sdk

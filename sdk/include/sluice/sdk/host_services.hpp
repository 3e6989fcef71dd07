#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/http.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::sdk {

/// Injected time, so tests never sleep on the wall clock. Thread-safe.
class SLUICE_SDK_API Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() const noexcept = 0;
    virtual std::chrono::steady_clock::time_point steadyNow() const noexcept = 0;
};

/// Injected randomness (seeded in tests). Thread-safe.
class SLUICE_SDK_API Random {
public:
    virtual ~Random() = default;
    virtual std::uint64_t next() noexcept = 0;
};

/// A request to an arbitrary HTTP(S) URL (e.g. an upstream's upload URL), without any account
/// credentials added.
struct HttpCall {
    std::string method = "GET";
    std::string url;
    Headers headers;
    std::string_view body;  ///< must stay valid during the call
    std::chrono::milliseconds timeout{30'000};
};

struct HttpReply {
    int status = 0;
    Headers headers;
    std::string body;
};

/// Plain HTTP client. Thread-safe; blocks the calling thread (request threads only, never a
/// strategy). Unavailable when the target cannot be reached or answers too slowly.
class SLUICE_SDK_API HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual Result<HttpReply> send(const HttpCall& call) noexcept = 0;
};

/// What the host lends every plugin. Host owns it; it outlives every object a factory returns.
class SLUICE_SDK_API HostServices {
public:
    virtual ~HostServices() = default;

    /// A logger whose lines carry `component=<component>`.
    virtual Logger& logger(std::string_view component) = 0;
    virtual Metrics& metrics() = 0;
    virtual const Clock& clock() = 0;
    virtual Random& random() = 0;
    virtual HttpClient& httpClient() = 0;
};

}  // namespace sluice::sdk

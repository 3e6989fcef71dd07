#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"

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

/// What the host lends every plugin. Host owns it; it outlives every object a factory returns.
class SLUICE_SDK_API HostServices {
public:
    virtual ~HostServices() = default;

    /// A logger whose lines carry `component=<component>`.
    virtual Logger& logger(std::string_view component) = 0;
    virtual Metrics& metrics() = 0;
    virtual const Clock& clock() = 0;
    virtual Random& random() = 0;
};

}  // namespace sluice::sdk

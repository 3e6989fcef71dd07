#pragma once

// SDK ABI 2.8: whether the gateway is draining, for route families holding long-lived streams.

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

/// Optional: a Gateway that also derives from this says whether the gateway is shutting down.
/// A family serving a stream that only it can end (one not relayed from upstream, e.g. a live
/// view of the host's own records) ends it once draining() is true, so shutdown does not wait
/// for it.
class SLUICE_SDK_API KnowsDraining {
public:
    virtual ~KnowsDraining() = default;
    /// True once shutdown began. Any thread; never blocks.
    virtual bool draining() const noexcept = 0;
};

}  // namespace sluice::sdk

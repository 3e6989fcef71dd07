#pragma once

// SDK ABI 2.0: which account owns an upstream file, answered from the host's memory.

#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

/// Optional: a Gateway that also derives from this says which account of the caller's pool
/// owns an upstream file. The host keeps the owners in memory (recorded when a file is
/// registered, loaded from storage at start), so the answer never waits on storage.
class SLUICE_SDK_API KnowsFileOwners {
public:
    virtual ~KnowsFileOwners() = default;
    /// The owning account's id; nullopt when the caller's pool has no such unexpired file.
    /// Request thread; never blocks.
    virtual std::optional<std::string> fileOwner(std::string_view file_id) noexcept = 0;
};

}  // namespace sluice::sdk

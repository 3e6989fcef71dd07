#pragma once

// SDK ABI 1.4: managed coding projects (route-appserver), kept by storage backends that offer
// them and lent to route families by hosts that have such a backend. Both are optional
// capabilities found with dynamic_cast, so no released interface changes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/status.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

/// Token counts of a Codex thread, as `thread/tokenUsage/updated` reports them.
struct ProjectTokens {
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t reasoning_tokens = 0;
    std::uint64_t total_tokens = 0;
};

/// A managed coding project: one stable workspace directory, owned by one Pool API key.
struct ProjectRecord {
    std::string id;         ///< "prj_<hex>", unique
    std::string owner_key;  ///< the owning Pool API key's prefix (Principal::id)
    std::string name;
    std::string client_owner;  ///< the client's own user id (`ownerId`), informational
    std::string template_name;
    std::string workspace;  ///< absolute path of the workspace directory
    std::string thread_id;  ///< the latest Codex thread of the workspace; empty before open
    /// The turn running on `thread_id` when last seen; a gateway that starts and finds one
    /// knows it died with its predecessor. Empty when none.
    std::string active_turn_id;
    /// The thread total last accounted for `thread_id`; deltas against it are what is new.
    ProjectTokens accounted_snapshot;
    /// Every accounted delta of every thread of the project, summed.
    ProjectTokens accounted_total;
    std::uint64_t turns = 0;  ///< turns that ended (any outcome)
    TimePoint created_at{};
    TimePoint updated_at{};
};

/// Projects by id and by owner. Thread-safe; may block; never called on a routing path.
class SLUICE_SDK_API ProjectRepository {
public:
    virtual ~ProjectRepository() = default;
    /// AlreadyExists when the id is taken.
    virtual Status create(const ProjectRecord& project) noexcept = 0;
    /// Replaces every field but id, owner_key and created_at; NotFound when absent.
    virtual Status update(const ProjectRecord& project) noexcept = 0;
    virtual Result<ProjectRecord> get(std::string_view id) noexcept = 0;
    /// The projects of one owner, ordered by creation time, then id.
    virtual Result<std::vector<ProjectRecord>> list(std::string_view owner_key) noexcept = 0;
    /// Every project of every owner, in the same order.
    virtual Result<std::vector<ProjectRecord>> listAll() noexcept = 0;
    virtual Status remove(std::string_view id) noexcept = 0;  ///< NotFound
};

/// Optional: a StorageBackend that also derives from this keeps projects. Thread-safe; the
/// repository is owned by the backend and lives as long as it does.
class SLUICE_SDK_API StoresProjects {
public:
    virtual ~StoresProjects() = default;
    virtual ProjectRepository& projects() noexcept = 0;
};

/// Optional: a HostServices that also derives from this lends its storage's projects to route
/// families (nullptr when the configured backend keeps none). Thread-safe; owned by the host.
class SLUICE_SDK_API HostProjects {
public:
    virtual ~HostProjects() = default;
    virtual ProjectRepository* projectRepository() noexcept = 0;
};

}  // namespace sluice::sdk

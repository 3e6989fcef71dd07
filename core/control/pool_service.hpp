#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/control/control_context.hpp"
#include "core/runtime/directory.hpp"

namespace sluice::core::control {

struct PoolSpec {
    std::string name;
    std::optional<std::string> strategy;  ///< defaults to the pipeline's only strategy
    std::uint32_t ring_size = 3;
    bool sticky_sessions = true;
};

/// Changes to a stored pool; unset fields stay as they are.
struct PoolChange {
    std::optional<std::string> strategy;
    std::optional<std::uint32_t> ring_size;
    std::optional<bool> sticky_sessions;
};

/// Pools: the pipeline's declarations plus pools created at run time and kept in storage.
class PoolService final {
public:
    explicit PoolService(ControlContext& context) : context_(context) {}

    sdk::Result<std::vector<runtime::PoolEntry>> list() const;
    sdk::Result<runtime::PoolEntry> find(const std::string& name) const;
    sdk::Result<runtime::PoolEntry> create(const PoolSpec& spec, const Actor& actor);
    /// Only stored pools can be changed here; declared ones change in the pipeline file.
    sdk::Result<runtime::PoolEntry> update(const std::string& name, const PoolChange& change,
                                           const Actor& actor);
    /// Only stored pools can be removed, and only when no account or key uses them.
    sdk::Status remove(const std::string& name, const Actor& actor);

private:
    ControlContext& context_;
};

/// Lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 63 chars.
bool isValidName(const std::string& name);

}  // namespace sluice::core::control

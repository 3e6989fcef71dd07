#pragma once

// The environment of a Codex CLI child. Nothing of the gateway's own environment is inherited
// except a short allow-list (so SLUICE_SECRET_KEY and friends never reach a child); callers may
// add variables, but never ones that change how the child loads or finds code, or which
// credential and home it uses.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::plugins::common {

/// Why `name` may not be set by a caller, or nullopt when it may. A table: exact names
/// (PATH, CODEX_HOME, NODE_OPTIONS, ...) and prefixes (LD_, DYLD_, SLUICE_, ...).
std::optional<std::string> refusedVariable(std::string_view name);

/// Whether `name` is a valid variable name ([A-Za-z_][A-Za-z0-9_]*).
bool validVariableName(std::string_view name);

/// Builds a child environment: inherited allow-listed variables first, then set() entries
/// (later ones win). Not thread-safe; build one per child.
class ChildEnvironment final {
public:
    /// Copies `names` (plus PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, USER) from the gateway's
    /// environment when present.
    explicit ChildEnvironment(const std::vector<std::string>& names = {});

    void set(const std::string& name, const std::string& value) { vars_[name] = value; }
    /// "NAME=value" entries for ChildSpec::env.
    std::vector<std::string> entries() const;

private:
    std::map<std::string, std::string> vars_;
};

}  // namespace sluice::plugins::common

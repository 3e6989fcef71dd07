#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/config/config_issue.hpp"
#include "core/config/config_tree.hpp"

namespace sluice::core::config {

/// Looks up an environment variable; injectable so tests need not touch the process env.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

EnvLookup processEnvironment();

/// Parses YAML text into a ConfigTree, resolving secret references on the way:
/// `key#env: NAME` becomes `key` with the variable's value, `key#file: PATH` the file's content
/// (trailing newline trimmed); both are marked secret. Problems are appended to `issues`;
/// returns nullptr only when the text is not YAML at all.
ConfigTree::Ptr readYaml(const std::string& text, const EnvLookup& env, ConfigIssues& issues);

/// Reads and parses a file (same rules); a missing file is reported as an issue.
ConfigTree::Ptr readYamlFile(const std::filesystem::path& path, const EnvLookup& env,
                             ConfigIssues& issues);

}  // namespace sluice::core::config

#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_runner {

/// A trigger document on disk: `{"version":1,"updated_at":…,"triggers":[…]}` (pretty JSON,
/// 0600). A file holding a bare array is read too. Missing file: no triggers.
sdk::Result<nlohmann::json> readTriggerFile(const std::filesystem::path& file);
sdk::Status writeTriggerFile(const std::filesystem::path& file, const nlohmann::json& triggers,
                             const std::string& updated_at);

/// `requested` (a `trigger_file` query value; empty: `default_file`) as a path inside `dir`:
/// InvalidArgument when it would leave it (`..`, absolute elsewhere, symlinks out).
sdk::Result<std::filesystem::path> triggerFileIn(const std::filesystem::path& dir,
                                                 const std::string& default_file,
                                                 const std::string& requested);

/// Fills a trigger record's defaults (id, title, enabled, tags, created_at) and checks it:
/// `prompt_text` (or `prompt`) and a valid schedule. InvalidArgument names the problem.
sdk::Status normaliseTrigger(nlohmann::json& trigger, const std::string& new_id,
                             const std::string& now);

}  // namespace sluice::plugins::route_runner

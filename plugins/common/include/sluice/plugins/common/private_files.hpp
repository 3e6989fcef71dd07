#pragma once

// Files only the gateway's user may read: session logs, CODEX_HOME configs, trigger files.
// Directories are created 0700 and files 0600 whatever the process umask says.

#include <filesystem>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

/// Creates `dir` and its missing parents with mode 0700 (existing ones keep their mode).
sdk::Status makePrivateDirectory(const std::filesystem::path& dir);

/// Replaces `file` atomically (write to a sibling, fsync, rename) with mode 0600.
sdk::Status writePrivateFile(const std::filesystem::path& file, std::string_view content);

/// Appends to `file`, creating it with mode 0600.
sdk::Status appendPrivateFile(const std::filesystem::path& file, std::string_view content);

/// The whole file, or NotFound when it cannot be read.
sdk::Result<std::string> readWholeFile(const std::filesystem::path& file);

}  // namespace sluice::plugins::common

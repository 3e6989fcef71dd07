#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "reply.hpp"

namespace sluice::plugins::route_appserver {

/// Limits of the files/* routes.
struct FileLimits {
    std::uint64_t max_file_bytes = 0;
    std::size_t max_tree_entries = 0;
    int max_tree_depth = 0;
};

/// A project's workspace as the files/* routes see it: every path is relative to the root and
/// must stay inside it once symlinks are resolved (400 otherwise); reads and writes are size
/// capped; files that are not UTF-8 text are reported as binary, never dumped. Stateless;
/// any thread.
class WorkspaceFiles final {
public:
    WorkspaceFiles(std::filesystem::path root, FileLimits limits);

    /// {path, size, binary:false, encoding:"utf-8", content} or {path, size, binary:true}.
    Reply read(std::string_view path) const;
    /// Creates or replaces a file (parents created); {path, size}.
    Reply write(std::string_view path, std::string_view content) const;
    /// {path, entries:[{path, type, size?}], truncated, nextCursor}: entries below `path` (""
    /// for the root) sorted by path, at most `depth` levels deep and `limit` per page, starting
    /// after `cursor` (a path of the previous page). Symlinks are listed, never followed.
    Reply tree(std::string_view path, int depth, std::size_t limit, std::string_view cursor) const;

    /// The absolute path `relative` names inside the workspace, symlinks resolved; an error
    /// when it is empty, absolute, or resolves outside the root.
    std::variant<std::filesystem::path, sdk::ErrorInfo> confine(std::string_view relative,
                                                                bool allow_root) const;

private:
    std::filesystem::path root_;
    FileLimits limits_;
};

/// Whether bytes read as text: valid UTF-8 without NUL.
bool isText(std::string_view bytes);

}  // namespace sluice::plugins::route_appserver

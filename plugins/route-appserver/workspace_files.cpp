#include "workspace_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "sluice/plugins/common/workspace_roots.hpp"

namespace sluice::plugins::route_appserver {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string relativeTo(const fs::path& root, const fs::path& path) {
    return path.lexically_relative(root).generic_string();
}

const char* typeOf(const fs::file_status& status) {
    if (fs::is_symlink(status)) {
        return "symlink";
    }
    if (fs::is_directory(status)) {
        return "directory";
    }
    return fs::is_regular_file(status) ? "file" : "other";
}

struct TreeEntry {
    std::string path;
    const char* type;
    std::uintmax_t size;
};

void walk(const fs::path& root, const fs::path& directory, int depth_left,
          std::vector<TreeEntry>& out) {
    std::error_code error;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
        const fs::file_status status = it->symlink_status(error);
        if (error) {
            continue;
        }
        const char* type = typeOf(status);
        std::uintmax_t size = 0;
        if (fs::is_regular_file(status)) {
            size = it->file_size(error);
        }
        out.push_back({relativeTo(root, it->path()), type, error ? 0 : size});
        if (fs::is_directory(status) && depth_left > 1) {
            walk(root, it->path(), depth_left - 1, out);
        }
    }
}

}  // namespace

bool isText(std::string_view bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0) {
            return false;
        }
        int follow = 0;
        if (c < 0x80) {
            follow = 0;
        } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
            follow = 1;
        } else if ((c & 0xF0) == 0xE0) {
            follow = 2;
        } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
            follow = 3;
        } else {
            return false;
        }
        if (follow > 0 && i + follow >= bytes.size()) {
            return false;  // a sequence cut short
        }
        for (int k = 1; k <= follow; ++k) {
            if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += follow + 1;
    }
    return true;
}

WorkspaceFiles::WorkspaceFiles(fs::path root, FileLimits limits)
    : root_(std::move(root)), limits_(limits) {}

std::variant<fs::path, sdk::ErrorInfo> WorkspaceFiles::confine(std::string_view relative,
                                                               bool allow_root) const {
    if (relative.find('\0') != std::string_view::npos) {
        return badRequest("path must not contain NUL", "path", "invalid_path");
    }
    if (relative.empty() || relative == "." || relative == "/") {
        if (allow_root) {
            std::error_code error;
            return fs::canonical(root_, error);
        }
        return badRequest("path names no file", "path", "invalid_path");
    }
    const fs::path asked(relative);
    if (asked.is_absolute()) {
        return badRequest("path must be relative to the workspace", "path",
                          "path_outside_workspace");
    }
    std::error_code error;
    const fs::path root = fs::canonical(root_, error);
    if (error) {
        return notFound("the project's workspace is missing", "workspace_missing");
    }
    const fs::path resolved = fs::weakly_canonical(root / asked, error);
    if (error || !common::isWithin(resolved, root)) {
        return badRequest("path leaves the workspace", "path", "path_outside_workspace");
    }
    return resolved;
}

Reply WorkspaceFiles::read(std::string_view path) const {
    auto confined = confine(path, false);
    if (auto* failure = std::get_if<sdk::ErrorInfo>(&confined)) {
        return *failure;
    }
    const fs::path& file = std::get<fs::path>(confined);
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
        return notFound("no file at '" + std::string(path) + "'", "file_not_found");
    }
    const std::uintmax_t size = fs::file_size(file, error);
    if (error) {
        return notFound("no file at '" + std::string(path) + "'", "file_not_found");
    }
    if (size > limits_.max_file_bytes) {
        return tooLarge("the file is " + std::to_string(size) + " bytes; at most " +
                        std::to_string(limits_.max_file_bytes) + " are served");
    }
    std::ifstream in(file, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    json body{{"path", relativeTo(std::get<fs::path>(confine("", true)), file)},
              {"size", bytes.size()}};
    if (!isText(bytes)) {
        body["binary"] = true;
        return body;
    }
    body["binary"] = false;
    body["encoding"] = "utf-8";
    body["content"] = std::move(bytes);
    return body;
}

Reply WorkspaceFiles::write(std::string_view path, std::string_view content) const {
    if (content.size() > limits_.max_file_bytes) {
        return tooLarge("the content is " + std::to_string(content.size()) + " bytes; at most " +
                        std::to_string(limits_.max_file_bytes) + " are accepted");
    }
    auto confined = confine(path, false);
    if (auto* failure = std::get_if<sdk::ErrorInfo>(&confined)) {
        return *failure;
    }
    const fs::path& file = std::get<fs::path>(confined);
    std::error_code error;
    if (fs::is_directory(file, error)) {
        return badRequest("path names a directory", "path", "is_a_directory");
    }
    fs::create_directories(file.parent_path(), error);
    if (error) {
        return badRequest("cannot create the file's directory", "path", "invalid_path");
    }
    // O_NOFOLLOW: a symlink planted after the check is refused, not followed outside.
    const int fd =
        ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        return badRequest("cannot write the file", "path", "invalid_path");
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n <= 0) {
            ::close(fd);
            return unavailable("writing the file failed", "write_failed");
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return json{{"path", relativeTo(std::get<fs::path>(confine("", true)), file)},
                {"size", content.size()}};
}

Reply WorkspaceFiles::tree(std::string_view path, int depth, std::size_t limit,
                           std::string_view cursor) const {
    auto confined = confine(path, true);
    if (auto* failure = std::get_if<sdk::ErrorInfo>(&confined)) {
        return *failure;
    }
    const fs::path& start = std::get<fs::path>(confined);
    std::error_code error;
    if (!fs::is_directory(start, error)) {
        return notFound("no directory at '" + std::string(path) + "'", "directory_not_found");
    }
    const fs::path root = std::get<fs::path>(confine("", true));
    std::vector<TreeEntry> entries;
    walk(root, start, std::clamp(depth, 1, limits_.max_tree_depth), entries);
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
    const std::size_t page = std::clamp<std::size_t>(limit, 1, limits_.max_tree_entries);
    json listed = json::array();
    std::string last;
    bool more = false;
    for (const TreeEntry& entry : entries) {
        if (!cursor.empty() && entry.path <= cursor) {
            continue;
        }
        if (listed.size() >= page) {
            more = true;
            break;
        }
        json item{{"path", entry.path}, {"type", entry.type}};
        if (std::string_view(entry.type) == "file") {
            item["size"] = entry.size;
        }
        listed.push_back(std::move(item));
        last = entry.path;
    }
    return json{{"path", relativeTo(root, start).empty() || relativeTo(root, start) == "."
                             ? ""
                             : relativeTo(root, start)},
                {"entries", std::move(listed)},
                {"truncated", more},
                {"nextCursor", more ? json(last) : json()}};
}

}  // namespace sluice::plugins::route_appserver

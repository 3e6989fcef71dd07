#include "sluice/plugins/common/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice::plugins::common {

namespace {

sdk::Status failure(const std::string& what, const std::filesystem::path& path) {
    return {sdk::StatusCode::Unavailable, what + " " + path.string() + ": " + std::strerror(errno)};
}

bool writeAll(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

sdk::Status makePrivateDirectory(const std::filesystem::path& dir) {
    std::filesystem::path partial;
    for (const auto& part : dir) {
        partial /= part;
        if (partial.empty() || partial == partial.root_path()) {
            continue;
        }
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
            return failure("cannot create directory", partial);
        }
    }
    return sdk::Status::success();
}

sdk::Status writePrivateFile(const std::filesystem::path& file, std::string_view content) {
    const std::filesystem::path temp = file.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return failure("cannot write", temp);
    }
    ::fchmod(fd, 0600);
    const bool written = writeAll(fd, content) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temp.c_str(), file.c_str()) != 0) {
        const sdk::Status status = failure("cannot write", file);
        ::unlink(temp.c_str());
        return status;
    }
    return sdk::Status::success();
}

sdk::Status appendPrivateFile(const std::filesystem::path& file, std::string_view content) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return failure("cannot append to", file);
    }
    const bool written = writeAll(fd, content);
    ::close(fd);
    return written ? sdk::Status::success() : failure("cannot append to", file);
}

sdk::Result<std::string> readWholeFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return sdk::Status(sdk::StatusCode::NotFound, "cannot read " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace sluice::plugins::common

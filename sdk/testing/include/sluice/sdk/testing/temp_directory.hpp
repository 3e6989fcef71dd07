#pragma once

#include <filesystem>
#include <string>

namespace sluice::sdk::testing {

/// A fresh, uniquely named directory under the system temp directory (honours TMPDIR), removed
/// with everything in it on destruction. Throws std::system_error when it cannot be created.
/// Owned by one test; not copyable.
class TempDirectory final {
public:
    explicit TempDirectory(const std::string& prefix = "sluice-test");
    ~TempDirectory();

    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace sluice::sdk::testing

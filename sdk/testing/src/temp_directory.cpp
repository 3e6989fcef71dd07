#include "sluice/sdk/testing/temp_directory.hpp"

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <vector>

namespace sluice::sdk::testing {

TempDirectory::TempDirectory(const std::string& prefix) {
    const std::string pattern =
        (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = buffer.data();
}

TempDirectory::~TempDirectory() {
    // Best effort: a test that failed half-way must not turn cleanup into a second failure.
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace sluice::sdk::testing

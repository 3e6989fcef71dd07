#pragma once

// Shared by the loader tests: where the fixture plugins are, a scratch directory, and the text
// of a refusal.

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_loader.hpp"

namespace sluice::tests::loader {

namespace fs = std::filesystem;

/// The build tree's fixture directory (set by tests/loader/CMakeLists.txt).
inline fs::path fixtureDir() {
    return fs::path(SLUICE_FIXTURE_DIR);
}

/// Absolute path of fixture `name`, e.g. "fixture-valid" -> .../libsluice-fixture-valid.so.
inline fs::path fixturePath(const std::string& name) {
    return fixtureDir() / core::plugin::PluginLoader::fileNameFor(name);
}

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir final {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "sluice-loader-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
        }
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const noexcept { return path_; }

    /// Copies fixture `name` in under its own file name (or `as`); returns the copy's path.
    fs::path copyFixture(const std::string& name, const std::string& as = {}) const {
        const fs::path target =
            path_ / core::plugin::PluginLoader::fileNameFor(as.empty() ? name : as);
        fs::copy_file(fixturePath(name), target);
        return target;
    }

private:
    fs::path path_;
};

/// The PluginError text of loading `path`, or "(loaded)" when the loader accepted it.
inline std::string refusalOf(core::plugin::PluginLoader& loader, const fs::path& path) {
    try {
        loader.loadFile(path);
    } catch (const core::plugin::PluginError& e) {
        return e.what();
    }
    return "(loaded)";
}

}  // namespace sluice::tests::loader

#pragma once

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <string>

namespace sluice::core::plugin {

/// One plugin library, loaded for the life of the process. Everything created from its
/// factories holds a LibraryHandle, so the code behind a live object is never unmapped.
class LoadedLibrary final {
public:
    /// A library opened from disk.
    LoadedLibrary(boost::dll::shared_library library, std::string path, std::string name,
                  std::string version);
    /// A plugin linked into the host binary ("builtin"); `path` reads "builtin:<name>".
    LoadedLibrary(std::string name, std::string version);

    const std::string& path() const noexcept { return path_; }
    const std::string& name() const noexcept { return name_; }
    const std::string& version() const noexcept { return version_; }

private:
    boost::dll::shared_library library_;
    std::string path_;
    std::string name_;
    std::string version_;
};

using LibraryHandle = std::shared_ptr<const LoadedLibrary>;

/// Wraps an object made by plugin code so its deleter keeps the library loaded until the object
/// is gone (Boost.DLL does not do this for objects a factory returns).
template <class T>
std::shared_ptr<T> keepLibraryAlive(std::unique_ptr<T> object, LibraryHandle library) {
    return std::shared_ptr<T>(object.release(),
                              [library = std::move(library)](T* raw) { delete raw; });
}

}  // namespace sluice::core::plugin

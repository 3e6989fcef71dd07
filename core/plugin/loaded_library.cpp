#include "core/plugin/loaded_library.hpp"

#include <utility>

namespace sluice::core::plugin {

LoadedLibrary::LoadedLibrary(boost::dll::shared_library library, std::string path, std::string name,
                             std::string version)
    : library_(std::move(library)),
      path_(std::move(path)),
      name_(std::move(name)),
      version_(std::move(version)) {}

LoadedLibrary::LoadedLibrary(std::string name, std::string version)
    : path_("builtin:" + name), name_(std::move(name)), version_(std::move(version)) {}

}  // namespace sluice::core::plugin

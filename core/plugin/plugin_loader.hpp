#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/abi.hpp"

namespace sluice::core::plugin {

/// A plugin compiled into the host binary, registered through the same code path.
struct BuiltinPlugin {
    std::string name;  ///< as listed in `plugins.load`, e.g. "storage-sqlite"
    SluiceRegisterFn register_factories;
};

/// Opens plugin libraries (rtld_now | rtld_local, never unloaded), checks the handshake and
/// hands their factories to the registry. Every refusal is a PluginError naming the file.
class PluginLoader final {
public:
    PluginLoader(std::vector<std::filesystem::path> search_paths, PluginRegistry& registry,
                 std::vector<BuiltinPlugin> builtins = {});

    /// Loads "<kind>-<name>" from a builtin or from lib sluice-<kind>-<name>.so in the search
    /// paths.
    void load(const std::string& plugin_name);
    /// Loads one library file.
    void loadFile(const std::filesystem::path& path);

    /// Where `plugin_name` would be loaded from; empty when it is nowhere to be found.
    std::filesystem::path locate(const std::string& plugin_name) const;
    const std::vector<std::filesystem::path>& searchPaths() const noexcept { return search_paths_; }

    static std::string fileNameFor(const std::string& plugin_name);

private:
    void registerLibrary(const LibraryHandle& library, SluiceRegisterFn register_factories);

    std::vector<std::filesystem::path> search_paths_;
    PluginRegistry& registry_;
    std::vector<BuiltinPlugin> builtins_;
};

/// Default search paths for a host binary at `executable`: <exe dir>/../plugins (build tree)
/// and <exe dir>/../lib/sluice/plugins (installed tree).
std::vector<std::filesystem::path> defaultPluginPaths(const std::filesystem::path& executable);

}  // namespace sluice::core::plugin

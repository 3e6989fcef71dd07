#include "core/plugin/plugin_loader.hpp"

#include <sys/stat.h>

#include <array>
#include <boost/dll/shared_library.hpp>
#include <boost/system/system_error.hpp>
#include <cstring>

#include "core/plugin/plugin_error.hpp"

namespace sluice::core::plugin {

namespace {

constexpr std::size_t kErrorBufferSize = 512;

std::string abiText(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// Boost.DLL folds dlerror() into its exception text as
// "...load() failed (dlerror system message: <text>): <errno text>"; keep just <text>, which
// runs to the last ')' (the dynamic loader's own words may contain parentheses too).
std::string dlerrorFrom(const std::string& what) {
    static constexpr std::string_view kMarker = "dlerror system message: ";
    const auto at = what.find(kMarker);
    const auto close = what.rfind(')');
    if (at == std::string::npos || close == std::string::npos || close < at + kMarker.size()) {
        return what;
    }
    const auto begin = at + kMarker.size();
    return what.substr(begin, close - begin);
}

bool isWorldWritable(const std::filesystem::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IWOTH) != 0;
}

// Anyone who can write the file, or drop a file into its directory, could run code in the host.
void refuseWorldWritable(const std::filesystem::path& path) {
    if (isWorldWritable(path)) {
        throw PluginError("plugin " + path.string() + ": refusing a world-writable file");
    }
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(path, ec);
    if (!ec && isWorldWritable(real.parent_path())) {
        throw PluginError("plugin " + path.string() +
                          ": refusing a file in world-writable directory " +
                          real.parent_path().string());
    }
}

}  // namespace

PluginLoader::PluginLoader(std::vector<std::filesystem::path> search_paths,
                           PluginRegistry& registry, std::vector<BuiltinPlugin> builtins)
    : search_paths_(std::move(search_paths)), registry_(registry), builtins_(std::move(builtins)) {}

std::string PluginLoader::fileNameFor(const std::string& plugin_name) {
    return "libsluice-" + plugin_name + ".so";
}

std::filesystem::path PluginLoader::locate(const std::string& plugin_name) const {
    for (const auto& dir : search_paths_) {
        std::filesystem::path candidate = dir / fileNameFor(plugin_name);
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            return candidate;
        }
    }
    return {};
}

void PluginLoader::load(const std::string& plugin_name) {
    for (const BuiltinPlugin& builtin : builtins_) {
        if (builtin.name == plugin_name) {
            auto library = std::make_shared<LoadedLibrary>(plugin_name, "builtin");
            if (registry_.hasLibrary(plugin_name)) {
                throw PluginError("plugin " + library->path() + ": a plugin named '" + plugin_name +
                                  "' is already loaded");
            }
            registerLibrary(library, builtin.register_factories);
            return;
        }
    }
    const std::filesystem::path path = locate(plugin_name);
    if (path.empty()) {
        std::string searched;
        for (const auto& dir : search_paths_) {
            searched += (searched.empty() ? "" : ", ") + dir.string();
        }
        throw PluginError("plugin '" + plugin_name + "' not found: no " + fileNameFor(plugin_name) +
                          " in " + (searched.empty() ? "(no search paths)" : searched));
    }
    loadFile(path);
}

void PluginLoader::loadFile(const std::filesystem::path& path) {
    const std::string where = "plugin " + path.string() + ": ";
    refuseWorldWritable(path);

    boost::dll::shared_library library;
    try {
        library.load(path.string(),
                     boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const boost::system::system_error& e) {
        throw PluginError(where + "cannot load: " + dlerrorFrom(e.what()));
    }
    if (!library.has(SLUICE_PLUGIN_ENTRY_SYMBOL)) {
        throw PluginError(where + "missing entry point " SLUICE_PLUGIN_ENTRY_SYMBOL
                                  " (not a Sluice plugin)");
    }
    const auto entry = library.get<const SluicePluginManifest*()>(SLUICE_PLUGIN_ENTRY_SYMBOL);
    const SluicePluginManifest* manifest = entry();
    if (manifest == nullptr) {
        throw PluginError(where + "entry point returned no manifest");
    }
    if (manifest->struct_size < sizeof(SluicePluginManifest)) {
        throw PluginError(where + "manifest too small: " + std::to_string(manifest->struct_size) +
                          " bytes, need at least " + std::to_string(sizeof(SluicePluginManifest)));
    }
    if (manifest->abi_major != SLUICE_SDK_ABI_MAJOR) {
        throw PluginError(where + "SDK ABI major version mismatch: plugin " +
                          abiText(manifest->abi_major, manifest->abi_minor) + ", host " +
                          abiText(SLUICE_SDK_ABI_MAJOR, SLUICE_SDK_ABI_MINOR));
    }
    if (manifest->abi_minor > SLUICE_SDK_ABI_MINOR) {
        throw PluginError(
            where + "built against SDK ABI " + abiText(manifest->abi_major, manifest->abi_minor) +
            ", newer than the host's " + abiText(SLUICE_SDK_ABI_MAJOR, SLUICE_SDK_ABI_MINOR));
    }
    const std::string fingerprint =
        manifest->build_fingerprint == nullptr ? "" : manifest->build_fingerprint;
    if (fingerprint != SLUICE_SDK_BUILD_FINGERPRINT) {
        throw PluginError(where + "build fingerprint mismatch: plugin \"" + fingerprint +
                          "\", host \"" SLUICE_SDK_BUILD_FINGERPRINT "\"");
    }
    const std::string name = manifest->plugin_name == nullptr ? "" : manifest->plugin_name;
    const std::string version = manifest->plugin_version == nullptr ? "" : manifest->plugin_version;
    if (registry_.hasLibrary(name)) {
        throw PluginError(where + "a plugin named '" + name + "' is already loaded");
    }
    registerLibrary(
        std::make_shared<LoadedLibrary>(std::move(library), path.string(), name, version),
        manifest->register_factories);
}

void PluginLoader::registerLibrary(const LibraryHandle& library,
                                   SluiceRegisterFn register_factories) {
    CollectingRegistrar offered;
    std::array<char, kErrorBufferSize> error{};
    if (register_factories == nullptr) {
        throw PluginError("plugin " + library->path() + ": manifest has no registration function");
    }
    if (register_factories(&offered, error.data(), error.size()) != 0) {
        throw PluginError("plugin " + library->path() + ": registration failed: " + error.data());
    }
    registry_.accept(library, std::move(offered));
}

std::vector<std::filesystem::path> defaultPluginPaths(const std::filesystem::path& executable) {
    const std::filesystem::path dir = executable.parent_path();
    return {dir.parent_path() / "plugins", dir.parent_path() / "lib" / "sluice" / "plugins"};
}

}  // namespace sluice::core::plugin

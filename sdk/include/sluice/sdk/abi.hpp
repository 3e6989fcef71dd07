#pragma once

// The plugin handshake: "C handshake, C++ payload". A plugin exports exactly one extern "C"
// function returning a plain C manifest. The host checks the manifest before it touches any
// C++ type from the plugin.

#include <cstddef>
#include <cstdint>
#include <exception>

#include "sluice/sdk/export.hpp"

#define SLUICE_SDK_ABI_MAJOR 2
#define SLUICE_SDK_ABI_MINOR 8

#define SLUICE_SDK_STRINGIFY_(x) #x
#define SLUICE_SDK_STRINGIFY(x) SLUICE_SDK_STRINGIFY_(x)

#if defined(_LIBCPP_VERSION)
#define SLUICE_SDK_FP_STDLIB "libc++"
#define SLUICE_SDK_FP_CXX11ABI "n/a"
#elif defined(__GLIBCXX__)
#define SLUICE_SDK_FP_STDLIB "libstdc++"
#define SLUICE_SDK_FP_CXX11ABI SLUICE_SDK_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define SLUICE_SDK_FP_STDLIB "unknown"
#define SLUICE_SDK_FP_CXX11ABI "n/a"
#endif

#if defined(_GLIBCXX_DEBUG) || defined(_LIBCPP_DEBUG)
#define SLUICE_SDK_FP_DEBUG "1"
#else
#define SLUICE_SDK_FP_DEBUG "0"
#endif

#if defined(__cpp_rtti) || defined(__GXX_RTTI)
#define SLUICE_SDK_FP_RTTI "1"
#else
#define SLUICE_SDK_FP_RTTI "0"
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define SLUICE_SDK_FP_EXCEPTIONS "1"
#else
#define SLUICE_SDK_FP_EXCEPTIONS "0"
#endif

/// Everything that changes the layout or behaviour of std types across the boundary. Compared
/// exactly by the host: a mismatch is a crash waiting to happen, not a warning.
#define SLUICE_SDK_BUILD_FINGERPRINT                                   \
    "stdlib=" SLUICE_SDK_FP_STDLIB ";cxx11abi=" SLUICE_SDK_FP_CXX11ABI \
    ";debug=" SLUICE_SDK_FP_DEBUG ";rtti=" SLUICE_SDK_FP_RTTI          \
    ";exceptions=" SLUICE_SDK_FP_EXCEPTIONS ";ptr=" SLUICE_SDK_STRINGIFY(__SIZEOF_POINTER__)

/// The name of the single symbol every plugin exports.
#define SLUICE_PLUGIN_ENTRY_SYMBOL "sluice_plugin_manifest_v1"

extern "C" {

/// Registers the plugin's factories into `registrar` (a sluice::sdk::Registrar*). Returns 0 on
/// success; otherwise writes a NUL-terminated reason into `error` (at most `error_size` bytes).
typedef int (*SluiceRegisterFn)(void* registrar, char* error, size_t error_size);

/// Plain C manifest. Fields are only ever appended; `struct_size` tells the host which exist.
struct SluicePluginManifest {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char* build_fingerprint;
    const char* plugin_name;
    const char* plugin_version;
    SluiceRegisterFn register_factories;
};

typedef const SluicePluginManifest* (*SluicePluginEntryFn)();
}

namespace sluice::sdk {
class Registrar;

namespace detail {

inline void copyError(const char* message, char* error, size_t error_size) noexcept {
    if (error == nullptr || error_size == 0) {
        return;
    }
    size_t i = 0;
    for (; message[i] != '\0' && i + 1 < error_size; ++i) {
        error[i] = message[i];
    }
    error[i] = '\0';
}

/// Runs the plugin's C++ registration behind the C boundary: no exception escapes it.
template <void (*Register)(Registrar&)>
int registerTrampoline(void* registrar, char* error, size_t error_size) noexcept {
    try {
        Register(*static_cast<Registrar*>(registrar));
        return 0;
    } catch (const std::exception& e) {
        copyError(e.what(), error, error_size);
    } catch (...) {
        copyError("unknown exception", error, error_size);
    }
    return 1;
}

}  // namespace detail
}  // namespace sluice::sdk

/// Defines the plugin entry point. `register_fn` is `void fn(sluice::sdk::Registrar&)`; it may
/// throw, and the host refuses the plugin with the exception's message.
#define SLUICE_PLUGIN(plugin_name, plugin_version, register_fn)                         \
    extern "C" SLUICE_SDK_API const SluicePluginManifest* sluice_plugin_manifest_v1() { \
        static const SluicePluginManifest manifest{                                     \
            sizeof(SluicePluginManifest),                                               \
            SLUICE_SDK_ABI_MAJOR,                                                       \
            SLUICE_SDK_ABI_MINOR,                                                       \
            SLUICE_SDK_BUILD_FINGERPRINT,                                               \
            plugin_name,                                                                \
            plugin_version,                                                             \
            &::sluice::sdk::detail::registerTrampoline<register_fn>};                   \
        return &manifest;                                                               \
    }

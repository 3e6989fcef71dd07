#pragma once

// Types shared across the plugin boundary keep default visibility so RTTI and exceptions agree
// between the host and plugins built with -fvisibility=hidden.
#if defined(__GNUC__)
#define SLUICE_SDK_API __attribute__((visibility("default")))
#else
#define SLUICE_SDK_API
#endif

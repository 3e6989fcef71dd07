#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/emulator/account_registry.hpp"
#include "tests/emulator/device_auth.hpp"
#include "tests/emulator/file_store.hpp"
#include "tests/emulator/model_catalog.hpp"
#include "tests/emulator/request_recorder.hpp"
#include "tests/emulator/script.hpp"
#include "tests/emulator/stop_signal.hpp"
#include "tests/emulator/wham_settings.hpp"
#include "tests/emulator/wham_tasks.hpp"

namespace sluice::emulator {

/// Everything a request handler needs, owned by EmulatorServer and shared (by reference) with
/// every handler thread. Members are thread-safe on their own.
struct EmulatorContext {
    EmulatorContext(Script initial, Clock clock_fn)
        : clock(std::move(clock_fn)),
          script(std::move(initial)),
          accounts(clock),
          recorder(script.server.recording_capacity) {}

    /// Unique ids for responses, items and calls ("resp_emu1a", ...); hex keeps them short.
    std::string nextId(std::string_view prefix) {
        static constexpr char kDigits[] = "0123456789abcdef";
        auto n = id_serial.fetch_add(1, std::memory_order_relaxed) + 1;
        std::string digits;
        while (n > 0) {
            digits.insert(digits.begin(), kDigits[n % 16]);
            n /= 16;
        }
        return std::string(prefix) + "_emu" + digits;
    }

    const Clock clock;
    const Script script;  ///< as loaded at startup; POST /__emulator/reset returns to it
    AccountRegistry accounts;
    RequestRecorder recorder;
    ModelCatalog catalog;
    FileStore files;
    WhamTasks tasks;
    WhamSettings settings;
    DeviceAuthDesk device_auth;
    StopSignal stop;
    std::atomic<std::uint64_t> id_serial{0};
};

}  // namespace sluice::emulator

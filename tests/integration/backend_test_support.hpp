#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {

/// Two emulated accounts in pool "team" with the backend_api family mounted beside
/// codex_backend. `account_yaml_a`/`_b` add keys to each account's script entry.
inline HarnessOptions backendOptions(
    const std::string& account_yaml_a = "", const std::string& account_yaml_b = "",
    const std::string& family_config = "{ finalize_poll_interval: 5ms }") {
    HarnessOptions options;
    options.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, plan_type: pro" +
        (account_yaml_a.empty() ? "" : ", " + account_yaml_a) +
        " }\n"
        "  - { id: acct-b, access_token: tok-b" +
        (account_yaml_b.empty() ? "" : ", " + account_yaml_b) + " }\n";
    options.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    options.plugins = {"route-backend"};
    options.extra_routes = {"{ family: backend_api, config: " + family_config + " }"};
    return options;
}

inline nlohmann::json jsonOf(const HttpReply& reply) {
    return nlohmann::json::parse(reply.body, nullptr, false);
}

/// Polls `condition` every 10 ms for up to 5 s (for work the gateway does in the background).
inline bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 500; ++i) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

/// Emulator accounts that received requests at `path`.
inline std::vector<std::string> accountsAt(GatewayHarness& harness, const std::string& path) {
    std::vector<std::string> accounts;
    for (const auto& record : harness.recordedAt(path)) {
        accounts.push_back(record.account_id);
    }
    return accounts;
}

}  // namespace sluice::integration

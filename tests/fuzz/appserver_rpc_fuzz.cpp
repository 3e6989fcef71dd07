// route-appserver's parsers on arbitrary input. The first byte picks one: the JSON-RPC lines an
// app-server sends (answers, notifications, server requests, token reports), or a request body
// read as turn options and input. Nothing may throw or crash; what is produced must serialize.
#include <cstdint>
#include <string>
#include <string_view>

#include "event_log.hpp"
#include "rpc_channel.hpp"
#include "server_requests.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "token_ledger.hpp"
#include "turn_options.hpp"

namespace {

namespace appserver = sluice::plugins::route_appserver;
using json = nlohmann::json;

void serialize(const json& value) {
    (void)value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Newline-separated lines from an app-server, each classified and followed where it leads.
void rpcLines(std::string_view input) {
    appserver::ServerRequests requests;
    sluice::sdk::ProjectRecord project;
    appserver::adoptThread(project, "t1");
    appserver::RpcChannel channel(
        [](std::string_view) { return true; },
        [&](const json& message) {
            const std::string thread = appserver::messageThreadId(message);
            if (message.contains("id")) {
                serialize(requests.add("req", "owner", message, {}).toJson());
                return;
            }
            const json params = message.value("params", json::object());
            if (const auto total = appserver::threadTotal(params)) {
                serialize(
                    appserver::tokensJson(appserver::accountThreadTotal(project, thread, *total)));
            }
        });
    while (!input.empty()) {
        const std::size_t end = input.find('\n');
        channel.onLine(input.substr(0, end));
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    }
    channel.close(appserver::CallFailure::Exited, "fuzz");
}

void requestBody(std::string_view input) {
    const json body = sluice::plugins::common::parseJson(input);
    if (!body.is_object()) {
        return;
    }
    const auto options = appserver::parseTurnOptions(
        body, {"gpt-5.5", "medium", "untrusted", "workspace-write"}, input.size() % 2 == 0);
    if (const auto* parsed = std::get_if<appserver::TurnOptions>(&options)) {
        serialize(appserver::threadParams(*parsed, "/ws"));
        const auto turn_input = appserver::turnInput(body, false);
        if (const auto* items = std::get_if<json>(&turn_input)) {
            serialize(appserver::turnParams(*parsed, "t1", "/ws", *items));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        rpcLines(input);
    } else {
        requestBody(input);
    }
    return 0;
}

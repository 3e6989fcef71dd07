#include <charconv>

#include "family_context.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/plugins/common/wallet_preflight.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

constexpr std::size_t kEventBatch = 256;

std::string frame(const LoggedEvent& event) {
    return "id: " + std::to_string(event.id) + "\nevent: " + event.name + "\ndata: " + event.data +
           "\n\n";
}

}  // namespace

const std::string& owner(const sdk::Exchange& exchange) {
    return exchange.principal().id;
}

void answer(FamilyContext& context, sdk::Exchange& exchange, const Reply& reply) {
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&reply)) {
        context.family.sendError(exchange, *error);
        return;
    }
    exchange.response().send(
        200, {{"Content-Type", "application/json"}},
        std::get<json>(reply).dump(-1, ' ', false, json::error_handler_t::replace));
}

bool refusedForEmptyWallet(FamilyContext& context, sdk::Exchange& exchange, const json& body) {
    const bool starts_turn = (body.contains("prompt") && !body["prompt"].is_null()) ||
                             (body.contains("input") && !body["input"].is_null());
    if (!starts_turn) {
        return false;
    }
    const auto refused = common::walletRefusal(exchange.gateway());
    if (refused) {
        context.family.sendError(exchange, *refused);
    }
    return refused.has_value();
}

std::optional<json> readObject(FamilyContext& context, sdk::Exchange& exchange) {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;  // the host answered (size limit, encoding)
    }
    if (body->find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return json::object();
    }
    json document = common::parseJson(*body);
    if (document.is_discarded() || !document.is_object()) {
        context.family.sendError(
            exchange, badRequest("the request body must be a JSON object nested at most " +
                                     std::to_string(sdk::kMaxJsonDepth) + " levels",
                                 "", "invalid_json"));
        return std::nullopt;
    }
    return document;
}

std::string pathParam(const sdk::Exchange& exchange, std::string_view name) {
    return std::string(exchange.pathParam(name).value_or(""));
}

std::uint64_t streamStart(FamilyContext& context, const sdk::Exchange& exchange) {
    std::optional<std::string> last(exchange.header("last-event-id"));
    if (!last) {
        last = common::queryParam(exchange.query(), "lastEventId");
    }
    std::uint64_t id = 0;
    if (last && std::from_chars(last->data(), last->data() + last->size(), id).ec == std::errc()) {
        return id;
    }
    return context.events.lastId();
}

void streamEvents(FamilyContext& context, sdk::Exchange& exchange, std::uint64_t after,
                  const std::function<bool(const LoggedEvent&)>& keep,
                  const std::function<void()>& prepare) {
    sdk::ResponseWriter& response = exchange.response();
    response.start(200, {{"Content-Type", "text/event-stream"},
                         {"Cache-Control", "no-cache"},
                         {"X-Accel-Buffering", "no"}});
    if (!response.write(": connected\n\n") || !response.flush()) {
        return;
    }
    while (!context.stopping.load()) {
        if (prepare) {
            prepare();
        }
        const auto batch = context.events.after(after, keep, kEventBatch, context.config.keepalive);
        std::string bytes;
        for (const LoggedEvent& event : batch) {
            bytes += frame(event);
            after = event.id;
        }
        if (bytes.empty()) {
            bytes = ": keepalive\n\n";
        }
        if (!response.write(bytes) || !response.flush()) {
            return;  // the client left
        }
    }
}

}  // namespace sluice::plugins::route_appserver

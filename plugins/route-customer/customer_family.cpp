#include "customer_family.hpp"

#include <charconv>

#include "customer_errors.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/gateway_url.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_customer {

namespace {

using json = nlohmann::json;

// The integer query parameter `name` within [low, high] into `params`; false once the error
// was answered.
bool integerQuery(sdk::Exchange& exchange, const char* name, int low, int high, json& params) {
    const auto text = common::queryParam(exchange.query(), name);
    if (!text) {
        return true;
    }
    int value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value < low || value > high) {
        exchange.response().sendError(
            invalidParameter(name, std::string("'") + name + "' must be an integer from " +
                                       std::to_string(low) + " to " + std::to_string(high)));
        return false;
    }
    params[name] = value;
    return true;
}

}  // namespace

std::vector<sdk::RouteSpec> CustomerFamily::routes() const {
    using sdk::CredentialKind;
    using sdk::RouteClass;
    const std::uint64_t body = config_.max_body_bytes;
    const auto key = CredentialKind::PoolKey;
    return {
        {"GET", "/me", "customer.profile", key, RouteClass::Local, false, body},
        {"GET", "/wallet/status", "customer.wallet", key, RouteClass::Local, false, body},
        {"GET", "/billing/token-usage", "customer.token_usage", key, RouteClass::Local, false,
         body},
        {"GET", "/me/api-keys", "customer.keys.list", key, RouteClass::Local, false, body},
        {"POST", "/me/api-keys", "customer.keys.create", key, RouteClass::Local, false, body},
        {"DELETE", "/me/api-keys/{key_id}", "customer.keys.revoke", key, RouteClass::Local, false,
         body},
        {"POST", "/me/api-token/rotate", "customer.key.rotate", key, RouteClass::Local, false,
         body},
        // Stripe holds no gateway credential: the operation checks its signature instead.
        {"POST", "/stripe/webhook", "billing.stripe_event", CredentialKind::None, RouteClass::Local,
         false, body},
    };
}

void CustomerFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        serve(exchange);
    } catch (const std::exception&) {
        if (!exchange.response().started()) {
            sendError(exchange, {500, "server_error", "internal_error",
                                 "the request failed inside the gateway", "", 0, ""});
        }
    }
}

void CustomerFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

bool CustomerFamily::acceptsCustomerUsername(std::string_view operation) const noexcept {
    return operation == "customer.profile" || operation == "customer.wallet" ||
           operation == "customer.token_usage" || operation == "customer.keys.list";
}

void CustomerFamily::serve(sdk::Exchange& exchange) {
    const std::optional<json> parameters = params(exchange);
    if (!parameters) {
        return;
    }
    const std::string_view operation = exchange.operation();
    // Replacing bytes that are not UTF-8 keeps the call well-formed; a Stripe payload changed
    // that way no longer matches its signature and is refused there.
    const auto result = exchange.gateway().operate(
        operation, parameters->dump(-1, ' ', false, json::error_handler_t::replace));
    if (!result.ok()) {
        sendError(exchange, operationError(operation, result.status()));
        return;
    }
    const int status = operation == "customer.keys.create" ? 201 : 200;
    exchange.response().send(status,
                             {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                             result.value());
}

std::optional<std::string> CustomerFamily::origin() const {
    if (!config_.public_url.empty() || settings_ == nullptr) {
        return config_.public_url.empty() ? std::nullopt
                                          : std::optional<std::string>(config_.public_url);
    }
    auto url = common::gatewayLoopbackUrl(settings_->listenAddress(), "");
    return url.ok() ? std::optional<std::string>(std::move(url).value()) : std::nullopt;
}

std::optional<json> CustomerFamily::params(sdk::Exchange& exchange) {
    const std::string_view operation = exchange.operation();
    json params = json::object();
    if (operation == "customer.profile") {
        if (const auto url = origin()) {
            params["gateway_url"] = *url;
        }
    } else if (operation == "customer.token_usage") {
        if (!integerQuery(exchange, "limit", 1, 500, params) ||
            !integerQuery(exchange, "days", 1, 31, params)) {
            return std::nullopt;
        }
    } else if (operation == "customer.keys.revoke") {
        params["key"] = std::string(exchange.pathParam("key_id").value_or(""));
    } else if (operation == "billing.stripe_event") {
        const auto body = exchange.readBody();
        if (!body) {
            return std::nullopt;
        }
        params["payload"] = std::string(*body);
        if (const auto signature = exchange.header("Stripe-Signature");
            signature && !signature->empty()) {
            params["signature"] = std::string(*signature);
        }
    } else if (operation == "customer.keys.create") {
        const auto body = exchange.readBody();
        if (!body) {
            return std::nullopt;  // the host answered (size limit, encoding)
        }
        const json parsed = common::parseJson(*body);
        const auto name = parsed.is_object() ? parsed.find("name") : parsed.end();
        if (!parsed.is_object() || name == parsed.end() || !name->is_string()) {
            exchange.response().sendError(
                invalidParameter("name",
                                 "the body must be a JSON object with a string 'name' (1 to 120 "
                                 "characters)"));
            return std::nullopt;
        }
        params["name"] = *name;
    }
    return params;
}

}  // namespace sluice::plugins::route_customer

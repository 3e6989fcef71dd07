#include "core/billing/stripe_event.hpp"

#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/security/bounded_json.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::billing {

namespace {

using json = nlohmann::json;

struct SignatureHeader {
    std::optional<std::int64_t> timestamp;
    std::vector<std::string_view> v1;
};

// `t=...,v1=...,v1=...,v0=...`: elements other than t and v1 (v0 is Stripe's test scheme) are
// ignored, as Stripe's own libraries do.
SignatureHeader parseHeader(std::string_view header) {
    SignatureHeader parsed;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view element = header.substr(0, comma);
        header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
        const std::size_t equals = element.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        const std::string_view name = element.substr(0, equals);
        const std::string_view value = element.substr(equals + 1);
        if (name == "t") {
            std::int64_t seconds = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), seconds);
            if (error == std::errc() && end == value.data() + value.size()) {
                parsed.timestamp = seconds;
            }
        } else if (name == "v1") {
            parsed.v1.push_back(value);
        }
    }
    return parsed;
}

sdk::Status refused(std::string message) {
    return {sdk::StatusCode::PermissionDenied, std::move(message)};
}

sdk::Status invalid(std::string message) {
    return {sdk::StatusCode::InvalidArgument, std::move(message)};
}

std::string stringAt(const json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// Cents of a USD amount_total; 0 when absent, not a positive integer or too large.
std::int64_t positiveCents(const json& session) {
    const auto amount = session.find("amount_total");
    if (amount == session.end() || !amount->is_number_integer()) {
        return 0;
    }
    const std::int64_t cents = amount->get<std::int64_t>();
    constexpr std::int64_t kMostCents = std::numeric_limits<std::int64_t>::max() / 10'000;
    return cents > 0 && cents <= kMostCents ? cents : 0;
}

sdk::Result<StripePayment> paymentOf(const json& session) {
    StripePayment payment{stringAt(session, "id"), stringAt(session, "client_reference_id"), 0};
    if (payment.session_id.empty()) {
        return invalid("the checkout session has no id");
    }
    if (payment.customer.empty()) {
        return invalid("checkout session " + payment.session_id +
                       " has no client_reference_id naming the customer to credit");
    }
    if (stringAt(session, "currency") != "usd") {
        return invalid("checkout session " + payment.session_id +
                       " is not in USD; wallets hold USD only");
    }
    const std::int64_t cents = positiveCents(session);
    if (cents == 0) {
        return invalid("checkout session " + payment.session_id + " has no positive amount_total");
    }
    payment.micro_usd = cents * 10'000;
    return payment;
}

bool isPaidCheckout(const std::string& type, const json& session) {
    return type == "checkout.session.async_payment_succeeded" ||
           (type == "checkout.session.completed" && stringAt(session, "payment_status") == "paid");
}

}  // namespace

sdk::Status checkStripeSignature(std::string_view header, std::string_view payload,
                                 std::string_view secret, sdk::TimePoint now,
                                 std::chrono::seconds tolerance) {
    const SignatureHeader parsed = parseHeader(header);
    if (!parsed.timestamp || parsed.v1.empty()) {
        return refused("the Stripe-Signature header needs t= and at least one v1=");
    }
    const std::int64_t now_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const std::int64_t skew = now_seconds - *parsed.timestamp;
    if (skew > tolerance.count() || -skew > tolerance.count()) {
        return refused("the signed timestamp is more than " + std::to_string(tolerance.count()) +
                       " s from the gateway's clock");
    }
    const std::string expected = security::toHex(security::hmacSha256(
        secret, std::to_string(*parsed.timestamp) + "." + std::string(payload)));
    bool matched = false;
    for (const std::string_view candidate : parsed.v1) {
        matched = security::constantTimeEquals(candidate, expected) || matched;
    }
    return matched ? sdk::Status{} : refused("no v1 signature matches the payload");
}

sdk::Result<StripeEvent> readStripeEvent(std::string_view payload) {
    const json event = security::parseJson(payload);
    if (!event.is_object()) {
        return invalid("the payload is not a JSON object");
    }
    StripeEvent read{stringAt(event, "id"), stringAt(event, "type"), std::nullopt};
    if (read.id.empty() || read.type.empty()) {
        return invalid("the event has no id or no type");
    }
    const json* session = nullptr;
    if (const auto data = event.find("data"); data != event.end() && data->is_object()) {
        if (const auto object = data->find("object");
            object != data->end() && object->is_object()) {
            session = &*object;
        }
    }
    if (session != nullptr && isPaidCheckout(read.type, *session)) {
        auto payment = paymentOf(*session);
        if (!payment.ok()) {
            return payment.status();
        }
        read.payment = std::move(payment).value();
    } else if (session == nullptr && read.type.rfind("checkout.session.", 0) == 0) {
        return invalid("the event has no data.object");
    }
    return read;
}

}  // namespace sluice::core::billing

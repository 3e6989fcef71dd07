// Alerts end to end: the emulator refuses an account's token and then its refresh with a
// terminal error, the gateway marks the account for a new sign-in, and the alert reaches a
// loopback webhook receiver signed, once (retried after a failed attempt, not repeated while it
// fires), is listed by alerts.list, and resolves when the operator pauses the account.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "core/security/encoding.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

constexpr const char* kAlertSecret = "alert-signing-secret";

/// A webhook receiver on 127.0.0.1 that records each POST and answers 503 to the first
/// `refuse` of them.
class WebhookReceiver final {
public:
    struct Delivery {
        std::string signature;
        std::string body;
        int answered = 0;
    };

    explicit WebhookReceiver(int refuse)
        : refuse_(refuse),
          socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~WebhookReceiver() { server_.stopAll(true); }

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/hook";
    }
    std::vector<Delivery> deliveries() const {
        std::lock_guard lock(mutex_);
        return deliveries_;
    }

private:
    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(WebhookReceiver& owner) : owner_(owner) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            Delivery delivery;
            delivery.signature = request.get("Sluice-Signature", "");
            Poco::StreamCopier::copyToString(request.stream(), delivery.body);
            {
                std::lock_guard lock(owner_.mutex_);
                delivery.answered = owner_.refuse_-- > 0 ? 503 : 200;
                owner_.deliveries_.push_back(delivery);
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(delivery.answered));
            response.setContentLength(0);
            response.send();
        }

    private:
        WebhookReceiver& owner_;
    };

    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(WebhookReceiver& owner) : owner_(owner) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(
            const Poco::Net::HTTPServerRequest&) override {
            return new Handler(owner_);
        }

    private:
        WebhookReceiver& owner_;
    };

    mutable std::mutex mutex_;
    int refuse_;
    std::vector<Delivery> deliveries_;
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
};

// What a receiver should check: t is recent and v1 is the HMAC of "<t>.<body>".
bool signatureHolds(const WebhookReceiver::Delivery& delivery) {
    const std::string& header = delivery.signature;
    const auto comma = header.find(",v1=");
    if (header.rfind("t=", 0) != 0 || comma == std::string::npos) {
        return false;
    }
    const std::string t = header.substr(2, comma - 2);
    const auto age = std::chrono::system_clock::now() -
                     std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(t)));
    const std::string expected =
        core::security::toHex(core::security::hmacSha256(kAlertSecret, t + "." + delivery.body));
    return std::chrono::abs(age) < std::chrono::minutes(5) &&
           core::security::constantTimeEquals(header.substr(comma + 4), expected);
}

bool eventuallyWithin(const std::function<bool()>& condition, std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

std::vector<json> acceptedBodies(const WebhookReceiver& receiver) {
    std::vector<json> bodies;
    for (const auto& delivery : receiver.deliveries()) {
        if (delivery.answered == 200) {
            bodies.push_back(json::parse(delivery.body));
        }
    }
    return bodies;
}

HarnessOptions alertOptions(const WebhookReceiver& receiver) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, refresh_token: rt-acct-a, "
        "oauth: { mode: invalid_grant } }\n"
        "  - { id: acct-b, access_token: tok-b, refresh_token: rt-acct-b }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    o.accounts_yaml = "{ usage_probe_interval: 0s, refresh_check_interval: 50ms }";
    o.alerts_yaml = "{ interval: 1s, webhook_url: \"" + receiver.url() +
                    "\", webhook_secret: " + kAlertSecret + ", webhook_retry: 200ms }";
    o.plugins = {"route-admin"};
    o.extra_routes = {"{ family: admin }"};
    return o;
}

TEST(AlertWebhookTest, ATerminalRefreshErrorFiresOneSignedAlertThatResolvesWhenPaused) {
    WebhookReceiver receiver(1);  // the first attempt is refused: the courier retries
    GatewayHarness harness(alertOptions(receiver));
    const std::string admin = harness.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
    const auto operate = [&](const std::string& method, const std::string& path) {
        return harness.request(method, "/admin/api/v1" + path, "",
                               {{"Authorization", "Bearer " + admin}}, false);
    };
    ASSERT_EQ(harness.request("GET", "/backend-api/codex/models").status, 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    // acct-a answers 401, its refresh gets invalid_grant; acct-b serves the turns.
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())));
    }
    ASSERT_TRUE(eventuallyWithin(
        [&] {
            return harness.storedAccount("acct-a").status == sdk::AccountStatus::ReauthRequired;
        },
        std::chrono::seconds(5)));

    const std::string id = "account_needs_sign_in:" + harness.accountId("acct-a");
    ASSERT_TRUE(eventuallyWithin([&] { return !acceptedBodies(receiver).empty(); },
                                 std::chrono::seconds(10)))
        << harness.gatewayLog();
    // A few more evaluations: a firing alert is not delivered again.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    const auto deliveries = receiver.deliveries();
    ASSERT_EQ(deliveries.size(), 2u);  // the refused attempt and its retry
    for (const auto& delivery : deliveries) {
        EXPECT_TRUE(signatureHolds(delivery)) << delivery.signature;
    }
    EXPECT_EQ(deliveries[0].body, deliveries[1].body);
    const json fired = json::parse(deliveries[1].body);
    EXPECT_EQ(fired["type"], "alert.firing");
    EXPECT_EQ(fired["alert"]["id"], id);
    EXPECT_EQ(fired["alert"]["rule"], "account_needs_sign_in");
    EXPECT_EQ(fired["alert"]["pool"], "team");
    EXPECT_NE(fired["alert"]["summary"].get<std::string>().find("acct-a"), std::string::npos);
    EXPECT_EQ(deliveries[1].body.find("rt-acct-a"), std::string::npos);  // no credential
    EXPECT_EQ(deliveries[1].body.find("tok-a"), std::string::npos);

    const HttpReply listed = operate("GET", "/alerts?phase=firing");
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json firing = json::parse(listed.body);
    ASSERT_EQ(firing["firing"], 1);
    EXPECT_EQ(firing["alerts"][0]["id"], id);
    EXPECT_EQ(firing["alerts"][0]["since"], fired["alert"]["since"]);

    // Paused, the account no longer waits for a sign-in: the alert resolves, delivered once.
    ASSERT_EQ(operate("POST", "/accounts/" + harness.accountId("acct-a") + "/pause").status, 200);
    ASSERT_TRUE(eventuallyWithin([&] { return acceptedBodies(receiver).size() == 2; },
                                 std::chrono::seconds(10)));
    const json resolved = acceptedBodies(receiver)[1];
    EXPECT_EQ(resolved["type"], "alert.resolved");
    EXPECT_EQ(resolved["alert"]["id"], id);
    EXPECT_FALSE(resolved["alert"]["resolved_at"].is_null());
    EXPECT_TRUE(signatureHolds(receiver.deliveries().back()));
    const json after = json::parse(operate("GET", "/alerts").body);
    EXPECT_EQ(after["firing"], 0);
    ASSERT_EQ(after["alerts"].size(), 1u);
    EXPECT_EQ(after["alerts"][0]["phase"], "resolved");
}

TEST(AlertWebhookTest, BadAlertSettingsAreRefusedNamingThePath) {
    WebhookReceiver receiver(0);
    const std::string url = "\"" + receiver.url() + "\"";
    const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
        {"{ webhook_url: " + url + " }", "alerts.webhook_url", "needs alerts.webhook_secret"},
        {"{ webhook_url: ftp://127.0.0.1/hook, webhook_secret: s }", "alerts.webhook_url",
         "expected an http:// or https:// URL"},
        {"{ webhook_url: " + url + ", webhook_secret: \"\" }", "alerts.webhook_secret",
         "or leave webhook_secret out"},
        {"{ error_rate_window: 90s }", "alerts.error_rate_window", "whole minutes"},
        {"{ interval: 100ms }", "alerts.interval", "at least 1s"},
    };
    for (const auto& [yaml, path, message] : cases) {
        HarnessOptions o = alertOptions(receiver);
        o.alerts_yaml = yaml;
        try {
            GatewayHarness harness(o);
            ADD_FAILURE() << yaml << ": the gateway started";
        } catch (const std::exception& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(path), std::string::npos) << yaml << ": " << what;
            EXPECT_NE(what.find(message), std::string::npos) << yaml << ": " << what;
        }
    }
}

TEST(AlertWebhookTest, APoolWhoseAccountsAreAllUsageLimitedIsListedAsExhaustedAndFailing) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit, resets_in: 2h } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: usage_limit, resets_in: 30m } "
        "}\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    o.alerts_yaml = "{ interval: 1s, error_rate_min_requests: 2 }";
    o.plugins = {"route-admin"};
    o.extra_routes = {"{ family: admin }"};
    GatewayHarness harness(o);
    const std::string admin = harness.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
    for (int i = 0; i < 2; ++i) {  // both answer 429 and are excluded; the second is refused
        EXPECT_GE(harness.postResponses(GatewayHarness::turnBody()).status, 400);
    }
    json listed;
    const auto firing = [&](const std::string& id) {
        for (const json& alert : listed["alerts"]) {
            if (alert["id"] == id && alert["phase"] == "firing") {
                return alert;
            }
        }
        return json();
    };
    const bool all = eventuallyWithin(
        [&] {
            listed = json::parse(harness
                                     .request("GET", "/admin/api/v1/alerts", "",
                                              {{"Authorization", "Bearer " + admin}}, false)
                                     .body);
            return !firing("pool_exhausted:team").is_null() &&
                   !firing("error_rate_high:team").is_null() &&
                   !firing("pool_capacity_low:team:five_hour").is_null();
        },
        std::chrono::seconds(10));
    ASSERT_TRUE(all) << listed.dump();
    const std::string exhausted = firing("pool_exhausted:team")["summary"];
    EXPECT_NE(exhausted.find("no account can serve now (2 cooling down"), std::string::npos)
        << exhausted;
    EXPECT_NE(exhausted.find("the earliest window reset is "), std::string::npos) << exhausted;
    EXPECT_EQ(firing("pool_exhausted:team")["severity"], "critical");
    EXPECT_NE(firing("error_rate_high:team")["summary"].get<std::string>().find(
                  "2 of 2 requests failed in the last 5 minutes"),
              std::string::npos);
    EXPECT_TRUE(listed["alerts"].size() == 3u) << listed.dump();
}

}  // namespace
}  // namespace sluice::integration

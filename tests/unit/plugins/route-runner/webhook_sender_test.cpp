#include "webhook_sender.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::plugins::route_runner {
namespace {

using namespace std::chrono_literals;

TEST(WebhookSignatureTest, IsHmacSha256OfTheBody) {
    // RFC 4231 test case 2.
    EXPECT_EQ(webhookSignature("Jefe", "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

std::optional<std::string> header(const sdk::Headers& headers, const std::string& name) {
    const auto value = sdk::findHeader(headers, name);
    return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
}

TEST(WebhookSenderTest, DeliversWithBearerHeadersSignatureAndRetries) {
    sdk::testing::FakeHost host;
    host.fakeHttp().enqueue(sdk::HttpReply{502, {}, ""});
    host.fakeHttp().enqueue(sdk::HttpReply{200, {}, ""});
    RunnerMetrics metrics(host.metrics());
    WebhookConfig config{
        "http://127.0.0.1:9/hook", 1s, "bearer-1", {{"X-Team", "core"}}, "s3cret", 3, 10ms};
    {
        WebhookSender sender(config, host.httpClient(), host.logger("t"), metrics);
        sender.enqueue({{"session_id", "session-1"}, {"output", "hi"}});
        for (int i = 0; i < 300 && host.fakeHttp().calls().size() < 2; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        const auto status = sender.status();
        EXPECT_EQ(status["url_tail"], "...//127.0.0.1:9/hook");
        EXPECT_EQ(status.dump().find("bearer-1"), std::string::npos);
        EXPECT_EQ(status.dump().find("s3cret"), std::string::npos);
    }
    const auto calls = host.fakeHttp().calls();
    ASSERT_EQ(calls.size(), 2u) << "one retry after the 502";
    EXPECT_EQ(header(calls[1].headers, "Authorization"), "Bearer bearer-1");
    EXPECT_EQ(header(calls[1].headers, "X-Team"), "core");
    EXPECT_EQ(header(calls[1].headers, "X-Sluice-Signature"),
              webhookSignature("s3cret", calls[1].body));
    EXPECT_EQ(nlohmann::json::parse(calls[1].body)["session_id"], "session-1");
    EXPECT_EQ(host.counterValue("sluice_runner_webhooks_total", {{"outcome", "delivered"}}), 1u);
}

TEST(WebhookSenderTest, GivesUpAfterMaxAttempts) {
    sdk::testing::FakeHost host;  // no queued reply: every call is Unavailable
    RunnerMetrics metrics(host.metrics());
    WebhookConfig config{"http://127.0.0.1:9/hook", 1s, "", {}, "", 2, 5ms};
    {
        WebhookSender sender(config, host.httpClient(), host.logger("t"), metrics);
        sender.enqueue({{"a", 1}});
        for (int i = 0; i < 300 && host.counterValue("sluice_runner_webhooks_total",
                                                     {{"outcome", "failed"}}) == 0;
             ++i) {
            std::this_thread::sleep_for(10ms);
        }
    }
    EXPECT_EQ(host.fakeHttp().calls().size(), 2u);
    EXPECT_EQ(host.counterValue("sluice_runner_webhooks_total", {{"outcome", "failed"}}), 1u);
}

}  // namespace
}  // namespace sluice::plugins::route_runner

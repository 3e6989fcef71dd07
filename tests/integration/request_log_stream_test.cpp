// route-admin's live request log (issue 23): GET /admin/api/v1/request-logs/stream sends each
// new request-log row as an SSE event within a second, filtered, and ends when the gateway
// drains instead of holding the shutdown. The admin page's Requests tab reads it
// (tests/e2e/operator_surfaces.test.mjs).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct SseEvent {
    std::string event;
    json data;
};

/// One open stream of the request log, read event by event.
class LogStream {
public:
    LogStream(GatewayHarness& harness, const std::string& token, const std::string& query)
        : session_("127.0.0.1", harness.port()) {
        session_.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                       "/admin/api/v1/request-logs/stream" + query,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + token);
        session_.sendRequest(request);
        body_ = &session_.receiveResponse(response_);
    }

    int status() const { return response_.getStatus(); }
    std::string contentType() const { return response_.getContentType(); }

    /// The next event (comments skipped); nullopt when the stream ended or stayed quiet past
    /// `quiet`.
    std::optional<SseEvent> next(std::chrono::seconds quiet = std::chrono::seconds(5)) {
        session_.socket().setReceiveTimeout(Poco::Timespan(quiet.count(), 0));
        SseEvent event;
        std::string line;
        try {
            while (std::getline(*body_, line)) {
                if (line.rfind("event: ", 0) == 0) {
                    event.event = line.substr(7);
                } else if (line.rfind("data: ", 0) == 0) {
                    event.data = json::parse(line.substr(6));
                } else if (line.empty() && !event.event.empty()) {
                    return event;
                }
            }
        } catch (const Poco::TimeoutException&) {
        }
        return std::nullopt;
    }

private:
    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPResponse response_;
    std::istream* body_ = nullptr;
};

class RequestLogStreamTest : public ::testing::Test {
protected:
    RequestLogStreamTest()
        : harness_(options()),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops")) {}

    static HarnessOptions options() {
        HarnessOptions o = GatewayHarness::twoAccounts();
        o.plugins = {"route-admin"};
        o.extra_routes = {"{ family: admin }"};
        return o;
    }

    HttpReply admin(const std::string& path) {
        return harness_.request("GET", "/admin/api/v1" + path, "",
                                {{"Authorization", "Bearer " + admin_}}, false);
    }

    GatewayHarness harness_;
    std::string admin_;
};

TEST_F(RequestLogStreamTest, ANewRequestArrivesWithinASecond) {
    LogStream stream(harness_, admin_, "");
    ASSERT_EQ(stream.status(), 200);
    EXPECT_EQ(stream.contentType(), "text/event-stream");

    ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    const auto answered = Clock::now();
    const auto event = stream.next();
    const auto waited = Clock::now() - answered;
    ASSERT_TRUE(event);
    RecordProperty(
        "waited_ms",
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()));
    EXPECT_LT(waited, std::chrono::seconds(1));
    EXPECT_EQ(event->event, "request");
    EXPECT_EQ(event->data["status"], 200);
    EXPECT_EQ(event->data["pool"], "team");
    EXPECT_FALSE(event->data["account_id"].get<std::string>().empty()) << event->data.dump();
    EXPECT_FALSE(event->data.contains("routing")) << "the list's row view, without the trace";
    // The row's trace is one request_logs.get away.
    const HttpReply detail = admin("/request-logs/" + event->data["id"].get<std::string>());
    ASSERT_EQ(detail.status, 200);
    EXPECT_TRUE(json::parse(detail.body).contains("routing"));
}

TEST_F(RequestLogStreamTest, FiltersLeaveOtherRowsOut) {
    const std::string account_b = harness_.accountId("acct-b");
    // Status (a storage filter) and account (applied to the fetched rows).
    LogStream ok_on_b(harness_, admin_, "?status=200&account=" + account_b);
    LogStream on_nobody(harness_, admin_, "?route=no-such-route");
    ASSERT_EQ(ok_on_b.status(), 200);

    EXPECT_EQ(harness_.postResponses("{not json").status, 400);
    for (int i = 0; i < 2; ++i) {  // round robin: one turn on each account
        ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    }
    const auto event = ok_on_b.next();
    ASSERT_TRUE(event);
    EXPECT_EQ(event->data["status"], 200);
    EXPECT_EQ(event->data["account_id"], account_b) << event->data.dump();
    EXPECT_FALSE(ok_on_b.next(std::chrono::seconds(1))) << "one row matches";
    EXPECT_FALSE(on_nobody.next(std::chrono::seconds(1)));
}

TEST_F(RequestLogStreamTest, ResumesAfterTheLastRowSeen) {
    ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    const auto rows = harness_.requestLogsAtLeast(2);
    ASSERT_GE(rows.size(), 2u);
    const json listed = json::parse(admin("/request-logs?limit=2").body)["requests"];
    LogStream resumed(harness_, admin_, "?since=" + listed[1]["id"].get<std::string>());
    const auto event = resumed.next();
    ASSERT_TRUE(event);
    EXPECT_EQ(event->data["id"], listed[0]["id"]);
}

TEST_F(RequestLogStreamTest, BadParametersGetTypedErrors) {
    const HttpReply unknown = admin("/request-logs/stream?colour=blue");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("colour"), std::string::npos) << unknown.body;
    const HttpReply status = admin("/request-logs/stream?status=ok");
    EXPECT_EQ(status.status, 400);
    EXPECT_NE(status.body.find("status"), std::string::npos) << status.body;
    EXPECT_EQ(harness_.request("GET", "/admin/api/v1/request-logs/stream", "", {}, true).status,
              401);
}

TEST_F(RequestLogStreamTest, AnOpenStreamEndsWhenTheGatewayDrains) {
    LogStream stream(harness_, admin_, "");
    ASSERT_EQ(stream.status(), 200);
    const auto started = Clock::now();
    auto stopped = std::async(std::launch::async, [&] { harness_.gateway().stop(); });
    const auto event = stream.next();
    ASSERT_TRUE(event);
    EXPECT_EQ(event->event, "end");
    EXPECT_EQ(event->data["reason"], "draining");
    stopped.get();
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3)) << "drain_timeout is 10 s";
}

}  // namespace
}  // namespace sluice::integration

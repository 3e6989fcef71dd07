#include "rpc_channel.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sluice::plugins::route_appserver {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

/// A channel whose written lines are kept, and whose peer a test plays.
struct Wire {
    std::mutex mutex;
    std::vector<json> written;
    std::vector<json> inbound;
    RpcChannel channel{[this](std::string_view line) {
                           std::lock_guard lock(mutex);
                           written.push_back(json::parse(line));
                           return true;
                       },
                       [this](const json& message) { inbound.push_back(message); }};

    json lastWritten() {
        for (int i = 0; i < 500; ++i) {
            {
                std::lock_guard lock(mutex);
                if (!written.empty()) {
                    return written.back();
                }
            }
            std::this_thread::sleep_for(1ms);
        }
        return {};
    }
};

TEST(RpcChannelTest, CallsGetIncreasingIdsAndTheirOwnAnswers) {
    Wire wire;
    std::thread peer([&] {
        const json request = wire.lastWritten();
        EXPECT_EQ(request["method"], "thread/list");
        EXPECT_EQ(request["jsonrpc"], "2.0");
        wire.channel.onLine(
            json{{"id", request["id"]}, {"result", {{"data", json::array()}}}}.dump());
    });
    const CallOutcome outcome = wire.channel.call("thread/list", {{"limit", 1}}, 5s);
    peer.join();
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.result["data"], json::array());
    EXPECT_EQ(wire.channel.pendingCalls(), 0U);
}

TEST(RpcChannelTest, ErrorsNotificationsAndServerRequestsAreTold) {
    Wire wire;
    std::thread peer([&] {
        const json request = wire.lastWritten();
        wire.channel.onLine(R"({"method":"turn/started","params":{"threadId":"t"}})");
        wire.channel.onLine(R"({"id":0,"method":"item/fileChange/requestApproval","params":{}})");
        wire.channel.onLine(
            json{{"id", request["id"]}, {"error", {{"code", -32600}, {"message", "no"}}}}.dump());
    });
    const CallOutcome outcome = wire.channel.call("turn/start", json::object(), 5s);
    peer.join();
    EXPECT_EQ(outcome.failure, CallFailure::Remote);
    EXPECT_EQ(outcome.code, -32600);
    ASSERT_EQ(wire.inbound.size(), 2U);
    EXPECT_EQ(wire.inbound[1]["id"], 0);
}

TEST(RpcChannelTest, GarbageAndStrayAnswersAreDroppedAndCounted) {
    Wire wire;
    wire.channel.onLine("not json");
    wire.channel.onLine(R"({"id":99,"result":{}})");
    wire.channel.onLine(R"([1,2])");
    EXPECT_EQ(wire.channel.droppedLines(), 3U);
    EXPECT_TRUE(wire.inbound.empty());
}

TEST(RpcChannelTest, CloseFailsWaitingAndLaterCalls) {
    Wire wire;
    std::thread closer([&] {
        wire.lastWritten();
        wire.channel.close(CallFailure::Exited, "gone");
    });
    EXPECT_EQ(wire.channel.call("x", json::object(), 5s).failure, CallFailure::Exited);
    closer.join();
    const CallOutcome later = wire.channel.call("y", json::object(), 5s);
    EXPECT_EQ(later.failure, CallFailure::Exited);
    EXPECT_EQ(later.message, "gone");
}

TEST(RpcChannelTest, RespondAnswersTheServersOwnId) {
    Wire wire;
    ASSERT_TRUE(wire.channel.respond(json(0), {{"decision", "accept"}}));
    EXPECT_EQ(wire.lastWritten(),
              (json{{"jsonrpc", "2.0"}, {"id", 0}, {"result", {{"decision", "accept"}}}}));
}

}  // namespace
}  // namespace sluice::plugins::route_appserver

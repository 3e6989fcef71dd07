// Attacks a running gateway as a hostile client would, with every surface mounted: request
// splitting through path parameters, deeply nested JSON on each surface, lenient framing, and
// slow or silent clients. Each probe checks what the upstream received and that the gateway
// still serves afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions everySurface() {
    HarnessOptions o = GatewayHarness::twoAccounts();
    o.plugins = {"route-backend", "route-openai", "route-anthropic", "route-admin", "route-mcp"};
    o.extra_routes = {"{ family: backend_api }", "{ family: openai_v1 }",
                      "{ family: anthropic_messages }", "{ family: admin }", "{ family: mcp }"};
    return o;
}

// `levels` nested arrays: deeper than any limit a parser should accept.
std::string nested(int levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

struct RawReply {
    std::string bytes;
    bool closed = false;  ///< the gateway closed the connection (rather than the read timing out)
};

// Sends `wire` as it is and reads until the gateway closes or 3 s pass.
RawReply rawExchange(std::uint16_t port, const std::string& wire) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(3, 0));
    socket.sendBytes(wire.data(), static_cast<int>(wire.size()));
    RawReply reply;
    char block[4096];
    try {
        while (true) {
            const int got = socket.receiveBytes(block, sizeof block);
            if (got <= 0) {
                reply.closed = true;
                break;
            }
            reply.bytes.append(block, static_cast<std::size_t>(got));
        }
    } catch (const Poco::TimeoutException&) {
    }
    return reply;
}

std::size_t countOf(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++count;
    }
    return count;
}

bool hasRequestLineBytes(const std::string& path) {
    return path.find_first_of(" \r\n") != std::string::npos;
}

class AttackMatrixTest : public ::testing::Test {
protected:
    AttackMatrixTest()
        : harness_(everySurface()),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops")),
          mcp_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Mcp, "agent")) {}

    HttpReply asOperator(const std::string& path, const std::string& token,
                         const std::string& body) {
        return harness_.request(
            "POST", path, body,
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, false);
    }

    void expectStillServing() {
        EXPECT_EQ(harness_.request("GET", "/healthz", "", {}, false).status, 200);
        EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    }

    GatewayHarness harness_;
    std::string admin_;
    std::string mcp_;
};

TEST_F(AttackMatrixTest, APathParameterCannotSplitTheUpstreamRequest) {
    // Decoded, the path carries a request line end, headers and a second request.
    const HttpReply reply =
        harness_.request("GET",
                         "/backend-api/wham/environments/by-repo/x%20HTTP/"
                         "1.1%0D%0AHost:%20x%0D%0AContent-Length:%200%0D%0A%0D%0AGET%20/"
                         "backend-api");
    EXPECT_LT(reply.status, 500) << reply.body;
    const auto received = harness_.recorded();
    ASSERT_FALSE(received.empty()) << "the listing reached the accounts, as one request each";
    for (const auto& request : received) {
        EXPECT_FALSE(hasRequestLineBytes(request.path)) << request.path;
        EXPECT_NE(request.path, "/backend-api")
            << "a smuggled second request reached " << request.account_id;
        EXPECT_NE(request.path.find("x%20HTTP/1.1%0D%0AHost%3A%20x"), std::string::npos)
            << request.path;
    }
    expectStillServing();
}

TEST_F(AttackMatrixTest, AnEncodedQuestionMarkStaysInItsSegment) {
    const HttpReply reply = harness_.request("GET", "/backend-api/wham/tasks/abc%3Fx=1");
    EXPECT_EQ(reply.status, 404) << reply.body;
    EXPECT_EQ(json::parse(reply.body)["error"]["code"], "task_not_found");
    EXPECT_EQ(harness_.recordedAt("/backend-api/wham/tasks/abc").size(), 0U)
        << "the id became a query";
    EXPECT_FALSE(harness_.recordedAt("/backend-api/wham/tasks/abc%3Fx%3D1").empty());
}

TEST_F(AttackMatrixTest, DeepJsonGetsATypedErrorOnEverySurface) {
    const std::string deep = nested(5000);
    const HttpReply admin =
        asOperator("/admin/api/v1/pools", admin_, R"({"pool":"x","strategy":)" + deep + "}");
    EXPECT_EQ(admin.status, 400) << admin.body;
    const HttpReply mcp = asOperator(
        "/mcp", mcp_, R"({"jsonrpc":"2.0","id":1,"method":"ping","params":)" + deep + "}");
    EXPECT_EQ(json::parse(mcp.body)["error"]["code"], -32700) << mcp.body;
    for (const std::string path :
         {"/backend-api/codex/responses", "/v1/responses", "/v1/chat/completions", "/v1/messages",
          "/backend-api/wham/tasks"}) {
        const HttpReply reply =
            harness_.request("POST", path, R"({"model":"gpt-5.1-codex","input":)" + deep + "}");
        EXPECT_EQ(reply.status, 400) << path << " " << reply.body;
        EXPECT_TRUE(json::parse(reply.body, nullptr, false).contains("error"))
            << path << " " << reply.body;
    }
    EXPECT_EQ(harness_.recordedAt("/backend-api/wham/tasks").size(), 0U)
        << "a deep body is not forwarded";
    expectStillServing();
}

TEST_F(AttackMatrixTest, RequestsWithDoubtfulFramingAreRefusedAndTheirConnectionClosed) {
    // Each is followed by a request that must never be answered: it would have been smuggled.
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string post =
        "POST /backend-api/codex/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
        harness_.key() + "\r\n";
    const std::vector<std::pair<std::string, std::string>> probes{
        {post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
        {post + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}", "400"},
        {post + "Transfer-Encoding: gzip\r\n\r\n{}", "501"},
        {post + "Content-Length: -1\r\n\r\n", "400"},
        {post + "Content-Length: +2\r\n\r\n{}", "400"},
    };
    for (const auto& [wire, status] : probes) {
        const RawReply reply = rawExchange(harness_.port(), wire + smuggled);
        EXPECT_EQ(reply.bytes.rfind("HTTP/1.1 " + status, 0), 0U) << wire << "\n" << reply.bytes;
        EXPECT_EQ(countOf(reply.bytes, "HTTP/1.1 "), 1U)
            << "the trailing request was answered: " << wire;
        EXPECT_TRUE(reply.closed) << wire;
    }
    EXPECT_EQ(harness_.modelRequestsByAccount().size(), 0U) << "nothing reached an account";
    expectStillServing();
}

// Poco bounds each read of a request head by idle_timeout (60 s), not the whole head: without
// server.header_timeout a client sending a byte now and then holds a request thread for good.
TEST(SlowClientAttackTest, AHeadTrickledByteByByteIsCutAtTheHeaderTimeout) {
    HarnessOptions o = everySurface();
    o.server_yaml = "header_timeout: 1s";
    GatewayHarness harness(o);
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", harness.port()));
    const std::string head =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'a');
    const auto started = std::chrono::steady_clock::now();
    bool cut = false;
    for (std::size_t i = 0; i < head.size() && !cut; ++i) {
        try {
            socket.sendBytes(&head[i], 1);
            char byte = 0;
            cut = socket.poll(Poco::Timespan(100'000), Poco::Net::Socket::SELECT_READ) &&
                  socket.receiveBytes(&byte, 1) <= 0;
        } catch (const Poco::Exception&) {
            cut = true;  // reset by the gateway
        }
    }
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(cut) << "the head took " << head.size() << " trickled bytes without a cut";
    EXPECT_GE(waited, std::chrono::milliseconds(900));
    EXPECT_LT(waited, std::chrono::seconds(4));
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
}

TEST(SlowClientAttackTest, AnIdleFloodIsCutSoAClientIsServedWithinSeconds) {
    HarnessOptions o = everySurface();
    o.server_yaml = "header_timeout: 1s, max_threads: 4";
    GatewayHarness harness(o);
    // Twice the request threads, all silent: each holds a thread until its head is overdue.
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 8; ++i) {
        idle.emplace_back(Poco::Net::SocketAddress("127.0.0.1", harness.port()));
    }
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
    // Two rounds of one header timeout each, and the sweep's slack; idle_timeout is 60 s.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}

TEST(FaultMatrixTest, AHangingUpstreamCostsTheAnswerDeadlineNotRingTimesTheReadTimeout) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: hang } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: hang } }\n"
        "  - { id: acct-c, access_token: tok-c, behaviour: { mode: hang } }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}, {"acct-c", "tok-c"}};
    o.upstream_yaml = "first_byte_timeout: 400ms\n  answer_deadline: 1s";
    GatewayHarness harness(o);
    const auto started = std::chrono::steady_clock::now();
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(reply.status, 504) << reply.body;
    EXPECT_EQ(json::parse(reply.body)["error"]["code"], "upstream_timeout") << reply.body;
    // read_timeout stays at its 300 s default: only the new bounds can have ended the wait.
    EXPECT_LT(waited, std::chrono::seconds(10));
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "upstream_timeout");
    EXPECT_LE(harness.modelRequestsByAccount().size(), 3U);
}

}  // namespace
}  // namespace sluice::integration

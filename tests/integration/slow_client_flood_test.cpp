// The acceptance tests of the event-loop server: a crowd of slowloris connections, each sending
// one header byte a second, costs no thread. A normal client is served while they trickle, and
// the header-read timeout closes every one of them. Bodies that trickle are answered 408 by the
// body timeout without reaching the upstream.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

constexpr int kSlowClients = 2000;

// Enough descriptors for both ends of every slow connection, when the hard limit allows it.
void raiseDescriptorLimit(rlim_t wanted) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min(wanted, limit.rlim_max);
        ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    }
    ASSERT_GE(limit.rlim_cur, wanted) << "the hard descriptor limit is too low for this test";
}

int connectTo(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        return -1;
    }
    return fd;
}

// Whether the gateway closed `fd`: it reads as ended or reset, with no answer in between.
bool closedByPeer(int fd) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, 0) <= 0) {
        return false;
    }
    char byte = 0;
    const ssize_t got = ::recv(fd, &byte, 1, MSG_DONTWAIT);
    return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

TEST(SlowClientFloodTest, TwoThousandTricklingHeadsAreCutWhileAClientIsServed) {
    raiseDescriptorLimit(4 * kSlowClients + 1024);
    HarnessOptions options = GatewayHarness::twoAccounts();
    options.server_yaml = "header_timeout: 3s, max_threads: 8, loop_threads: 2";
    GatewayHarness harness(options);

    std::vector<int> slow;
    slow.reserve(kSlowClients);
    for (int i = 0; i < kSlowClients; ++i) {
        const int fd = connectTo(harness.port());
        ASSERT_GE(fd, 0) << "connection " << i;
        slow.push_back(fd);
    }
    const std::string head =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n";
    const auto started = std::chrono::steady_clock::now();
    std::vector<bool> closed(slow.size(), false);
    std::size_t open = slow.size();
    int served = 0;
    // One byte a second on every connection still open, and a normal client meanwhile.
    for (std::size_t byte = 0; open > 0 && byte < head.size(); ++byte) {
        for (std::size_t i = 0; i < slow.size(); ++i) {
            if (!closed[i] && (closedByPeer(slow[i]) ||
                               ::send(slow[i], &head[byte], 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)) {
                closed[i] = true;
                --open;
            }
        }
        if (open > 0) {
            EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
            EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
            ++served;
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(open, 0U) << "connections still open after " << head.size() << " trickled bytes";
    EXPECT_GE(served, 2) << "the normal client was served while the slow ones trickled";
    EXPECT_GE(waited, std::chrono::seconds(2));
    EXPECT_LT(waited, std::chrono::seconds(10)) << "the header timeout is 3 s";
    for (const int fd : slow) {
        ::close(fd);
    }
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
}

// What the gateway answered on `fd`, read until it closes or `limit` passes.
std::string readAnswer(int fd, std::chrono::seconds limit) {
    std::string answer;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char chunk[4096];
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) {
            continue;
        }
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) {
            break;
        }
        answer.append(chunk, static_cast<std::size_t>(got));
    }
    return answer;
}

TEST(SlowClientFloodTest, TricklingBodiesAreAnswered408AndNeverReachTheUpstream) {
    constexpr int kSlowBodies = 200;
    raiseDescriptorLimit(4 * kSlowBodies + 1024);
    HarnessOptions options = GatewayHarness::twoAccounts();
    options.server_yaml = "body_timeout: 2s, max_threads: 8, loop_threads: 2";
    GatewayHarness harness(options);

    const std::string body = GatewayHarness::turnBody("slow", false);
    const std::string head =
        "POST /backend-api/codex/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        harness.key() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    std::vector<int> slow;
    for (int i = 0; i < kSlowBodies; ++i) {
        const int fd = connectTo(harness.port());
        ASSERT_GE(fd, 0) << "connection " << i;
        ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL),
                  static_cast<ssize_t>(head.size()));
        slow.push_back(fd);
    }
    // One body byte a second on each for the first two seconds (nothing is sent after the
    // 408, so it is not lost to a reset), and a normal turn each second for four.
    for (std::size_t second = 0; second < 4; ++second) {
        if (second < 2) {
            for (const int fd : slow) {
                ::send(fd, &body[second], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
        }
        EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody("quick", false)).status, 200);
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    for (const int fd : slow) {
        const std::string answer = readAnswer(fd, std::chrono::seconds(5));
        EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0U) << answer;
        EXPECT_NE(answer.find("\"request_timeout\""), std::string::npos) << answer;
        ::close(fd);
    }
    EXPECT_EQ(harness.recordedAt("/backend-api/codex/responses").size(), 4U)
        << "only the normal turns reach the upstream";
}

}  // namespace
}  // namespace sluice::integration

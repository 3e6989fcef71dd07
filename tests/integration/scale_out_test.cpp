// Issue 18, several replicas: three `sluice serve` on one PostgreSQL and one Redis, both started
// by the test on loopback. A key revoked through one replica is refused by the other two within
// 1 s (change notifications, ADR 0012); with Redis stopped the replicas keep serving, say so in
// /readyz and the metric, still converge through the directory re-read, and are notified again
// once Redis is back. A per-key limit of N requests per minute admits exactly N of 64 concurrent
// requests spread over the replicas; replicas seeing an expired token at once refresh it once.
// The turns of one conversation land on one account whichever replica each hits, and a
// `previous_response_id` continuation sent to another replica reaches the account that produced
// the response (shared affinity, ADR 0012). Also loads config/examples/postgres-redis.yaml.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "core/config/pipeline_loader.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/emulator/account_registry.hpp"
#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/request_recorder.hpp"
#include "tests/emulator/script_loader.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/redis_server.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using tests::PostgresEnvironment;
using tests::RedisServer;
using Clock = std::chrono::steady_clock;

[[maybe_unused]] auto* const environment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr const char* kTurn =
    R"({"model":"gpt-5.5","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";
constexpr const char* kChannel = "sluice:scale-out-test";
constexpr std::size_t kReplicas = 3;

struct IssuedKey {
    std::string prefix;
    std::string key;
};

class ScaleOutTest : public ServeTest {
protected:
    ScaleOutTest()
        : emulator_(emulator::parseScript("accounts:\n  - { id: acct-a, access_token: tok-a }\n"
                                          "  - { id: acct-r, oauth: { delay: 300ms } }\n"
                                          "  - { id: acct-b, access_token: tok-b }\n"
                                          "  - { id: acct-c, access_token: tok-c }\n"
                                          "  - { id: acct-d, access_token: tok-d }\n",
                                          static_cast<std::int64_t>(std::time(nullptr)))) {
        emulator_.start("127.0.0.1", 0);
    }
    ~ScaleOutTest() override { emulator_.stop(); }

    void SetUp() override {
        const auto binary = RedisServer::findBinary();
        if (!binary) {
            GTEST_SKIP() << tests::kRedisMissing;
        }
        redis_.emplace(*binary);
        database_ = PostgresEnvironment::server().createDatabase();
        writeConfig(config());
        std::ofstream(dir_.path() / "acct-a.json")
            << R"({"tokens":{"access_token":"tok-a","refresh_token":"rt-a","account_id":"acct-a"}})";
        ok({"account", "import", "--pool", "team", "--auth-json", "acct-a.json", "--label", "a"});
        admin_ = ok({"admin-token", "create", "--name", "ops"})["token"];
    }

    std::string config() const {
        return "version: 1\nplugins:\n  paths: [\"" SLUICE_PLUGIN_DIR
               "\"]\n  load: [storage-postgres, state-redis, strategy-builtin, route-codex, "
               "route-admin]\nstorage: { type: postgres, config: { uri: \"" +
               PostgresEnvironment::server().uri(database_) +
               "\" } }\nshared_state: { type: redis, config: { address: \"" + redis_->address() +
               "\", channel: \"" + kChannel +
               "\", reconnect_interval: 100ms, call_timeout: 1s } }\nsecrets: { key#env: "
               "SLUICE_SECRET_KEY }\n"
               "strategies: { rotate: { type: round_robin } }\npools: { team: { strategy: "
               "rotate } }\nroutes: [ { family: codex_backend }, { family: admin } ]\n"
               "upstream: { chatgpt_base_url: " +
               emulator_.baseUrl() + ", auth_base_url: " + emulator_.baseUrl() +
               " }\naccounts: { usage_probe_interval: 0s }\n";
    }

    json ok(std::vector<std::string> args) {
        args.push_back("--json");
        const CliRun run = sluice(args);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out, nullptr, false);
    }

    IssuedKey createKey(const std::string& name, const std::string& pool = "team") {
        const json created = ok({"key", "create", "--pool", pool, "--name", name});
        return {created["prefix"], created["key"]};
    }

    /// The pool `conv`: acct-b, acct-c and acct-d taken in turn (round robin), and a key for it.
    IssuedKey conversationPool() {
        ok({"pool", "create", "--name", "conv", "--strategy", "rotate"});
        for (const std::string id : {"acct-b", "acct-c", "acct-d"}) {
            const std::string token = "tok-" + id.substr(5);
            std::ofstream(dir_.path() / (id + ".json"))
                << R"({"tokens":{"access_token":")" << token
                << R"(","refresh_token":"rt","account_id":")" << id << R"("}})";
            ok({"account", "import", "--pool", "conv", "--auth-json", id + ".json", "--label", id});
        }
        return createKey("conv", "conv");
    }

    /// Moves each replica's round robin on by a different number of turns, so replicas left to
    /// themselves would pick different accounts for one conversation.
    void skewRotations(const IssuedKey& key) {
        for (std::size_t i = 0; i < kReplicas; ++i) {
            for (std::size_t n = 0; n < i; ++n) {
                ASSERT_EQ(turn(i, key.key), 200);
            }
        }
    }

    /// A turn with extra request headers; its answer in `answer`.
    int turnWith(std::size_t replica, const std::string& key, const std::string& body,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 std::string& answer) {
        Poco::Net::HTTPClientSession session("127.0.0.1", replicas_[replica]->process.port);
        return exchange(session, "POST", "/backend-api/codex/responses", key, body, answer,
                        headers);
    }

    /// The account the emulator saw the last turn on.
    std::string lastTurnsAccount() {
        const auto turns = emulator_.recorder().snapshot();
        return turns.empty() ? std::string() : turns.back().account_id;
    }

    /// Three replicas, each subscribed to the channel before this returns.
    void startReplicas() {
        for (std::size_t i = 0; i < kReplicas; ++i) {
            replicas_.push_back(std::unique_ptr<Gateway>(new Gateway{serve({}, config())}));
            ASSERT_TRUE(replicas_.back()->process.healthy()) << "replica " << i;
        }
        ASSERT_TRUE(eventually(5s, [&] {
            return redis_->subscribers(kChannel) == static_cast<std::int64_t>(kReplicas);
        }));
    }

    int call(std::size_t replica, const std::string& method, const std::string& path,
             const std::string& credential, const std::string& body, std::string& answer) {
        Poco::Net::HTTPClientSession session("127.0.0.1", replicas_[replica]->process.port);
        return exchange(session, method, path, credential, body, answer);
    }
    int turn(std::size_t replica, const std::string& key) {
        std::string answer;
        return call(replica, "POST", "/backend-api/codex/responses", key, kTurn, answer);
    }
    int revoke(std::size_t replica, const IssuedKey& key) {
        std::string answer;
        return call(replica, "POST", "/admin/api/v1/keys/" + key.prefix + "/revoke", admin_, "{}",
                    answer);
    }
    std::string get(std::size_t replica, const std::string& path) {
        std::string answer;
        EXPECT_EQ(call(replica, "GET", path, "", "", answer), 200) << path;
        return answer;
    }

    /// How long after `since` each of `replicas` first refused `key` (401), polling until
    /// `bound`; nullopt for a replica that still took it then.
    std::vector<std::optional<Clock::duration>> refusals(const IssuedKey& key,
                                                         std::vector<std::size_t> replicas,
                                                         Clock::time_point since,
                                                         Clock::duration bound) {
        std::vector<std::optional<Clock::duration>> refused(replicas.size());
        for (std::size_t done = 0; done < replicas.size() && Clock::now() - since < bound;) {
            done = 0;
            for (std::size_t i = 0; i < replicas.size(); ++i) {
                if (!refused[i] && turn(replicas[i], key.key) == 401) {
                    refused[i] = Clock::now() - since;
                }
                done += refused[i] ? 1 : 0;
            }
        }
        return refused;
    }

    template <class Predicate>
    static bool eventually(Clock::duration bound, Predicate predicate) {
        const auto deadline = Clock::now() + bound;
        while (!predicate()) {
            if (Clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(20ms);
        }
        return true;
    }

    emulator::EmulatorServer emulator_;
    std::optional<RedisServer> redis_;
    std::string database_;
    std::string admin_;
    std::vector<std::unique_ptr<Gateway>> replicas_;
};

/// Milliseconds, for the test's log.
long long ms(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

TEST_F(ScaleOutTest, AKeyRevokedThroughOneReplicaIsRefusedByTheOthersWithinOneSecond) {
    // Three keys, so a refusal that only came from the 2 s directory re-read would show.
    std::vector<IssuedKey> keys{createKey("one"), createKey("two"), createKey("three")};
    startReplicas();
    for (const IssuedKey& key : keys) {
        ASSERT_EQ(turn(1, key.key), 200);
        ASSERT_EQ(turn(2, key.key), 200);
    }
    for (const IssuedKey& key : keys) {
        const auto since = Clock::now();
        ASSERT_EQ(revoke(0, key), 200);
        const auto refused = refusals(key, {1, 2}, since, 1s);
        for (std::size_t i = 0; i < refused.size(); ++i) {
            ASSERT_TRUE(refused[i].has_value()) << "replica " << i + 1 << " still took "
                                                << key.prefix << " 1 s after it was revoked";
            std::cout << "[ measured ] " << key.prefix << " refused by replica " << i + 1 << " "
                      << ms(*refused[i]) << " ms after the revocation was sent\n";
        }
    }
    EXPECT_EQ(turn(0, keys[0].key), 401);
}

TEST_F(ScaleOutTest, TheTurnsOfAConversationLandOnOneAccountWhicheverReplicaEachHits) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    for (const std::string conversation : {"conversation-1", "conversation-2"}) {
        std::set<std::string> accounts;
        for (std::size_t i = 0; i < 2 * kReplicas; ++i) {
            std::string answer;
            ASSERT_EQ(turnWith((i + accounts.size()) % kReplicas, key.key, kTurn,
                               {{"session-id", conversation}}, answer),
                      200)
                << answer;
            accounts.insert(lastTurnsAccount());
        }
        EXPECT_EQ(accounts.size(), 1u) << conversation << " was served by several accounts";
    }
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_NE(get(i, "/metrics")
                      .find(R"(sluice_affinity_shared_fallbacks_total{kind="conversation"} 0)"),
                  std::string::npos)
            << "replica " << i << " decided a conversation on its own table";
    }
}

TEST_F(ScaleOutTest, AContinuationSentToAnotherReplicaReachesTheAccountThatMadeTheResponse) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    for (std::size_t first = 0; first < kReplicas; ++first) {
        std::string answer;
        ASSERT_EQ(turnWith(first, key.key, kTurn, {}, answer), 200);
        const auto id_at = answer.find(R"("id":")") + 6;
        const std::string response_id = answer.substr(id_at, answer.find('"', id_at) - id_at);
        const std::string owner = lastTurnsAccount();
        const std::string continuation =
            R"({"model":"gpt-5.5","stream":true,"previous_response_id":")" + response_id +
            R"(","input":[]})";
        for (std::size_t next = 1; next < kReplicas; ++next) {
            const std::size_t other = (first + next) % kReplicas;
            ASSERT_EQ(turnWith(other, key.key, continuation, {}, answer), 200) << answer;
            const auto seen = emulator_.recorder().snapshot().back();
            EXPECT_EQ(seen.account_id, owner)
                << response_id << " made on replica " << first << " continued on " << other;
            EXPECT_EQ(seen.previous_response_id, response_id);
        }
    }
}

TEST_F(ScaleOutTest, APerKeyLimitOfNPerMinuteAdmitsExactlyNOf64ConcurrentRequestsAcrossReplicas) {
    constexpr int kLimit = 10;
    constexpr int kRequests = 64;
    const IssuedKey limited = createKey("limited");
    ok({"key", "policy", limited.prefix, "--set",
        R"({"requests_per_minute":)" + std::to_string(kLimit) + "}"});
    startReplicas();

    std::atomic<int> ready{0};
    std::vector<int> statuses(kRequests);
    std::vector<std::thread> clients;
    for (int i = 0; i < kRequests; ++i) {
        clients.emplace_back([&, i] {
            Poco::Net::HTTPClientSession session(
                "127.0.0.1", replicas_[static_cast<std::size_t>(i) % kReplicas]->process.port);
            ++ready;
            while (ready.load() < kRequests) {
                std::this_thread::yield();  // all 64 go at once
            }
            std::string answer;
            statuses[static_cast<std::size_t>(i)] = exchange(
                session, "POST", "/backend-api/codex/responses", limited.key, kTurn, answer);
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kLimit);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429), kRequests - kLimit);
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_NE(get(i, "/metrics").find("sluice_admission_shared_fallbacks_total 0"),
                  std::string::npos)
            << "replica " << i << " decided on its own count";
    }
}

TEST_F(ScaleOutTest, WithRedisStoppedTheReplicasServeReportDegradedAndConvergeWhenItReturns) {
    const IssuedKey kept = createKey("kept");
    const IssuedKey while_down = createKey("while-down");
    const IssuedKey after = createKey("after");
    startReplicas();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_EQ(json::parse(get(i, "/readyz")), json({{"status", "ready"}}));
    }

    redis_->stop();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_TRUE(eventually(
            5s,
            [&] { return json::parse(get(i, "/readyz")).value("shared_state", "") == "degraded"; }))
            << "replica " << i;
        EXPECT_NE(get(i, "/metrics").find("sluice_shared_state_connected 0"), std::string::npos);
    }
    for (int i = 0; i < 9; ++i) {
        EXPECT_EQ(turn(static_cast<std::size_t>(i) % kReplicas, kept.key), 200) << "turn " << i;
    }
    // Without notifications a revocation still reaches the others, through the 2 s re-read.
    const auto down_since = Clock::now();
    ASSERT_EQ(revoke(0, while_down), 200);
    for (const auto& refused : refusals(while_down, {1, 2}, down_since, 4s)) {
        EXPECT_TRUE(refused.has_value());
    }

    redis_->start();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_TRUE(
            eventually(5s,
                       [&] {
                           return json::parse(get(i, "/readyz")) == json({{"status", "ready"}});
                       }))
            << "replica " << i;
        EXPECT_NE(get(i, "/metrics").find("sluice_shared_state_connected 1"), std::string::npos);
    }
    ASSERT_TRUE(eventually(
        5s, [&] { return redis_->subscribers(kChannel) == static_cast<std::int64_t>(kReplicas); }));
    const auto since = Clock::now();
    ASSERT_EQ(revoke(0, after), 200);
    for (const auto& refused : refusals(after, {1, 2}, since, 1s)) {
        EXPECT_TRUE(refused.has_value()) << "notifications did not come back with Redis";
    }
    EXPECT_EQ(turn(1, kept.key), 200);
}

TEST_F(ScaleOutTest, AConversationBoundWhileRedisWasDownSettlesOnOneAccountWhenItReturns) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    redis_->stop();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        ASSERT_TRUE(eventually(5s, [&] {
            return json::parse(get(i, "/readyz")).value("shared_state", "") == "degraded";
        }));
    }
    // Each replica keeps the conversation on one account of its own meanwhile.
    std::set<std::string> during;
    for (int round = 0; round < 2; ++round) {
        std::string answer;
        ASSERT_EQ(turnWith(0, key.key, kTurn, {{"session-id", "outage"}}, answer), 200);
        during.insert(lastTurnsAccount());
    }
    EXPECT_EQ(during.size(), 1u);

    redis_->start();
    ASSERT_TRUE(eventually(
        5s, [&] { return redis_->subscribers(kChannel) == static_cast<std::int64_t>(kReplicas); }));
    std::set<std::string> after;
    for (std::size_t i = 0; i < 2 * kReplicas; ++i) {
        std::string answer;
        ASSERT_EQ(turnWith((i + 1) % kReplicas, key.key, kTurn, {{"session-id", "outage"}}, answer),
                  200);
        after.insert(lastTurnsAccount());
    }
    EXPECT_EQ(after.size(), 1u) << "the replicas did not agree on the conversation's account";
}

TEST_F(ScaleOutTest, ReplicasSeeingAnExpiredTokenAtOnceRefreshItExactlyOnce) {
    // acct-r alone in its pool: JWT access tokens, and a token endpoint slow enough (300 ms)
    // that refreshes started together would overlap.
    ok({"pool", "create", "--name", "solo", "--strategy", "rotate"});
    Poco::Net::HTTPClientSession emulator("127.0.0.1", emulator_.port());
    std::string auth_json;
    ASSERT_EQ(exchange(emulator, "GET", "/__emulator/accounts/acct-r/auth-json", "", "", auth_json),
              200);
    std::ofstream(dir_.path() / "acct-r.json") << auth_json;
    ok({"account", "import", "--pool", "solo", "--auth-json", "acct-r.json", "--label", "r"});
    const auto imported = Clock::now();
    const IssuedKey key = createKey("solo", "solo");
    startReplicas();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        ASSERT_EQ(turn(i, key.key), 200);
    }
    // A refresh stored in the last 10 s counts as a peer's (TokenRefresher); the import's must
    // not.
    std::this_thread::sleep_until(imported + 11s);

    emulator_.accounts().expireAccessTokens("acct-r");
    std::vector<int> statuses(kReplicas);
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < kReplicas; ++i) {
        clients.emplace_back([&, i] { statuses[i] = turn(i, key.key); });
    }
    for (auto& client : clients) {
        client.join();
    }
    EXPECT_EQ(emulator_.recorder().snapshot("", "/oauth/token").size(), 1u)
        << "the three replicas refreshed acct-r more than once";
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_EQ(statuses[i], 200) << "replica " << i;
        EXPECT_EQ(turn(i, key.key), 200) << "replica " << i << " afterwards";
    }
}

TEST_F(ScaleOutTest, TheExamplePipelineLoadsAndOpensBothServers) {
    const auto environment = [&](const std::string& name) -> std::optional<std::string> {
        if (name == "SLUICE_SECRET_KEY") {
            return std::string(64, 'a');
        }
        if (name == "SLUICE_POSTGRES_URI") {
            return PostgresEnvironment::server().uri(database_);
        }
        if (name == "SLUICE_REDIS_ADDRESS") {
            return redis_->address();
        }
        if (name == "SLUICE_POSTGRES_PASSWORD" || name == "SLUICE_REDIS_PASSWORD") {
            return std::string();  // the test servers ask for none
        }
        return std::nullopt;
    };
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    const core::config::PipelineLoader loader(environment,
                                              {std::filesystem::path(SLUICE_PLUGIN_DIR)});
    const auto issues = loader.load(
        std::filesystem::path(SLUICE_SOURCE_DIR) / "config/examples/postgres-redis.yaml", registry,
        pipeline);
    for (const auto& issue : issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(issues.empty());
    ASSERT_EQ(pipeline.shared_state.type, "redis");
    sdk::testing::FakeHost host;
    const auto storage = registry.createStorage("postgres", *pipeline.storage.config, host);
    ASSERT_NE(storage, nullptr);
    EXPECT_TRUE(storage->migrate().ok());
    EXPECT_NE(registry.createSharedState("redis", *pipeline.shared_state.config, host), nullptr);
}

}  // namespace
}  // namespace sluice::integration

#pragma once

// The fixture of the scale-out tests (issue 18): three `sluice serve` replicas on one PostgreSQL
// and one Redis, both started by the tests on loopback, and the emulator as their upstream.

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

using json = nlohmann::json;
using namespace std::chrono_literals;
using tests::PostgresEnvironment;
using tests::RedisServer;
using Clock = std::chrono::steady_clock;

inline constexpr const char* kTurn =
    R"({"model":"gpt-5.5","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";
inline constexpr const char* kChannel = "sluice:scale-out-test";
inline constexpr std::size_t kReplicas = 3;

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
                                          "  - { id: acct-d, access_token: tok-d }\n"
                                          "  - { id: acct-x, access_token: tok-x, behaviour: "
                                          "{ mode: usage_limit, resets_in: 4s } }\n",
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
inline long long ms(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace sluice::integration

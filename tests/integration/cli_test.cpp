// The `sluice` binary as operators use it: exit codes, messages naming YAML paths, secrets that
// never reach the database file or stdout.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

TEST_F(CliTest, ValidatePrintsTheEffectiveConfigWithSecretsRedacted) {
    writeConfig(pipeline());
    const CliRun run = sluice({"validate"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("key: <redacted>"), std::string::npos);
    EXPECT_NE(run.out.find("ring_size: 3"), std::string::npos) << "defaults are applied";
    EXPECT_EQ(run.out.find(secret_), std::string::npos);
}

TEST_F(CliTest, ValidateReportsEveryProblemAtItsYamlPath) {
    writeConfig(
        "version: 1\n"
        "plugins:\n"
        "  paths: [\"" SLUICE_PLUGIN_DIR
        "\"]\n"
        "  load: [storage-sqlite, strategy-builtin, route-missing]\n"
        "storage: { type: sqlite, config: { path: sluice.db, jounal: wal } }\n"
        "secrets: { key#env: SLUICE_SECRET_KEY }\n"
        "strategies: { rotate: { type: round_robin } }\n"
        "pools: { team: { strategy: balanced } }\n");
    const CliRun run = sluice({"validate"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("line 4: plugins.load[2]: plugin 'route-missing' not found: no "
                           "libsluice-route-missing.so in " SLUICE_PLUGIN_DIR),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("line 5: storage.config.jounal: unknown key 'jounal'"),
              std::string::npos)
        << run.err;
    EXPECT_NE(
        run.err.find(
            "line 8: pools.team.strategy: strategy 'balanced' is not defined under strategies "
            "(defined: rotate)"),
        std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("3 errors"), std::string::npos) << run.err;
}

TEST_F(CliTest, ValidateJsonOutputIsMachineReadable) {
    writeConfig("version: 2\n");
    const CliRun run = sluice({"validate", "--json"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.out.find("\"valid\": false"), std::string::npos);
    EXPECT_NE(run.out.find("\"path\": \"version\""), std::string::npos);
}

TEST_F(CliTest, ImportedTokensNeverAppearInTheDatabaseFile) {
    writeConfig(pipeline());
    std::ofstream(dir_.path() / "auth.json")
        << R"({"auth_mode":"chatgpt","tokens":{"access_token":"ACCESS-PLAINTEXT-1234","refresh_token":"REFRESH-PLAINTEXT-5678","id_token":"","account_id":"acct-x"}})";
    const CliRun imported =
        sluice({"account", "import", "--pool", "team", "--auth-json", "auth.json", "--label", "x"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const CliRun listed = sluice({"account", "list", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("\"label\": \"x\""), std::string::npos);
    const std::string everything =
        fileBytes("sluice.db") + fileBytes("sluice.db-wal") + listed.out + imported.out;
    EXPECT_EQ(everything.find("ACCESS-PLAINTEXT"), std::string::npos);
    EXPECT_EQ(everything.find("REFRESH-PLAINTEXT"), std::string::npos);
}

TEST_F(CliTest, KeyCreatePrintsTheKeyLastAndKeyListNeverDoes) {
    writeConfig(pipeline());
    const CliRun created = sluice({"key", "create", "--pool", "team", "--name", "ci"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    std::string last = created.out.substr(0, created.out.size() - 1);
    last = last.substr(last.rfind('\n') + 1);
    ASSERT_EQ(last.rfind("sk-sluice-", 0), 0U) << created.out;
    // The secret part (43 base64url characters, which may include '-') follows "<prefix>-".
    const std::string prefix = last.substr(0, last.size() - 44);

    const CliRun listed = sluice({"key", "list"});
    EXPECT_NE(listed.out.find(prefix), std::string::npos);
    EXPECT_EQ(listed.out.find(last), std::string::npos);
    EXPECT_EQ(sluice({"key", "list", "--json"}).out.find(last), std::string::npos);
    EXPECT_EQ((fileBytes("sluice.db") + fileBytes("sluice.db-wal")).find(last), std::string::npos);

    EXPECT_EQ(sluice({"key", "revoke", prefix}).exit_code, 0);
    EXPECT_NE(sluice({"key", "list"}).out.find("revoked"), std::string::npos);
}

TEST_F(CliTest, KeyRotateKeepsThePrefixAndKeyPolicyIsValidated) {
    writeConfig(pipeline());
    const auto json = [](const CliRun& run) { return nlohmann::json::parse(run.out); };
    const auto created =
        json(sluice({"key", "create", "--pool", "team", "--name", "ci", "--json"}));
    const std::string prefix = created["prefix"];

    const CliRun rotated = sluice({"key", "rotate", prefix, "--json"});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    EXPECT_EQ(json(rotated)["prefix"], prefix);
    EXPECT_NE(json(rotated)["key"], created["key"]);
    EXPECT_EQ((fileBytes("sluice.db") + fileBytes("sluice.db-wal"))
                  .find(json(rotated)["key"].get<std::string>()),
              std::string::npos);

    const CliRun policy =
        sluice({"key", "policy", prefix, "--set", R"({"requests_per_minute":30})", "--json"});
    ASSERT_EQ(policy.exit_code, 0) << policy.err;
    EXPECT_EQ(json(policy)["policy"]["requests_per_minute"], 30);
    const CliRun refused =
        sluice({"key", "policy", prefix, "--set", R"({"requests_per_minute":"many"})"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("requests_per_minute"), std::string::npos) << refused.err;
    EXPECT_EQ(sluice({"key", "rotate", "sk-sluice-000000000000"}).exit_code, 1);
}

TEST_F(CliTest, PoolsFromThePipelineAndFromStorageAreListedTogether) {
    writeConfig(pipeline());
    EXPECT_EQ(sluice({"pool", "create", "--name", "night-shift", "--ring-size", "2"}).exit_code, 0);
    const CliRun duplicate = sluice({"pool", "create", "--name", "team"});
    EXPECT_EQ(duplicate.exit_code, 1);
    EXPECT_NE(duplicate.err.find("declared in the pipeline"), std::string::npos);
    const CliRun listed = sluice({"pool", "list"});
    EXPECT_NE(listed.out.find("night-shift  rotate    2"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("team"), std::string::npos);
}

TEST_F(CliTest, RouteExplainShowsExclusionsAndTheOrder) {
    writeConfig(pipeline());
    for (const std::string id : {"a", "b", "c"}) {
        std::ofstream(dir_.path() / (id + ".json"))
            << R"({"tokens":{"access_token":"tok-)" << id
            << R"(","refresh_token":"rt","account_id":"acct-)" << id << R"("}})";
        ASSERT_EQ(sluice({"account", "import", "--pool", "team", "--auth-json", id + ".json",
                          "--label", id})
                      .exit_code,
                  0);
    }
    const std::string paused_id = sluice({"account", "list", "--json"}).out;
    const auto at = paused_id.find("\"id\": \"") + 7;
    ASSERT_EQ(
        sluice({"account", "pause", paused_id.substr(at, paused_id.find('"', at) - at)}).exit_code,
        0);

    const CliRun run = sluice({"route", "explain", "--pool", "team", "--model", "gpt-5.5"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("pool team (strategy rotate, ring 3), model gpt-5.5: 3 account(s)"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("excluded: paused by an operator"), std::string::npos) << run.out;
    const CliRun json = sluice({"route", "explain", "--pool", "team", "--json"});
    EXPECT_NE(json.out.find("\"order\""), std::string::npos);
    EXPECT_EQ(sluice({"route", "explain", "--pool", "nope"}).exit_code, 1);
}

TEST_F(CliTest, UpstreamIdentityIsDeclaredOnceAndAFamilysOldCopyIsRefusedAtItsPath) {
    std::string config = pipeline();
    config.replace(config.find("routes: [ { family: codex_backend } ]"), 37,
                   "routes: [ { family: codex_backend, config: { client_version: 0.170.0 } } ]");
    writeConfig(config + "upstream: { codex_path: backend-api/codex }\n");
    const CliRun run = sluice({"validate"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("upstream.codex_path: must be an absolute path below the origin"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("routes[0].config.client_version: unknown key 'client_version'"),
              std::string::npos)
        << run.err;
}

TEST_F(CliTest, ResponseStoreSettingsAreCheckedAtTheirPath) {
    writeConfig(pipeline() + "response_store: { purge_interval: 0s, queue_limit: 0 }\n");
    const CliRun run = sluice({"validate"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("response_store.purge_interval: must be longer than 0s"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("response_store.queue_limit: "), std::string::npos) << run.err;
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
    writeConfig(pipeline());
    EXPECT_EQ(sluice({"key", "create", "--pool", "team"}).exit_code, 2);
    EXPECT_EQ(sluice({"frobnicate"}).exit_code, 2);
}

TEST_F(CliTest, ServeRefusesAnAddressAnotherGatewayHolds) {
    // The other gateway binds as the gateway used to, port sharing on: a second one must still
    // refuse rather than silently take half of the connections.
    Poco::Net::ServerSocket other;
    other.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, true);
    other.listen();
    std::string config = pipeline();
    config += "server: { listen: \"127.0.0.1:" + std::to_string(other.address().port()) + "\" }\n";
    writeConfig(config);
    // Bounded: a gateway that does start is stopped by timeout(1) and fails the test (124).
    const CliRun run = sluice({"serve"}, {"timeout", "20"});
    EXPECT_NE(run.exit_code, 0) << run.err;
    EXPECT_NE(run.exit_code, 124) << "the second gateway started";
    EXPECT_NE(run.err.find("in use"), std::string::npos) << run.err;
}

TEST_F(ServeTest, ACrashLeavesALogLineNamingTheSignal) {
    ServeProcess process = serve();
    ASSERT_TRUE(process.healthy());
    ::kill(static_cast<pid_t>(process.handle->id()), SIGSEGV);
    const std::string errors = process.errorsAfterExit();
    EXPECT_NE(errors.find("level=fatal component=host event=fatal_signal signal=SIGSEGV"),
              std::string::npos)
        << errors;
}

TEST_F(ServeTest, FailedAcceptsAreLoggedAtMostOnceASecond) {
    // Few enough descriptors that connections exhaust them; prlimit(1) is util-linux's.
    ServeProcess process = serve({"prlimit", "--nofile=64:64"});
    ASSERT_TRUE(process.healthy());
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> held;
    for (int i = 0; i < 80; ++i) {
        held.push_back(std::make_unique<Poco::Net::StreamSocket>(
            Poco::Net::SocketAddress("127.0.0.1", process.port)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    held.clear();
    ::kill(static_cast<pid_t>(process.handle->id()), SIGTERM);
    const std::string errors = process.errorsAfterExit();
    const auto first = errors.find("event=listener_error");
    ASSERT_NE(first, std::string::npos) << errors;
    EXPECT_NE(errors.find("Too many open files", first), std::string::npos) << errors;
    std::size_t lines = 0;
    for (auto at = first; at != std::string::npos;
         at = errors.find("event=listener_error", at + 1)) {
        ++lines;
    }
    EXPECT_LE(lines, 3U) << "one line a second, not one per failed accept";
}

// Acknowledged writes through the admin API survive SIGKILL at any moment of a write burst,
// and the database is left intact (the storage-level twin is storage_crash_test).
TEST_F(ServeTest, SigkillUnderWriteLoadLosesNoAcknowledgedWrite) {
    std::string config = pipeline();
    config.replace(config.find("route-codex]"), 12, "route-codex, route-admin]");
    config.replace(config.find("routes: [ { family: codex_backend } ]"), 37,
                   "routes: [ { family: codex_backend }, { family: admin } ]");
    writeConfig(config);
    const CliRun token = sluice({"admin-token", "create", "--name", "load"});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    std::string admin = token.out.substr(0, token.out.find_last_not_of('\n') + 1);
    admin = admin.substr(admin.find_last_of('\n') + 1);  // the token is printed last
    ServeProcess process = serve({}, config);
    ASSERT_TRUE(process.healthy());

    std::mutex mutex;
    std::vector<std::string> acknowledged;
    std::atomic<bool> killed{false};
    const auto writer = [&](int id) {
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", process.port);
            session.setTimeout(Poco::Timespan(10, 0));
            for (int i = 0; !killed; ++i) {
                const std::string name = "p" + std::to_string(id) + "-" + std::to_string(i);
                const std::string body = R"({"pool":")" + name + R"("})";
                Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                               "/admin/api/v1/pools",
                                               Poco::Net::HTTPMessage::HTTP_1_1);
                request.set("Authorization", "Bearer " + admin);
                request.setContentType("application/json");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
                session.sendRequest(request) << body;
                Poco::Net::HTTPResponse response;
                std::string answer;
                Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
                if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_CREATED) {
                    std::lock_guard lock(mutex);
                    acknowledged.push_back(name);
                }
            }
        } catch (const Poco::Exception&) {
            // The kill cut the exchange: what was not answered was not acknowledged.
        }
    };
    std::thread first(writer, 1);
    std::thread second(writer, 2);
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard lock(mutex);
            if (acknowledged.size() >= 150) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ::kill(static_cast<pid_t>(process.handle->id()), SIGKILL);
    killed = true;
    first.join();
    second.join();
    process.handle->wait();
    ASSERT_GT(acknowledged.size(), 20U) << "too few writes before the kill to prove anything";

    const CliRun listed = sluice({"pool", "list", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    std::set<std::string> stored;
    for (const auto& pool : nlohmann::json::parse(listed.out)) {
        stored.insert(pool["name"].get<std::string>());
    }
    for (const std::string& name : acknowledged) {
        EXPECT_EQ(stored.count(name), 1U) << name << " was acknowledged, then lost";
    }
    Poco::Pipe out;
    Poco::ProcessHandle check =
        Poco::Process::launch("sqlite3", {"sluice.db", "PRAGMA integrity_check;"},
                              dir_.path().string(), nullptr, &out, nullptr);
    Poco::PipeInputStream out_stream(out);
    std::string integrity;
    Poco::StreamCopier::copyToString(out_stream, integrity);
    EXPECT_EQ(check.wait(), 0);
    EXPECT_EQ(integrity, "ok\n");
}

}  // namespace
}  // namespace sluice::integration

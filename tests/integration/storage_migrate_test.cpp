// `sluice storage migrate` (issue 18): an SQLite install populated through the operator commands
// and real requests against the emulator, copied while a gateway still runs on it into a
// PostgreSQL the test starts; a gateway on the PostgreSQL pipeline then serves the migrated key
// and bills its wallet. Failures part way, a non-empty target, a target that changes what it
// stores and a target without the source's secret key each end in a clear error and exit 1.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sluice/plugins/common/storage_tables.hpp"
#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/script_loader.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/support/postgres_server.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using tests::PostgresEnvironment;

[[maybe_unused]] auto* const environment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr const char* kTurn =
    R"({"model":"gpt-5.5","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";

class StorageMigrateTest : public ServeTest {
protected:
    StorageMigrateTest()
        : emulator_(emulator::parseScript("accounts:\n  - { id: acct-a, access_token: tok-a }\n",
                                          static_cast<std::int64_t>(std::time(nullptr)))) {
        emulator_.start("127.0.0.1", 0);
        database_ = PostgresEnvironment::server().createDatabase();
    }
    ~StorageMigrateTest() override { emulator_.stop(); }

    std::string upstreamYaml(const std::string& journal) const {
        return "upstream: { chatgpt_base_url: " + emulator_.baseUrl() +
               ", auth_base_url: " + emulator_.baseUrl() +
               " }\naccounts: { usage_probe_interval: 0s }\nbilling: { journal: " + journal +
               ", apply_interval: 10ms, reload_interval: 100ms }\n";
    }
    std::string sqliteConfig() const { return sqlite_config_; }
    /// The same gateway on the test's PostgreSQL database.
    std::string postgresConfig(const std::string& secrets = "{ key#env: SLUICE_SECRET_KEY }") {
        return "version: 1\nplugins:\n  paths: [\"" SLUICE_PLUGIN_DIR
               "\"]\n  load: [storage-postgres, strategy-builtin, route-codex]\n"
               "storage: { type: postgres, config: { uri: \"" +
               PostgresEnvironment::server().uri(database_) + "\" } }\nsecrets: " + secrets +
               "\nstrategies: { rotate: { type: round_robin } }\npools: { team: { strategy: "
               "rotate } }\nroutes: [ { family: codex_backend } ]\n" +
               upstreamYaml("postgres.journal");
    }
    std::filesystem::path file(const std::string& name, const std::string& text) {
        const auto path = dir_.path() / name;
        std::ofstream(path) << text;
        return path;
    }

    json ok(std::vector<std::string> args) {
        args.push_back("--json");
        const CliRun run = sluice(args);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out, nullptr, false);
    }

    /// Pools, an account, a key, an admin token, a customer with a credited wallet the key is
    /// charged to, and a rate card, each through the CLI on the SQLite pipeline; returns the key.
    std::string populate() {
        sqlite_config_ = pipeline() + upstreamYaml("sqlite.journal");
        writeConfig(sqlite_config_);
        file("acct-a.json",
             R"({"tokens":{"access_token":"tok-a","refresh_token":"rt-a","account_id":"acct-a"}})");
        ok({"pool", "create", "--name", "night", "--strategy", "rotate"});
        ok({"account", "import", "--pool", "team", "--auth-json", "acct-a.json", "--label", "a"});
        const json key = ok({"key", "create", "--pool", "team", "--name", "it"});
        ok({"admin-token", "create", "--name", "ops"});
        ok({"customer", "create", "ada"});
        ok({"wallet", "link", "ada", key["prefix"]});
        ok({"wallet", "credit", "ada", "25", "--reason", "invoice 1"});
        ok({"rate-card", "set", "gpt-5.5", "--input", "1.25", "--cached-input", "0.125", "--output",
            "10"});
        return key["key"];
    }

    /// Transactions of ada's wallet in the storage of the current pipeline.
    std::size_t walletEntries() { return ok({"wallet", "show", "ada"})["transactions"].size(); }

    /// Waits (up to 5 s) until ada's wallet lists `count` transactions.
    bool waitForEntries(std::size_t count) {
        for (int i = 0; i < 100; ++i) {
            if (walletEntries() >= count) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    CliRun migrate(const std::filesystem::path& to, std::vector<std::string> more = {}) {
        std::vector<std::string> args{"storage", "migrate",
                                      "--from",  file("from.yaml", sqliteConfig()).string(),
                                      "--to",    to.string()};
        args.insert(args.end(), more.begin(), more.end());
        return sluice(args);
    }

    /// Brings the PostgreSQL database to the current schema, as any command on it does.
    void createSchema() {
        writeConfig(postgresConfig());
        ok({"pool", "list"});
    }

    std::string pgCount(const std::string& table) {
        return PostgresEnvironment::server()
            .query(database_, "SELECT count(*) FROM " + table)
            .front();
    }

    emulator::EmulatorServer emulator_;
    std::string database_;
    std::string sqlite_config_;
};

TEST_F(StorageMigrateTest, ACopiedSqliteInstallMatchesAndServesItsKeysFromPostgres) {
    const std::string key = populate();
    {
        Gateway gateway{serve({}, sqliteConfig())};
        ASSERT_TRUE(gateway.process.healthy());
        Poco::Net::HTTPClientSession session("127.0.0.1", gateway.process.port);
        std::string answer;
        for (int i = 0; i < 3; ++i) {
            ASSERT_EQ(exchange(session, "POST", "/backend-api/codex/responses", key, kTurn, answer),
                      200)
                << answer;
        }
        ASSERT_TRUE(waitForEntries(4)) << "the three turns were not charged";
        gateway.stop();  // flushes the request log and usage behind it
    }

    // Copied while a gateway is running on the SQLite file.
    Gateway live{serve({}, sqliteConfig())};
    ASSERT_TRUE(live.process.healthy());
    const CliRun copied = migrate(file("to.yaml", postgresConfig()), {"--json"});
    ASSERT_EQ(copied.exit_code, 0) << copied.out << copied.err;
    const json report = json::parse(copied.out);
    EXPECT_TRUE(report["matches"].get<bool>());
    std::map<std::string, json> tables;
    for (const json& table : report["tables"]) {
        tables[table["table"]] = table;
        EXPECT_TRUE(table["matches"].get<bool>()) << table;
        EXPECT_EQ(table["from"], table["to"]) << table;
        EXPECT_EQ(std::to_string(table["to"]["rows"].get<std::uint64_t>()), pgCount(table["table"]))
            << table;
    }
    for (const auto& [table, at_least] :
         std::map<std::string, std::uint64_t>{{"pools", 1},
                                              {"accounts", 1},
                                              {"api_keys", 1},
                                              {"operator_tokens", 1},
                                              {"request_logs", 3},
                                              {"audit_log", 6},
                                              {"usage_buckets", 1},
                                              {"customers", 1},
                                              {"wallets", 1},
                                              {"wallet_key_links", 1},
                                              {"rate_cards", 1},
                                              {"wallet_transactions", 4}}) {
        ASSERT_EQ(tables.count(table), 1u) << table;
        EXPECT_GE(tables[table]["from"]["rows"].get<std::uint64_t>(), at_least) << table;
    }
    // The credentials crossed as ciphertext.
    EXPECT_EQ(
        PostgresEnvironment::server().query(
            database_,
            "SELECT count(*) FROM accounts WHERE position('tok-a'::bytea IN access_token) > 0 "
            "OR position('rt-a'::bytea IN refresh_token) > 0"),
        std::vector<std::string>{"0"});
    live.stop();

    // A gateway on PostgreSQL decrypts them with the same key, knows the key and bills it.
    Gateway gateway{serve({}, postgresConfig())};
    ASSERT_TRUE(gateway.process.healthy());
    Poco::Net::HTTPClientSession session("127.0.0.1", gateway.process.port);
    std::string answer;
    EXPECT_EQ(exchange(session, "POST", "/backend-api/codex/responses", key, kTurn, answer), 200)
        << answer;
    EXPECT_TRUE(waitForEntries(5)) << "the turn on PostgreSQL was not charged";
    gateway.stop();
}

TEST_F(StorageMigrateTest, AFailurePartWayIsReportedExitsOneAndLeavesTheTargetAsItWas) {
    createSchema();
    PostgresEnvironment::server().execute(
        database_,
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$; "
        "CREATE TRIGGER refuse BEFORE INSERT ON wallet_transactions "
        "FOR EACH ROW EXECUTE FUNCTION refuse()");
    populate();

    const CliRun failed = migrate(file("to.yaml", postgresConfig()));
    EXPECT_EQ(failed.exit_code, 1) << failed.out;
    EXPECT_NE(failed.err.find("storage migrate failed, the target is as it was"), std::string::npos)
        << failed.err;
    EXPECT_NE(failed.err.find("copying table wallet_transactions"), std::string::npos)
        << failed.err;
    EXPECT_NE(failed.err.find("disk full"), std::string::npos) << failed.err;
    // Tables copied before the failure were rolled back with it.
    EXPECT_EQ(pgCount("accounts"), "0");
    EXPECT_EQ(pgCount("customers"), "0");
}

TEST_F(StorageMigrateTest, ANonEmptyTargetIsRefusedUnlessReplacingItIsAskedFor) {
    populate();
    const auto to = file("to.yaml", postgresConfig());
    ASSERT_EQ(migrate(to).exit_code, 0);
    ok({"customer", "create", "bob"});

    const CliRun refused = migrate(to);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("the target is not empty"), std::string::npos) << refused.err;
    EXPECT_EQ(pgCount("customers"), "1");

    const CliRun replaced = migrate(to, {"--replace-target"});
    EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
    EXPECT_NE(replaced.out.find("every row count and checksum matches"), std::string::npos)
        << replaced.out;
    EXPECT_EQ(pgCount("customers"), "2");
}

TEST_F(StorageMigrateTest, ATargetThatStoresSomethingElseFailsTheComparison) {
    createSchema();
    PostgresEnvironment::server().execute(
        database_,
        "CREATE FUNCTION rewrite() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN NEW.actor := NEW.actor || '!'; RETURN NEW; END $$; "
        "CREATE TRIGGER rewrite BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION rewrite()");
    populate();

    const CliRun compared = migrate(file("to.yaml", postgresConfig()));
    EXPECT_EQ(compared.exit_code, 1);
    EXPECT_NE(compared.err.find("differs from the source in audit_log"), std::string::npos)
        << compared.err;
    EXPECT_NE(compared.out.find("DIFFERS"), std::string::npos) << compared.out;
}

TEST_F(StorageMigrateTest, ATargetWithoutTheSourcesSecretKeyIsRefused) {
    populate();
    const CliRun refused =
        migrate(file("to.yaml", postgresConfig("{ key: " + std::string(64, 'b') + " }")));
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("do not hold key version 1"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find(std::string(64, 'b')), std::string::npos);
    EXPECT_EQ(pgCount("accounts"), "0");
}

TEST_F(StorageMigrateTest, TheCopyCoversEveryColumnPostgresHolds) {
    createSchema();
    std::set<std::string> expected;
    for (const auto& table : plugins::common::transferTables()) {
        for (const auto& column : table.columns) {
            expected.insert(std::string(table.name) + "." + column.name);
        }
    }
    // `seq` only numbers insertions (the copy keeps their order); schema_migrations is the
    // database's own.
    const auto stored = PostgresEnvironment::server().query(
        database_,
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name <> 'schema_migrations' "
        "AND column_name <> 'seq'");
    EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), expected);
}

}  // namespace
}  // namespace sluice::integration

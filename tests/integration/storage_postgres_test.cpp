// storage-postgres against a real PostgreSQL started by the test: what the conformance suite
// cannot show from one backend (several gateways migrating one database, the connection pool,
// server-side timeouts, wallets charged by two replicas at once). The pipelines that name it
// are in storage_postgres_pipeline_test.cpp, in the same binary.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "plugins/storage-postgres/migrations.hpp"
#include "plugins/storage-postgres/postgres_config.hpp"
#include "plugins/storage-postgres/postgres_error.hpp"
#include "plugins/storage-postgres/postgres_factory.hpp"
#include "plugins/storage-postgres/postgres_pool.hpp"
#include "sluice/sdk/storage_wallets.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/support/postgres_server.hpp"

namespace sluice::tests::integration {
namespace {

using plugins::storage_postgres::PostgresConnection;
using plugins::storage_postgres::PostgresError;
using plugins::storage_postgres::PostgresParams;
using plugins::storage_postgres::PostgresPool;
using sdk::testing::FakeConfig;

[[maybe_unused]] auto* const environment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

PostgresServer& server() {
    return PostgresEnvironment::server();
}

sdk::StorageBackendPtr openBackend(const std::string& database, sdk::HostServices& host,
                                   const std::string& statement_timeout = "30s") {
    const auto config = FakeConfig::map({
        {"uri", FakeConfig::scalar(server().uri(database))},
        {"password", FakeConfig::scalar("")},
        {"pool_size", FakeConfig::scalar("2")},
        {"connect_timeout", FakeConfig::scalar("5s")},
        {"acquire_timeout", FakeConfig::scalar("5s")},
        {"statement_timeout", FakeConfig::scalar(statement_timeout)},
    });
    return plugins::storage_postgres::PostgresBackendFactory().create(*config, host);
}

std::vector<std::pair<std::string, std::string>> parametersFor(const std::string& database) {
    return {{"dbname", server().uri(database)}};
}

std::size_t migratedEvents(const sdk::testing::FakeHost& host) {
    std::size_t count = 0;
    for (const auto& line : host.lines()) {
        count += line.event == "storage_migrated" ? 1 : 0;
    }
    return count;
}

TEST(StoragePostgresTest, TwoGatewaysOpeningOneEmptyDatabaseBothSucceedAndMigrateOnce) {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost first_host;
    sdk::testing::FakeHost second_host;
    const auto first = openBackend(database, first_host);
    const auto second = openBackend(database, second_host);

    // Hold the migration lock so both gateways are inside migrate() before either may start.
    PostgresConnection holder(parametersFor(database));
    holder.exec("SELECT pg_advisory_lock($1)",
                PostgresParams().integer(plugins::storage_postgres::kMigrationLockKey));

    sdk::Status first_status;
    sdk::Status second_status;
    std::thread a([&] { first_status = first->migrate(); });
    std::thread b([&] { second_status = second->migrate(); });
    // Both gateways are inside migrate() once the server lists two waiting advisory locks.
    const auto waiting = [&] {
        return server()
            .query(database,
                   "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                   "NOT granted")
            .front();
    };
    for (int attempt = 0; attempt < 1000 && waiting() != "2"; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const bool both_waited = waiting() == "2";
    holder.exec("SELECT pg_advisory_unlock($1)",
                PostgresParams().integer(plugins::storage_postgres::kMigrationLockKey));
    a.join();
    b.join();

    EXPECT_TRUE(both_waited) << "the two migrations never overlapped";

    EXPECT_TRUE(first_status.ok()) << first_status.message();
    EXPECT_TRUE(second_status.ok()) << second_status.message();
    EXPECT_EQ(migratedEvents(first_host) + migratedEvents(second_host), 1u);
    const auto versions =
        holder.exec("SELECT version FROM schema_migrations ORDER BY version").rows();
    EXPECT_EQ(static_cast<std::size_t>(versions), plugins::storage_postgres::migrations().size());
    EXPECT_TRUE(first->pools().list().ok());
    EXPECT_TRUE(second->pools().list().ok());
}

TEST(StoragePostgresTest, ADatabaseFromANewerBuildIsRefused) {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost host;
    const auto backend = openBackend(database, host);
    ASSERT_TRUE(backend->migrate().ok());
    PostgresConnection(parametersFor(database))
        .exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)");

    const sdk::Status status = backend->migrate();
    EXPECT_EQ(status.code(), sdk::StatusCode::FailedPrecondition);
    EXPECT_NE(status.message().find("999"), std::string::npos) << status.message();
}

TEST(StoragePostgresTest, APoolOfOneMakesTheNextCallerWaitThenFailAsUnavailable) {
    PostgresPool pool(parametersFor(server().createDatabase()), 1, std::chrono::milliseconds(100));
    {
        auto held = pool.acquire();
        try {
            pool.acquire();
            FAIL() << "a second connection was lent out";
        } catch (const PostgresError& error) {
            EXPECT_EQ(plugins::storage_postgres::statusCodeFor(error.sqlstate()),
                      sdk::StatusCode::Unavailable);
        }
    }
    EXPECT_EQ(pool.acquire()->exec("SELECT 1").text(0, 0), "1");
}

TEST(StoragePostgresTest, AConnectionTheServerDroppedIsReplaced) {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost host;
    const auto backend = openBackend(database, host);
    ASSERT_TRUE(backend->ping().ok());

    PostgresConnection(parametersFor(database))
        .exec(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'sluice' AND pid <> pg_backend_pid()");

    // The first call may meet the dead connection and fail as unavailable; it is then dropped.
    const sdk::Status first = backend->ping();
    if (!first.ok()) {
        EXPECT_EQ(first.code(), sdk::StatusCode::Unavailable) << first.message();
    }
    EXPECT_TRUE(backend->ping().ok());
}

TEST(StoragePostgresTest, WritesAcknowledgedBeforeAServerRestartAreThereAfterIt) {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost host;
    const auto backend = openBackend(database, host);
    ASSERT_TRUE(backend->migrate().ok());
    sdk::PoolRecord pool;
    pool.name = "team";
    pool.strategy = "balanced";
    ASSERT_TRUE(backend->pools().create(pool).ok());

    server().restart();

    // Each pooled connection died with the old server: a call may meet one and fail as
    // unavailable, which drops it; the pool then reconnects.
    sdk::Result<sdk::PoolRecord> found = backend->pools().get("team");
    for (int attempt = 0; attempt < 2 && !found.ok(); ++attempt) {
        EXPECT_EQ(found.status().code(), sdk::StatusCode::Unavailable) << found.status().message();
        found = backend->pools().get("team");
    }
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found->strategy, "balanced");
}

/// Two gateways' backends, each with its own pool, on one new database.
struct Replicas {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost first_host;
    sdk::testing::FakeHost second_host;
    const sdk::StorageBackendPtr first = openBackend(database, first_host);
    const sdk::StorageBackendPtr second = openBackend(database, second_host);
};

TEST(StoragePostgresTest, ReplicasAddingToTheSameUsageBucketsLoseNoCount) {
    const Replicas replicas;
    sdk::StorageBackend* const first = replicas.first.get();
    sdk::StorageBackend* const second = replicas.second.get();
    ASSERT_TRUE(first->migrate().ok());

    const auto bucket = [](const std::string& model) {
        sdk::UsageBucket delta;
        delta.day = 20000;
        delta.pool = "team";
        delta.key_prefix = "sk-1";
        delta.account_id = "acct_1";
        delta.model = model;
        delta.requests = 1;
        delta.input_tokens = 10;
        return delta;
    };
    // Half the writers list the two buckets in the opposite order: rows must still be locked in
    // one order, or two batches would deadlock.
    constexpr int kWritersPerReplica = 2;
    constexpr int kBatches = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (sdk::StorageBackend* replica : {first, second}) {
        for (int w = 0; w < kWritersPerReplica; ++w) {
            writers.emplace_back([&, replica, w] {
                const std::vector<sdk::UsageBucket> batch =
                    w % 2 == 0 ? std::vector{bucket("a"), bucket("b")}
                               : std::vector{bucket("b"), bucket("a")};
                for (int b = 0; b < kBatches; ++b) {
                    const sdk::Status status = replica->usage().add(batch);
                    failures += status.ok() ? 0 : 1;
                }
            });
        }
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
    EXPECT_EQ(failures.load(), 0);

    sdk::UsageQuery query;
    query.from_day = 20000;
    query.to_day = 20000;
    const auto buckets = second->usage().query(query);
    ASSERT_TRUE(buckets.ok());
    ASSERT_EQ(buckets.value().size(), 2u);
    for (const sdk::UsageBucket& stored : buckets.value()) {
        EXPECT_EQ(stored.requests, 2u * kWritersPerReplica * kBatches) << stored.model;
        EXPECT_EQ(stored.input_tokens, 20u * kWritersPerReplica * kBatches) << stored.model;
    }
}

sdk::WalletRepository& walletsOf(sdk::StorageBackend& backend) {
    return dynamic_cast<sdk::StoresWallets&>(backend).wallets();
}

TEST(StoragePostgresTest, ReplicasChargingOneWalletAtOnceChargeEachResponseOnceAndStopAtZero) {
    const Replicas replicas;
    sdk::StorageBackend* const first = replicas.first.get();
    sdk::StorageBackend* const second = replicas.second.get();
    ASSERT_TRUE(first->migrate().ok());
    constexpr std::int64_t kBalance = 1'000;
    ASSERT_TRUE(walletsOf(*first).createCustomer({"cus_1", "ada", {}}).ok());
    ASSERT_TRUE(walletsOf(*first).createWallet({"wal_1", "cus_1", kBalance, {}, {}}).ok());

    // Every response id is booked by two writers on each replica at once, in opposite orders;
    // together the responses cost more than the wallet holds.
    constexpr int kResponses = 50;
    constexpr std::int64_t kCost = 30;
    const auto charge = [](int response) {
        sdk::WalletCharge booking;
        booking.transaction_id = "wtx_" + std::to_string(response);
        booking.idempotency_key = "resp_" + std::to_string(response);
        booking.wallet_id = "wal_1";
        booking.model = "gpt-5.5";
        booking.conversation_key = "thread-1";
        booking.cost_micro_usd = kCost;
        return booking;
    };
    std::atomic<int> booked{0};
    std::atomic<int> refused_as_seen{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (sdk::StorageBackend* replica : {first, second}) {
        for (int w = 0; w < 2; ++w) {
            writers.emplace_back([&, replica, w] {
                for (int i = 0; i < kResponses; ++i) {
                    const auto result =
                        walletsOf(*replica).charge(charge(w == 0 ? i : kResponses - 1 - i));
                    if (result.ok()) {
                        ++booked;
                    } else if (result.status().code() == sdk::StatusCode::AlreadyExists) {
                        ++refused_as_seen;
                    } else {
                        ++failures;
                        ADD_FAILURE() << result.status().message();
                    }
                }
            });
        }
    }
    for (std::thread& writer : writers) {
        writer.join();
    }

    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(booked.load(), kResponses);
    EXPECT_EQ(refused_as_seen.load(), 3 * kResponses);
    const auto wallet = walletsOf(*second).getWallet("wal_1");
    ASSERT_TRUE(wallet.ok());
    EXPECT_EQ(wallet->balance_micro_usd, 0);
    const auto history = walletsOf(*second).transactions("wal_1", 1'000);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), static_cast<std::size_t>(kResponses));
    std::int64_t charged = 0;
    for (const sdk::WalletTransactionRecord& entry : history.value()) {
        EXPECT_GE(entry.balance_after, 0) << entry.id;
        charged -= entry.amount_micro_usd;
    }
    EXPECT_EQ(charged, kBalance);
}

TEST(StoragePostgresTest, AStatementOverItsTimeoutFailsAsUnavailable) {
    const std::string database = server().createDatabase();
    sdk::testing::FakeHost host;
    const auto backend = openBackend(database, host, "100ms");
    ASSERT_TRUE(backend->migrate().ok());

    // Another session locks the pools table, so the backend's write waits past its timeout.
    PostgresConnection locker(parametersFor(database));
    locker.exec("BEGIN");
    locker.exec("LOCK TABLE pools IN ACCESS EXCLUSIVE MODE");
    sdk::PoolRecord pool;
    pool.name = "team";
    pool.strategy = "balanced";
    const sdk::Status status = backend->pools().create(pool);
    locker.exec("ROLLBACK");

    EXPECT_EQ(status.code(), sdk::StatusCode::Unavailable) << status.message();
    EXPECT_NE(status.message().find("statement timeout"), std::string::npos) << status.message();
    EXPECT_TRUE(backend->pools().create(pool).ok());
}

}  // namespace
}  // namespace sluice::tests::integration

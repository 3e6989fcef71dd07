#include "sluice/sdk/testing/storage_conformance.hpp"

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

void PrintTo(const StorageConformanceParam& param, std::ostream* out) {
    *out << param.name;
}

std::string storageConformanceName(const ::testing::TestParamInfo<StorageConformanceParam>& info) {
    return info.param.name;
}

void StorageConformanceTest::SetUp() {
    directory_ = std::make_unique<TempDirectory>("sluice-storage-" + GetParam().name);
    backend_ = GetParam().open(host_, directory_->path());
    ASSERT_NE(backend_, nullptr) << "the opener returned no backend";
    ASSERT_TRUE(isOk(backend_->migrate()));
}

void StorageConformanceTest::TearDown() {
    backend_.reset();
    directory_.reset();
}

// C++20 no longer declares std::string's members extern templates, so every object file carries
// weak copies of them and a linker may pull this file into any binary that links sdk_testing
// just to resolve one (libgtest.a needs std::string::compare). Such a binary has not asked for
// the suite; it must not fail for leaving it uninstantiated.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StorageConformanceTest);

int linkStorageConformanceSuite() {
    return poolAccountTestsAnchor() + credentialTestsAnchor() + requestLogTestsAnchor() +
           auditTestsAnchor() + stateTestsAnchor() + filesUsageTestsAnchor() +
           projectTestsAnchor() + walletTestsAnchor() + responseTestsAnchor();
}

namespace {

constexpr int kWriterThreads = 4;
constexpr int kBatchesPerThread = 25;
constexpr int kLogsPerBatch = 4;
constexpr int kAccountsPerThread = 5;

TEST_P(StorageConformanceTest, MigrateIsIdempotent) {
    ASSERT_TRUE(isOk(storage().pools().create(samplePool("team"))));
    EXPECT_TRUE(isOk(storage().migrate()));
    EXPECT_TRUE(isOk(storage().migrate()));
    EXPECT_TRUE(isOk(storage().pools().get("team")));
}

TEST_P(StorageConformanceTest, PingSucceeds) {
    EXPECT_TRUE(isOk(storage().ping()));
}

TEST_P(StorageConformanceTest, ConcurrentWritersLoseNothing) {
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-shared", "team"))));

    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    writers.reserve(kWriterThreads);
    for (int t = 0; t < kWriterThreads; ++t) {
        writers.emplace_back([&, t] {
            const std::string thread = "t" + std::to_string(t);
            for (int b = 0; b < kBatchesPerThread; ++b) {
                std::vector<RequestLogRecord> batch;
                batch.reserve(kLogsPerBatch);
                for (int i = 0; i < kLogsPerBatch; ++i) {
                    batch.push_back(sampleLog(
                        "req_" + thread + "_" + std::to_string(b) + "_" + std::to_string(i), b));
                }
                failures += storage().requestLogs().append(batch).ok() ? 0 : 1;
                const std::string audit_id = "aud_" + thread + "_" + std::to_string(b);
                failures += storage().audit().append(sampleAudit(audit_id, b)).ok() ? 0 : 1;
                failures +=
                    storage().apiKeys().touch("sk-shared", at(std::int64_t{t} * 1000 + b)).ok() ? 0
                                                                                                : 1;
            }
            for (int a = 0; a < kAccountsPerThread; ++a) {
                const std::string id = "acct_" + thread + "_" + std::to_string(a);
                failures += storage().accounts().create(sampleAccount(id, "team", a)).ok() ? 0 : 1;
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
    ASSERT_EQ(failures.load(), 0);

    RequestLogQuery query;
    query.limit = 1000;
    auto logs = storage().requestLogs().query(query);
    ASSERT_TRUE(isOk(logs));
    const auto ids = collect(logs->items, &RequestLogRecord::id);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(),
              static_cast<std::size_t>(kWriterThreads * kBatchesPerThread * kLogsPerBatch));

    AuditQuery audit_query;
    audit_query.limit = 1000;
    auto audit = storage().audit().query(audit_query);
    ASSERT_TRUE(isOk(audit));
    EXPECT_EQ(audit->items.size(), static_cast<std::size_t>(kWriterThreads * kBatchesPerThread));

    auto accounts = storage().accounts().list(std::nullopt);
    ASSERT_TRUE(isOk(accounts));
    EXPECT_EQ(accounts->size(), static_cast<std::size_t>(kWriterThreads * kAccountsPerThread));

    auto key = storage().apiKeys().findByPrefix("sk-shared");
    ASSERT_TRUE(isOk(key));
    EXPECT_EQ(key->last_used_at, at((kWriterThreads - 1) * 1000 + kBatchesPerThread - 1));
}

TEST_P(StorageConformanceTest, ConcurrentCreatesOfOneNameHaveOneWinner) {
    std::atomic<int> created{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> writers;
    writers.reserve(kWriterThreads);
    for (int t = 0; t < kWriterThreads; ++t) {
        writers.emplace_back([&] {
            const Status status = storage().pools().create(samplePool("contested"));
            if (status.ok()) {
                ++created;
            } else if (status.code() == StatusCode::AlreadyExists) {
                ++refused;
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(refused.load(), kWriterThreads - 1);
}

}  // namespace
}  // namespace sluice::sdk::testing

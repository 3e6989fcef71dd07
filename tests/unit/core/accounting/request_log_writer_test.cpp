#include "core/accounting/request_log_writer.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "core/accounting/utc_time.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::accounting {
namespace {

using namespace std::chrono_literals;

const auto kLoggedAt = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20'000 + 5));

SettledRequest settled(const std::string& id, const std::string& account, std::uint64_t input,
                       int status) {
    SettledRequest request;
    request.record.id = id;
    request.record.started_at = kLoggedAt;
    request.record.pool = "team";
    request.record.key_prefix = "sk-sluice-k1";
    request.record.model = "gpt-5.5";
    request.record.account_id = account;
    request.record.status = status;
    request.record.input_tokens = input;
    request.usage.day = utcDay(kLoggedAt);
    request.usage.pool = "team";
    request.usage.key_prefix = "sk-sluice-k1";
    request.usage.account_id = account;
    request.usage.model = "gpt-5.5";
    request.usage.requests = 1;
    request.usage.errors = status >= 400 ? 1 : 0;
    request.usage.input_tokens = input;
    request.trace.order = {account};
    return request;
}

class RequestLogWriterTest : public ::testing::Test {
protected:
    sdk::UsageBucket bucketOf(const std::string& account) {
        sdk::UsageQuery query;
        query.account_id = account;
        query.from_day = query.to_day = utcDay(kLoggedAt);
        auto buckets = storage_.usage().query(query);
        EXPECT_TRUE(buckets.ok());
        EXPECT_EQ(buckets->size(), 1U);
        return buckets->empty() ? sdk::UsageBucket{} : buckets->front();
    }

    static RequestLogWriter::Options countingInto(RecentTraffic& traffic) {
        RequestLogWriter::Options options;
        options.traffic = &traffic;
        return options;
    }

    sdk::testing::FakeHost host_;
    plugins::storage_memory::MemoryBackend storage_;
    RecentTraffic traffic_;
    RequestLogWriter writer_{storage_, host_.metrics(), host_.logger("request_log"),
                             countingInto(traffic_)};
};

TEST_F(RequestLogWriterTest, WritesEachRowWithItsRoutingAndSumsTheUsageDeltasPerBucket) {
    writer_.submit(settled("req_1", "acct_a", 100, 200));
    writer_.submit(settled("req_2", "acct_a", 20, 429));
    writer_.submit(settled("req_3", "acct_b", 7, 200));
    writer_.flush();

    const auto row = storage_.requestLogs().get("req_2");
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->status, 429);
    EXPECT_NE(row->routing_json.find("acct_a"), std::string::npos) << row->routing_json;

    const sdk::UsageBucket a = bucketOf("acct_a");
    EXPECT_EQ(a.requests, 2U);
    EXPECT_EQ(a.errors, 1U);
    EXPECT_EQ(a.input_tokens, 120U);
    const sdk::UsageBucket b = bucketOf("acct_b");
    EXPECT_EQ(b.requests, 1U);
    EXPECT_EQ(b.input_tokens, 7U);

    const RecentTraffic::Minute minute = traffic_.lastHour("team", kLoggedAt).back();
    EXPECT_EQ(minute.requests, 3U);
    EXPECT_EQ(minute.errors, 1U);
}

}  // namespace
}  // namespace sluice::core::accounting

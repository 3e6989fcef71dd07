// Conformance: RequestLogRepository.

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::requestLogTestsAnchor() {
    return 0;
}

namespace {

constexpr std::size_t kPageGuard = 1000;

/// 53 logs, four per millisecond, whose ids do not sort by time; every third is in pool "other".
std::vector<RequestLogRecord> scrambledLogs() {
    std::vector<RequestLogRecord> logs;
    for (int i = 0; i < 53; ++i) {
        // 37 is coprime with 900, so the ids are distinct and jump around.
        RequestLogRecord log =
            sampleLog("req_" + std::to_string(100 + (i * 37) % 900), std::int64_t{i / 4} * 10);
        if (i % 3 == 0) {
            log.pool = "other";
        }
        logs.push_back(log);
    }
    return logs;
}

/// The ids of `logs` in newest-first order: started_at DESC, then id DESC.
std::vector<std::string> newestFirst(std::vector<RequestLogRecord> logs) {
    std::sort(logs.begin(), logs.end(), [](const auto& a, const auto& b) {
        return std::tie(a.started_at, a.id) > std::tie(b.started_at, b.id);
    });
    return collect(logs, &RequestLogRecord::id);
}

/// Follows next_cursor until the last page; fails the test on an error or a runaway cursor.
std::vector<std::string> readAllPages(RequestLogRepository& logs, RequestLogQuery query) {
    std::vector<std::string> ids;
    for (std::size_t page = 0; page < kPageGuard; ++page) {
        auto result = logs.query(query);
        EXPECT_TRUE(isOk(result));
        if (!result.ok()) {
            break;
        }
        EXPECT_LE(result->items.size(), query.limit);
        for (const RequestLogRecord& log : result->items) {
            ids.push_back(log.id);
        }
        if (!result->next_cursor) {
            return ids;
        }
        EXPECT_EQ(*result->next_cursor, result->items.back().id);
        query.before_id = result->next_cursor;
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
}

TEST_P(StorageConformanceTest, RequestLogAppendThenGetRoundTripsEveryField) {
    RequestLogRecord log = sampleLog("req_1", 10);
    log.status = 429;
    log.error_code = "usage_limit_reached";
    log.attempts = 3;
    log.input_tokens = 1ULL << 40;
    log.cached_input_tokens = (1ULL << 40) - 1;
    log.output_tokens = 7;
    log.reasoning_tokens = 0;
    log.latency_us = 123'456'789;
    log.first_byte_us = 0;
    ASSERT_TRUE(isOk(storage().requestLogs().append({log})));

    auto stored = storage().requestLogs().get("req_1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), log);
    EXPECT_TRUE(hasCode(storage().requestLogs().get("ghost"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, RequestLogEmptyBatchIsAccepted) {
    EXPECT_TRUE(isOk(storage().requestLogs().append({})));
}

TEST_P(StorageConformanceTest, RequestLogBatchWithATakenIdWritesNothing) {
    ASSERT_TRUE(isOk(storage().requestLogs().append({sampleLog("req_1", 1)})));
    EXPECT_TRUE(hasCode(storage().requestLogs().append(
                            {sampleLog("req_2", 2), sampleLog("req_1", 3), sampleLog("req_3", 4)}),
                        StatusCode::AlreadyExists));

    EXPECT_TRUE(hasCode(storage().requestLogs().get("req_2"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().requestLogs().get("req_3"), StatusCode::NotFound));
    auto original = storage().requestLogs().get("req_1");
    ASSERT_TRUE(isOk(original));
    EXPECT_EQ(original->started_at, at(1));
}

TEST_P(StorageConformanceTest, RequestLogBatchRepeatingAnIdWritesNothing) {
    EXPECT_TRUE(hasCode(storage().requestLogs().append(
                            {sampleLog("req_1", 1), sampleLog("req_2", 2), sampleLog("req_1", 3)}),
                        StatusCode::AlreadyExists));
    EXPECT_TRUE(hasCode(storage().requestLogs().get("req_1"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().requestLogs().get("req_2"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, RequestLogQueryIsNewestFirstWithIdBreakingTies) {
    ASSERT_TRUE(
        isOk(storage().requestLogs().append({sampleLog("req_b", 10), sampleLog("req_z", 5),
                                             sampleLog("req_a", 10), sampleLog("req_c", 20)})));

    auto page = storage().requestLogs().query(RequestLogQuery{});
    ASSERT_TRUE(isOk(page));
    EXPECT_EQ(collect(page->items, &RequestLogRecord::id),
              (std::vector<std::string>{"req_c", "req_b", "req_a", "req_z"}));
    EXPECT_FALSE(page->next_cursor.has_value());
}

TEST_P(StorageConformanceTest, RequestLogQueryFilters) {
    std::vector<RequestLogRecord> logs;
    for (int i = 0; i < 8; ++i) {
        RequestLogRecord log = sampleLog("req_" + std::to_string(i), std::int64_t{i} * 10);
        log.pool = i % 2 == 0 ? "team" : "solo";
        log.key_prefix = i < 4 ? "sk-a" : "sk-b";
        log.model = i % 4 == 0 ? "gpt-5" : "gpt-5-codex";
        log.status = i == 3 ? 502 : 200;
        logs.push_back(log);
    }
    ASSERT_TRUE(isOk(storage().requestLogs().append(logs)));

    const auto ids = [&](const RequestLogQuery& query) {
        auto page = storage().requestLogs().query(query);
        EXPECT_TRUE(isOk(page));
        return page.ok() ? collect(page->items, &RequestLogRecord::id) : std::vector<std::string>{};
    };
    using Ids = std::vector<std::string>;

    RequestLogQuery by_pool;
    by_pool.pool = "solo";
    EXPECT_EQ(ids(by_pool), (Ids{"req_7", "req_5", "req_3", "req_1"}));

    RequestLogQuery by_key;
    by_key.key_prefix = "sk-a";
    EXPECT_EQ(ids(by_key), (Ids{"req_3", "req_2", "req_1", "req_0"}));

    RequestLogQuery by_model;
    by_model.model = "gpt-5";
    EXPECT_EQ(ids(by_model), (Ids{"req_4", "req_0"}));

    RequestLogQuery by_status;
    by_status.status = 502;
    EXPECT_EQ(ids(by_status), (Ids{"req_3"}));

    RequestLogQuery window;  // since is inclusive, until exclusive
    window.since = at(20);
    window.until = at(50);
    EXPECT_EQ(ids(window), (Ids{"req_4", "req_3", "req_2"}));

    RequestLogQuery combined;
    combined.pool = "team";
    combined.key_prefix = "sk-b";
    combined.since = at(40);
    EXPECT_EQ(ids(combined), (Ids{"req_6", "req_4"}));
}

TEST_P(StorageConformanceTest, RequestLogPagesLoseAndRepeatNothing) {
    const std::vector<RequestLogRecord> logs = scrambledLogs();
    ASSERT_TRUE(isOk(storage().requestLogs().append(logs)));

    RequestLogQuery query;
    query.limit = 7;
    const std::vector<std::string> paged = readAllPages(storage().requestLogs(), query);
    EXPECT_EQ(paged, newestFirst(logs));
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), logs.size());
}

TEST_P(StorageConformanceTest, RequestLogPagesKeepTheirFilter) {
    const std::vector<RequestLogRecord> logs = scrambledLogs();
    ASSERT_TRUE(isOk(storage().requestLogs().append(logs)));

    std::vector<RequestLogRecord> others;
    std::copy_if(logs.begin(), logs.end(), std::back_inserter(others),
                 [](const RequestLogRecord& log) { return log.pool == "other"; });

    RequestLogQuery query;
    query.pool = "other";
    query.limit = 4;
    EXPECT_EQ(readAllPages(storage().requestLogs(), query), newestFirst(others));
}

TEST_P(StorageConformanceTest, RequestLogExactlyFullLastPageHasNoCursor) {
    std::vector<RequestLogRecord> logs;
    logs.reserve(6);
    for (int i = 0; i < 6; ++i) {
        logs.push_back(sampleLog("req_" + std::to_string(i), i));
    }
    ASSERT_TRUE(isOk(storage().requestLogs().append(logs)));

    RequestLogQuery query;
    query.limit = 3;
    auto first = storage().requestLogs().query(query);
    ASSERT_TRUE(isOk(first));
    ASSERT_TRUE(first->next_cursor.has_value());
    query.before_id = first->next_cursor;
    auto second = storage().requestLogs().query(query);
    ASSERT_TRUE(isOk(second));
    EXPECT_EQ(second->items.size(), 3u);
    EXPECT_FALSE(second->next_cursor.has_value());
}

TEST_P(StorageConformanceTest, RequestLogZeroLimitAndUnknownCursorAreInvalid) {
    ASSERT_TRUE(isOk(storage().requestLogs().append({sampleLog("req_1", 1)})));

    RequestLogQuery zero;
    zero.limit = 0;
    EXPECT_TRUE(hasCode(storage().requestLogs().query(zero), StatusCode::InvalidArgument));

    RequestLogQuery unknown;
    unknown.before_id = "req_ghost";
    EXPECT_TRUE(hasCode(storage().requestLogs().query(unknown), StatusCode::InvalidArgument));
}

}  // namespace
}  // namespace sluice::sdk::testing

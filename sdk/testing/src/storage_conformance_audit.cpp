// Conformance: AuditRepository.

#include <set>

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::auditTestsAnchor() {
    return 0;
}

namespace {

constexpr std::size_t kPageGuard = 1000;

std::vector<std::string> ids(AuditRepository& audit, const AuditQuery& query) {
    auto page = audit.query(query);
    EXPECT_TRUE(isOk(page));
    return page.ok() ? collect(page->items, &AuditRecord::id) : std::vector<std::string>{};
}

TEST_P(StorageConformanceTest, AuditAppendThenGetRoundTripsEveryField) {
    AuditRecord record = sampleAudit("aud_1", 10);
    record.actor = "admin:adm-1";
    record.action = "key.revoke";
    record.target = "sk-sluice-1a2b";
    record.outcome = "failure";
    record.details_json = R"({"reason":"not found"})";
    ASSERT_TRUE(isOk(storage().audit().append(record)));

    auto stored = storage().audit().get("aud_1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), record);
}

TEST_P(StorageConformanceTest, AuditIdIsUniqueAndMissingIsNotFound) {
    ASSERT_TRUE(isOk(storage().audit().append(sampleAudit("aud_1", 1))));
    EXPECT_TRUE(
        hasCode(storage().audit().append(sampleAudit("aud_1", 2)), StatusCode::AlreadyExists));
    EXPECT_TRUE(hasCode(storage().audit().get("ghost"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, AuditQueryFiltersNewestFirst) {
    const char* actors[] = {"cli", "admin:adm-1"};
    const char* actions[] = {"pool.create", "key.create", "key.revoke"};
    for (int i = 0; i < 6; ++i) {
        AuditRecord record = sampleAudit("aud_" + std::to_string(i), std::int64_t{i} * 10);
        record.actor = actors[i % 2];
        record.action = actions[i % 3];
        record.target = i < 3 ? "team" : "solo";
        ASSERT_TRUE(isOk(storage().audit().append(record)));
    }
    using Ids = std::vector<std::string>;

    EXPECT_EQ(ids(storage().audit(), AuditQuery{}),
              (Ids{"aud_5", "aud_4", "aud_3", "aud_2", "aud_1", "aud_0"}));

    AuditQuery by_actor;
    by_actor.actor = "cli";
    EXPECT_EQ(ids(storage().audit(), by_actor), (Ids{"aud_4", "aud_2", "aud_0"}));

    AuditQuery by_action;
    by_action.action = "key.revoke";
    EXPECT_EQ(ids(storage().audit(), by_action), (Ids{"aud_5", "aud_2"}));

    AuditQuery by_target;
    by_target.target = "solo";
    EXPECT_EQ(ids(storage().audit(), by_target), (Ids{"aud_5", "aud_4", "aud_3"}));

    AuditQuery window;  // since is inclusive, until exclusive
    window.since = at(10);
    window.until = at(30);
    EXPECT_EQ(ids(storage().audit(), window), (Ids{"aud_2", "aud_1"}));
}

TEST_P(StorageConformanceTest, AuditPagesLoseAndRepeatNothing) {
    // Ids run against time, and three records share each millisecond.
    std::vector<std::string> expected;
    for (int i = 0; i < 20; ++i) {
        const std::string id = "aud_" + std::to_string(200 - i);
        ASSERT_TRUE(isOk(storage().audit().append(sampleAudit(id, i / 3))));
    }
    for (int t = 19 / 3; t >= 0; --t) {
        for (int i = 0; i < 20; ++i) {  // same time: id DESC, i.e. smaller i first
            if (i / 3 == t) {
                expected.push_back("aud_" + std::to_string(200 - i));
            }
        }
    }

    AuditQuery query;
    query.limit = 6;
    std::vector<std::string> paged;
    for (std::size_t page = 0; page < kPageGuard; ++page) {
        auto result = storage().audit().query(query);
        ASSERT_TRUE(isOk(result));
        for (const AuditRecord& record : result->items) {
            paged.push_back(record.id);
        }
        if (!result->next_cursor) {
            break;
        }
        query.before_id = result->next_cursor;
    }
    EXPECT_EQ(paged, expected);
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 20u);
}

TEST_P(StorageConformanceTest, AuditZeroLimitAndUnknownCursorAreInvalid) {
    AuditQuery zero;
    zero.limit = 0;
    EXPECT_TRUE(hasCode(storage().audit().query(zero), StatusCode::InvalidArgument));

    AuditQuery unknown;
    unknown.before_id = "aud_ghost";
    EXPECT_TRUE(hasCode(storage().audit().query(unknown), StatusCode::InvalidArgument));
}

}  // namespace
}  // namespace sluice::sdk::testing

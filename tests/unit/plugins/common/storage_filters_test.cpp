#include "sluice/plugins/common/storage_filters.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace sluice::plugins::common {
namespace {

using Op = Condition::Op;

std::string describe(const std::vector<Condition>& conditions) {
    std::string out;
    for (const Condition& condition : conditions) {
        out += std::string(condition.column) + operatorText(condition.op);
        if (const auto* number = std::get_if<std::int64_t>(&condition.value)) {
            out += std::to_string(*number);
        } else {
            out += "'" + std::get<std::string>(condition.value) + "'";
        }
        out += ";";
    }
    return out;
}

sdk::TimePoint at(std::int64_t millis) {
    return sdk::TimePoint(std::chrono::milliseconds(millis));
}

TEST(StorageFiltersTest, AnEmptyQueryHasNoConditions) {
    EXPECT_TRUE(requestLogConditions({}).empty());
    EXPECT_TRUE(auditConditions({}).empty());
}

TEST(StorageFiltersTest, RequestLogFiltersBecomeColumnConditionsWithMillisecondTimes) {
    sdk::RequestLogQuery query;
    query.pool = "team";
    query.key_prefix = "sk-1";
    query.model = "gpt-5";
    query.status = 429;
    query.since = at(1000);
    query.until = at(2000);
    EXPECT_EQ(describe(requestLogConditions(query)),
              "pool='team';key_prefix='sk-1';model='gpt-5';status=429;started_at>=1000;"
              "started_at<2000;");
}

TEST(StorageFiltersTest, AuditFiltersBecomeColumnConditions) {
    sdk::AuditQuery query;
    query.actor = "cli";
    query.target = "team";
    query.until = at(5);
    EXPECT_EQ(describe(auditConditions(query)), "actor='cli';target='team';occurred_at<5;");
}

TEST(StorageFiltersTest, ValuesStayValuesWhateverTheyContain) {
    sdk::AuditQuery query;
    query.action = "x' OR '1'='1";
    const auto conditions = auditConditions(query);
    ASSERT_EQ(conditions.size(), 1u);
    EXPECT_STREQ(conditions[0].column, "action");
    EXPECT_EQ(conditions[0].op, Op::Equals);
    EXPECT_EQ(std::get<std::string>(conditions[0].value), "x' OR '1'='1");
}

}  // namespace
}  // namespace sluice::plugins::common

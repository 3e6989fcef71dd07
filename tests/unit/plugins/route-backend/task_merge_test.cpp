#include "task_merge.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sluice::plugins::route_backend {
namespace {

using json = nlohmann::json;

json task(const std::string& id, double updated_at) {
    return {{"id", id}, {"updated_at", updated_at}};
}

// An account's full list served in pages of `page_size`, cursors "p<offset>".
struct FakeAccount {
    std::string id;
    std::vector<json> tasks;  ///< newest first
    std::size_t page_size;

    AccountRun runFrom(const AccountPosition& position, std::size_t limit) const {
        AccountRun run{id, {}, position.cursor};
        std::size_t skip = position.skip;
        while (run.items.size() < limit) {
            const std::string cursor = run.next_cursor;
            const std::size_t offset = cursor.empty() ? 0 : std::stoul(cursor.substr(1));
            const std::size_t end = std::min(tasks.size(), offset + page_size);
            for (std::size_t i = offset + skip; i < end; ++i) {
                run.items.push_back({tasks[i], cursor, i - offset});
            }
            run.next_cursor = end < tasks.size() ? "p" + std::to_string(end) : "";
            skip = 0;
            if (run.next_cursor.empty()) {
                break;
            }
        }
        return run;
    }
};

TEST(CompositeCursor, RoundTripsAndRefusesAnythingElse) {
    const std::vector<AccountPosition> positions{{"acct-1", "+RID:x#RT:1", 3}, {"acct-2", "", 0}};
    const std::string text = encodeCursor(positions);
    EXPECT_TRUE(text.starts_with("sl1."));
    EXPECT_EQ(text.find_first_not_of("sl1.0123456789abcdef"), std::string::npos) << "URL-safe";
    EXPECT_EQ(decodeCursor(text), positions);
    EXPECT_EQ(encodeCursor({}), "");
    for (const std::string bad : {"", "+RID:abc", "sl1.zz", "sl1.5b5d", "sl1.7b7d", "sl1.5b"}) {
        EXPECT_FALSE(decodeCursor(bad).has_value()) << bad;
    }
}

TEST(MergeRuns, PagesOverAccountsWithoutLossOrRepeats) {
    // Interleaved times, different page sizes upstream, one account much longer than the other.
    const std::vector<FakeAccount> accounts{
        {"a", {task("a1", 90), task("a2", 70), task("a3", 50), task("a4", 30), task("a5", 10)}, 2},
        {"b", {task("b1", 80), task("b2", 75), task("b3", 5)}, 3},
        {"c", {}, 4},
    };
    for (std::size_t limit : {1U, 2U, 3U, 7U}) {
        std::vector<AccountPosition> positions{{"a", "", 0}, {"b", "", 0}, {"c", "", 0}};
        std::vector<std::string> seen;
        double previous = 1e9;
        for (int page = 0; page < 20; ++page) {
            std::vector<AccountRun> runs;
            for (const AccountPosition& position : positions) {
                for (const FakeAccount& account : accounts) {
                    if (account.id == position.account) {
                        runs.push_back(account.runFrom(position, limit));
                    }
                }
            }
            const MergedPage merged = mergeRuns(runs, limit);
            ASSERT_LE(merged.items.size(), limit);
            for (const json& item : merged.items) {
                seen.push_back(item["id"]);
                EXPECT_LE(item["updated_at"].get<double>(), previous);
                previous = item["updated_at"].get<double>();
            }
            positions = merged.next;
            if (positions.empty()) {
                break;
            }
        }
        EXPECT_EQ(seen, (std::vector<std::string>{"a1", "b1", "b2", "a2", "a3", "a4", "a5", "b3"}))
            << limit;
    }
}

TEST(MergeRuns, SortsFeedItemsByTheirTask) {
    const AccountRun older{"a", {{{{"task", {{"id", "t1"}, {"created_at", 1.0}}}}, "", 0}}, ""};
    const AccountRun newer{"b", {{{{"task", {{"id", "t2"}, {"created_at", 2.0}}}}, "", 0}}, ""};
    const MergedPage merged = mergeRuns({older, newer}, 10);
    ASSERT_EQ(merged.items.size(), 2U);
    EXPECT_EQ(merged.items[0]["task"]["id"], "t2");
    EXPECT_TRUE(merged.next.empty());
}

}  // namespace
}  // namespace sluice::plugins::route_backend

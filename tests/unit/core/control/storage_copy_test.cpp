#include "core/control/storage_copy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>

namespace sluice::core::control {
namespace {

sdk::StoredValue storedText(const std::string& value,
                            sdk::StoredValue::Type type = sdk::StoredValue::Type::Text) {
    sdk::StoredValue stored;
    stored.type = type;
    stored.text = value;
    return stored;
}

sdk::StoredValue storedInteger(std::int64_t value) {
    sdk::StoredValue stored;
    stored.integer = value;
    return stored;
}

/// Tables in memory, in insertion order, exported in batches of two rows. An import writes into
/// a copy that commit() makes current; `fail_on` makes its rows() refuse that table, `rewrite`
/// appends '!' to the first value of every row of that table.
class FakeStore final : public sdk::StorageTransfer {
public:
    using Tables = std::vector<std::pair<sdk::StoredTable, std::vector<sdk::StoredRow>>>;

    Tables tables;
    std::optional<std::string> fail_on;
    std::optional<std::string> rewrite;

    sdk::Status exportRows(sdk::StoredRowSink& sink) noexcept override {
        for (const auto& [table, rows] : tables) {
            if (auto announced = sink.table(table); !announced.ok()) {
                return announced;
            }
            for (std::size_t i = 0; i < rows.size(); i += 2) {
                std::vector<sdk::StoredRow> batch(
                    rows.begin() + static_cast<std::ptrdiff_t>(i),
                    rows.begin() + static_cast<std::ptrdiff_t>(std::min(i + 2, rows.size())));
                if (auto passed = sink.rows(batch); !passed.ok()) {
                    return passed;
                }
            }
        }
        return sdk::Status::success();
    }

    sdk::Result<std::unique_ptr<sdk::StoredRowImport>> beginImport(bool replace) noexcept override {
        return std::unique_ptr<sdk::StoredRowImport>(std::make_unique<Import>(*this, replace));
    }

    std::vector<sdk::StoredRow>& rowsOf(const sdk::StoredTable& table) {
        return rowsIn(tables, table);
    }

    static std::vector<sdk::StoredRow>& rowsIn(Tables& tables, const sdk::StoredTable& table) {
        for (auto& [stored, rows] : tables) {
            if (stored.name == table.name) {
                return rows;
            }
        }
        tables.push_back({table, {}});
        return tables.back().second;
    }

private:
    class Import final : public sdk::StoredRowImport {
    public:
        Import(FakeStore& store, bool replace) : store_(store), pending_(store.tables) {
            if (replace) {
                for (auto& table : pending_) {
                    table.second.clear();
                }
            }
        }
        sdk::Status rows(const sdk::StoredTable& table,
                         const std::vector<sdk::StoredRow>& rows) noexcept override {
            if (store_.fail_on == table.name) {
                return {sdk::StatusCode::Unavailable, "disk full"};
            }
            for (sdk::StoredRow row : rows) {
                if (store_.rewrite == table.name) {
                    row.front().text += "!";
                }
                rowsIn(pending_, table).push_back(std::move(row));
            }
            return sdk::Status::success();
        }
        sdk::Status commit() noexcept override {
            store_.tables = pending_;
            return sdk::Status::success();
        }

    private:
        FakeStore& store_;
        Tables pending_;
    };
};

FakeStore sampleSource() {
    FakeStore store;
    store.tables = {
        {{"pools", {"name", "ring_size"}},
         {{storedText("team"), storedInteger(3)},
          {storedText("night"), storedInteger(2)},
          {storedText("day"), storedInteger(1)}}},
        {{"accounts", {"id", "access_token"}},
         {{storedText("acct_1"),
           storedText(std::string("\0\x01nonce", 7), sdk::StoredValue::Type::Bytes)}}},
        {{"affinities", {"affinity_key", "account_id"}}, {}},
    };
    return store;
}

TEST(StorageCopyTest, AnEmptyTargetReceivesEveryRowAndBothSidesTallyAlike) {
    FakeStore from = sampleSource();
    FakeStore to;
    const auto report = copyStorage(from, to, false);
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_TRUE(report->matches());
    EXPECT_EQ(report->rows, 4u);
    ASSERT_EQ(report->tables.size(), 3u);
    EXPECT_EQ(report->tables[0].table, "pools");
    EXPECT_EQ(report->tables[0].source.rows, 3u);
    EXPECT_EQ(report->tables[0].target.rows, 3u);
    EXPECT_EQ(report->tables[0].source.checksum.size(), 64u);
    EXPECT_EQ(report->tables[0].source.checksum, report->tables[0].target.checksum);
    const sdk::StoredValue& token = to.rowsOf({"accounts", {}}).front()[1];
    EXPECT_EQ(token.type, sdk::StoredValue::Type::Bytes);
    EXPECT_EQ(token.text, from.tables[1].second.front()[1].text);
}

TEST(StorageCopyTest, ChecksumsTellTypesColumnsAndValuesApart) {
    const auto tallyOf = [](sdk::StoredTable table, sdk::StoredRow row) {
        FakeStore store;
        store.tables = {{std::move(table), {std::move(row)}}};
        return tallyStorage(store).value().front().checksum;
    };
    const std::string base = tallyOf({"t", {"a"}}, {storedText("x")});
    EXPECT_EQ(base, tallyOf({"t", {"a"}}, {storedText("x")}));
    EXPECT_NE(base, tallyOf({"t", {"a"}}, {storedText("x", sdk::StoredValue::Type::Bytes)}));
    EXPECT_NE(base, tallyOf({"t", {"b"}}, {storedText("x")}));
    EXPECT_NE(base, tallyOf({"u", {"a"}}, {storedText("x")}));
    EXPECT_NE(base, tallyOf({"t", {"a"}}, {storedText("y")}));
    // Lengths are part of the encoding, so values cannot trade bytes.
    EXPECT_NE(tallyOf({"t", {"a", "b"}}, {storedText("ab"), storedText("c")}),
              tallyOf({"t", {"a", "b"}}, {storedText("a"), storedText("bc")}));
}

TEST(StorageCopyTest, ANonEmptyTargetIsRefusedUnlessReplaced) {
    FakeStore from = sampleSource();
    FakeStore to;
    to.tables = {{{"pools", {"name", "ring_size"}}, {{storedText("old"), storedInteger(1)}}}};

    const auto refused = copyStorage(from, to, false);
    EXPECT_EQ(refused.status().code(), sdk::StatusCode::FailedPrecondition);
    EXPECT_NE(refused.status().message().find("table pools holds 1 rows"), std::string::npos)
        << refused.status().message();
    EXPECT_EQ(to.tables.front().second.size(), 1u);

    const auto replaced = copyStorage(from, to, true);
    ASSERT_TRUE(replaced.ok()) << replaced.status().message();
    EXPECT_TRUE(replaced->matches());
    EXPECT_EQ(to.rowsOf({"pools", {}}).size(), 3u);
}

TEST(StorageCopyTest, AFailurePartWayNamesTheTableAndCommitsNothing) {
    FakeStore from = sampleSource();
    FakeStore to;
    to.fail_on = "accounts";
    const auto failed = copyStorage(from, to, false);
    EXPECT_EQ(failed.status().code(), sdk::StatusCode::Unavailable);
    EXPECT_EQ(failed.status().message(), "copying table accounts (after 0 rows): disk full");
    EXPECT_TRUE(to.tables.empty());
}

TEST(StorageCopyTest, ATargetThatChangesAValueFailsOnlyThatTable) {
    FakeStore from = sampleSource();
    FakeStore to;
    to.rewrite = "pools";
    const auto report = copyStorage(from, to, false);
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_FALSE(report->matches());
    EXPECT_FALSE(report->tables[0].matches());
    EXPECT_EQ(report->tables[0].source.rows, report->tables[0].target.rows);
    EXPECT_TRUE(report->tables[1].matches());
}

TEST(StorageCopyTest, ATableOnlyOneSideHoldsMatchesOnlyWhenEmpty) {
    CopiedTable absent{"extra", {"extra", 0, {}}, {"extra", 0, "abc"}};
    EXPECT_TRUE(absent.matches());
    absent.target.rows = 2;
    EXPECT_FALSE(absent.matches());
}

}  // namespace
}  // namespace sluice::core::control

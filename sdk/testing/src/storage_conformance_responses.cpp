// Conformance: ResponseRepository, for backends that keep stored answers
// (sdk::StoresResponses).

#include "sluice/sdk/storage_responses.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::responseTestsAnchor() {
    return 0;
}

namespace {

/// The backend's stored answers, or nullptr when it keeps none (the tests then skip).
ResponseRepository* responsesOf(StorageBackend& storage) {
    auto* stores = dynamic_cast<StoresResponses*>(&storage);
    return stores == nullptr ? nullptr : &stores->responses();
}

#define SLUICE_REQUIRE_RESPONSES(repo)                                       \
    ResponseRepository* repo = responsesOf(storage());                       \
    if ((repo) == nullptr) {                                                 \
        GTEST_SKIP() << "this backend keeps no stored responses (optional)"; \
    }

StoredResponseRecord sampleStored(const std::string& id, const std::string& owner,
                                  std::int64_t created_ms, StoredKind kind = StoredKind::Response,
                                  const std::string& model = "gpt-5.5") {
    StoredResponseRecord record;
    record.id = id;
    record.owner_key = owner;
    record.kind = kind;
    record.model = model;
    record.created_at = at(created_ms);
    record.expires_at = at(created_ms + 60'000);
    record.sealed = binarySecret(3, id);
    return record;
}

StoredResponseQuery pageOf(const std::string& owner, StoredKind kind = StoredKind::Response) {
    StoredResponseQuery query;
    query.owner_key = owner;
    query.kind = kind;
    query.now = at(0);
    return query;
}

TEST_P(StorageConformanceTest, StoredResponsesRoundTripAndReplace) {
    SLUICE_REQUIRE_RESPONSES(responses);
    const StoredResponseRecord record = sampleStored("resp_1", "sk-a", 10);
    ASSERT_TRUE(isOk(responses->save(record)));
    auto read = responses->get("resp_1");
    ASSERT_TRUE(isOk(read));
    EXPECT_EQ(read->owner_key, "sk-a");
    EXPECT_EQ(read->kind, StoredKind::Response);
    EXPECT_EQ(read->model, "gpt-5.5");
    EXPECT_EQ(read->created_at, record.created_at);
    EXPECT_EQ(read->expires_at, record.expires_at);
    expectSame(read->sealed, record.sealed);

    StoredResponseRecord replaced = record;
    replaced.sealed = binarySecret(4, "other");
    ASSERT_TRUE(isOk(responses->save(replaced)));
    expectSame(responses->get("resp_1")->sealed, replaced.sealed);
    EXPECT_TRUE(hasCode(responses->get("resp_2"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, StoredResponsesRemoveOnce) {
    SLUICE_REQUIRE_RESPONSES(responses);
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_1", "sk-a", 10))));
    EXPECT_TRUE(isOk(responses->remove("resp_1")));
    EXPECT_TRUE(hasCode(responses->remove("resp_1"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(responses->get("resp_1"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, StoredResponsesListOneOwnersKindInOrderAfterAnId) {
    SLUICE_REQUIRE_RESPONSES(responses);
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_b", "sk-a", 20))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_a", "sk-a", 20))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_c", "sk-a", 30))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_0", "sk-a", 10))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_x", "sk-b", 15))));
    ASSERT_TRUE(
        isOk(responses->save(sampleStored("chatcmpl-1", "sk-a", 15, StoredKind::ChatCompletion))));

    StoredResponseQuery query = pageOf("sk-a");
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_c", "resp_b", "resp_a", "resp_0"}));
    query.ascending = true;
    query.limit = 2;
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_0", "resp_a"}));
    query.after_id = "resp_a";
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_b", "resp_c"}));
    query.ascending = false;
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_0"}));
    query.after_id = "resp_x";  // another owner's id starts no page
    EXPECT_TRUE(responses->list(query).value().empty());
    EXPECT_EQ(collect(responses->list(pageOf("sk-a", StoredKind::ChatCompletion)).value(),
                      &StoredResponseRecord::id),
              (std::vector<std::string>{"chatcmpl-1"}));
}

TEST_P(StorageConformanceTest, StoredResponsesFilterByModelAndLeaveExpiredOut) {
    SLUICE_REQUIRE_RESPONSES(responses);
    ASSERT_TRUE(
        isOk(responses->save(sampleStored("resp_1", "sk-a", 10, StoredKind::Response, "gpt-5.4"))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_2", "sk-a", 20))));
    StoredResponseQuery query = pageOf("sk-a");
    query.model = "gpt-5.4";
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_1"}));
    query.model.clear();
    query.now = at(10 + 60'000);  // resp_1 expires at this instant
    EXPECT_EQ(collect(responses->list(query).value(), &StoredResponseRecord::id),
              (std::vector<std::string>{"resp_2"}));
}

TEST_P(StorageConformanceTest, StoredResponsesPurgeWhatExpired) {
    SLUICE_REQUIRE_RESPONSES(responses);
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_1", "sk-a", 10))));
    ASSERT_TRUE(isOk(responses->save(sampleStored("resp_2", "sk-b", 20))));
    auto purged = responses->purgeExpired(at(10 + 60'000));
    ASSERT_TRUE(isOk(purged));
    EXPECT_EQ(purged.value(), 1U);
    EXPECT_TRUE(hasCode(responses->get("resp_1"), StatusCode::NotFound));
    EXPECT_TRUE(isOk(responses->get("resp_2")));
    EXPECT_EQ(responses->purgeExpired(at(10 + 60'000)).value(), 0U);
}

}  // namespace

}  // namespace sluice::sdk::testing

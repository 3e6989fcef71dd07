// Conformance: ApiKeyRepository and OperatorTokenRepository.

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::credentialTestsAnchor() {
    return 0;
}

namespace {

TEST_P(StorageConformanceTest, ApiKeyCreateThenFindRoundTripsEveryField) {
    ApiKeyRecord key = sampleKey("sk-sluice-1a2b", "team", 10);
    key.status = CredentialStatus::Paused;
    key.updated_at = at(11);
    key.last_used_at = at(12);
    ASSERT_TRUE(isOk(storage().apiKeys().create(key)));

    auto stored = storage().apiKeys().findByPrefix("sk-sluice-1a2b");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), key);
}

TEST_P(StorageConformanceTest, ApiKeyPrefixIsUnique) {
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-1", "team"))));
    EXPECT_TRUE(
        hasCode(storage().apiKeys().create(sampleKey("sk-1", "other")), StatusCode::AlreadyExists));

    auto stored = storage().apiKeys().findByPrefix("sk-1");
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->pool, "team");
}

TEST_P(StorageConformanceTest, ApiKeyMissingIsNotFound) {
    auto& keys = storage().apiKeys();
    EXPECT_TRUE(hasCode(keys.findByPrefix("ghost"), StatusCode::NotFound));
    EXPECT_TRUE(
        hasCode(keys.setStatus("ghost", CredentialStatus::Revoked, at(1)), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(keys.setPolicy("ghost", "{}", at(1)), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(keys.setHash("ghost", "new", at(1)), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(keys.touch("ghost", at(1)), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, ApiKeyListIsOrderedByCreationTimeAndFiltersByPool) {
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-c", "x", 30))));
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-a", "y", 10))));
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-b", "x", 20))));

    auto all = storage().apiKeys().list(std::nullopt);
    ASSERT_TRUE(isOk(all));
    EXPECT_EQ(collect(all.value(), &ApiKeyRecord::prefix),
              (std::vector<std::string>{"sk-a", "sk-b", "sk-c"}));

    auto in_x = storage().apiKeys().list(std::string_view("x"));
    ASSERT_TRUE(isOk(in_x));
    EXPECT_EQ(collect(in_x.value(), &ApiKeyRecord::prefix),
              (std::vector<std::string>{"sk-b", "sk-c"}));
}

TEST_P(StorageConformanceTest, ApiKeySettersChangeOnlyTheirFieldAndUpdateTime) {
    ApiKeyRecord key = sampleKey("sk-1", "team");
    ASSERT_TRUE(isOk(storage().apiKeys().create(key)));

    ASSERT_TRUE(isOk(storage().apiKeys().setStatus("sk-1", CredentialStatus::Revoked, at(100))));
    key.status = CredentialStatus::Revoked;
    key.updated_at = at(100);
    auto stored = storage().apiKeys().findByPrefix("sk-1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), key);

    ASSERT_TRUE(isOk(storage().apiKeys().setPolicy("sk-1", R"({"rpm":60})", at(200))));
    key.policy_json = R"({"rpm":60})";
    key.updated_at = at(200);
    stored = storage().apiKeys().findByPrefix("sk-1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), key);

    ASSERT_TRUE(isOk(storage().apiKeys().setHash("sk-1", "rotated-hash", at(300))));
    key.hash = "rotated-hash";
    key.updated_at = at(300);
    stored = storage().apiKeys().findByPrefix("sk-1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), key);
}

TEST_P(StorageConformanceTest, ApiKeyTouchNeverMovesLastUseBackwards) {
    ASSERT_TRUE(isOk(storage().apiKeys().create(sampleKey("sk-1", "team", 0))));
    ASSERT_TRUE(isOk(storage().apiKeys().touch("sk-1", at(500))));
    ASSERT_TRUE(isOk(storage().apiKeys().touch("sk-1", at(400))));

    auto stored = storage().apiKeys().findByPrefix("sk-1");
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->last_used_at, at(500));
    EXPECT_EQ(stored->updated_at, at(0)) << "use is not a change to the key";
}

TEST_P(StorageConformanceTest, OperatorTokenCreateThenFindRoundTripsEveryField) {
    OperatorTokenRecord token = sampleToken("adm-1", OperatorTokenKind::Mcp, 10);
    token.status = CredentialStatus::Paused;
    token.last_used_at = at(12);
    ASSERT_TRUE(isOk(storage().operatorTokens().create(token)));

    auto stored = storage().operatorTokens().findByPrefix("adm-1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), token);
}

TEST_P(StorageConformanceTest, OperatorTokenPrefixIsUnique) {
    ASSERT_TRUE(
        isOk(storage().operatorTokens().create(sampleToken("t-1", OperatorTokenKind::Admin))));
    EXPECT_TRUE(
        hasCode(storage().operatorTokens().create(sampleToken("t-1", OperatorTokenKind::Mcp)),
                StatusCode::AlreadyExists));
}

TEST_P(StorageConformanceTest, OperatorTokenListFiltersByKindInCreationOrder) {
    auto& tokens = storage().operatorTokens();
    ASSERT_TRUE(isOk(tokens.create(sampleToken("adm-late", OperatorTokenKind::Admin, 30))));
    ASSERT_TRUE(isOk(tokens.create(sampleToken("mcp-1", OperatorTokenKind::Mcp, 5))));
    ASSERT_TRUE(isOk(tokens.create(sampleToken("adm-early", OperatorTokenKind::Admin, 10))));

    auto admin = tokens.list(OperatorTokenKind::Admin);
    ASSERT_TRUE(isOk(admin));
    EXPECT_EQ(collect(admin.value(), &OperatorTokenRecord::prefix),
              (std::vector<std::string>{"adm-early", "adm-late"}));

    auto mcp = tokens.list(OperatorTokenKind::Mcp);
    ASSERT_TRUE(isOk(mcp));
    EXPECT_EQ(collect(mcp.value(), &OperatorTokenRecord::prefix),
              (std::vector<std::string>{"mcp-1"}));
}

TEST_P(StorageConformanceTest, OperatorTokenSetStatus) {
    auto& tokens = storage().operatorTokens();
    ASSERT_TRUE(isOk(tokens.create(sampleToken("adm-1", OperatorTokenKind::Admin))));
    ASSERT_TRUE(isOk(tokens.setStatus("adm-1", CredentialStatus::Revoked)));

    auto stored = tokens.findByPrefix("adm-1");
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->status, CredentialStatus::Revoked);
    EXPECT_TRUE(
        hasCode(tokens.setStatus("ghost", CredentialStatus::Revoked), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(tokens.findByPrefix("ghost"), StatusCode::NotFound));
}

}  // namespace
}  // namespace sluice::sdk::testing

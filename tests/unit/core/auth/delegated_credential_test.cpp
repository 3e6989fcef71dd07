#include "core/auth/delegated_credential.hpp"

#include <gtest/gtest.h>

#include "core/auth/authenticator.hpp"
#include "core/auth/credential_token.hpp"
#include "core/security/encoding.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::auth {
namespace {

using namespace std::chrono_literals;

// A directory over the memory backend with one pool and one active key.
class DelegatedCredentialTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(storage_.pools().create({"team", "balanced", 3, true, {}, {}}).ok());
        ASSERT_TRUE(storage_.apiKeys().create(record(key_)).ok());
        ASSERT_TRUE(directory_.refreshNow());
    }

    static sdk::ApiKeyRecord record(const IssuedToken& token) {
        sdk::ApiKeyRecord key;
        key.prefix = token.prefix;
        key.hash = token.hash;
        key.pool = "team";
        key.name = "runner";
        return key;
    }

    sdk::Headers bearer(const std::string& token) const {
        return {{"Authorization", "Bearer " + token}};
    }

    AuthOutcome present(const std::string& token) const {
        return authenticator_.authenticate(sdk::CredentialKind::PoolKey, bearer(token));
    }

    std::string mint(std::chrono::seconds ttl = 60s) {
        auto minted = delegation_.delegate(key_.prefix, ttl);
        EXPECT_TRUE(minted.ok()) << minted.status().message();
        return minted.ok() ? minted->token : std::string();
    }

    void changeKey() { ASSERT_TRUE(directory_.refreshNow()); }

    sdk::testing::FakeHost host_;
    plugins::storage_memory::MemoryBackend storage_;
    runtime::Directory directory_{storage_, {}, host_.logger("directory")};
    IssuedToken key_ = issueToken(sdk::CredentialKind::PoolKey);
    DelegatedCredentialSigner signer_{security::randomBytes(32)};
    CredentialDelegation delegation_{directory_, signer_, host_.clock()};
    Authenticator authenticator_{directory_, signer_, host_.clock()};
};

TEST_F(DelegatedCredentialTest, StandsForTheKeyItWasMintedFor) {
    const std::string token = mint();
    EXPECT_EQ(token.rfind("sluice-run-", 0), 0U);
    EXPECT_EQ(token.find(key_.raw), std::string::npos);  // the raw key is nowhere in it
    const AuthOutcome outcome = present(token);
    ASSERT_TRUE(outcome.principal) << outcome.error.message;
    EXPECT_EQ(outcome.principal->id, key_.prefix);
    EXPECT_EQ(outcome.principal->pool, "team");
    EXPECT_EQ(outcome.principal->name, "runner");
}

TEST_F(DelegatedCredentialTest, IsAcceptedAsAnApiKeyHeaderToo) {
    const AuthOutcome outcome =
        authenticator_.authenticate(sdk::CredentialKind::PoolKey, {{"x-api-key", mint()}});
    EXPECT_TRUE(outcome.principal);
}

TEST_F(DelegatedCredentialTest, EndsWhenItExpires) {
    const std::string token = mint(60s);
    host_.fakeClock().advance(59s);
    EXPECT_TRUE(present(token).principal);
    host_.fakeClock().advance(1s);
    const AuthOutcome outcome = present(token);
    EXPECT_FALSE(outcome.principal);
    EXPECT_EQ(outcome.error.http_status, 401);
    EXPECT_EQ(outcome.error.code, "invalid_api_key");
}

TEST_F(DelegatedCredentialTest, EndsWhenTheKeyIsRotatedPausedOrRevoked) {
    const std::string token = mint();
    ASSERT_TRUE(storage_.apiKeys().setStatus(key_.prefix, sdk::CredentialStatus::Paused, {}).ok());
    changeKey();
    EXPECT_EQ(present(token).error.message, "the Pool API key is paused");
    ASSERT_TRUE(storage_.apiKeys().setStatus(key_.prefix, sdk::CredentialStatus::Active, {}).ok());
    changeKey();
    EXPECT_TRUE(present(token).principal);
    ASSERT_TRUE(storage_.apiKeys().setHash(key_.prefix, reissueToken(key_.prefix)->hash, {}).ok());
    changeKey();
    EXPECT_FALSE(present(token).principal);
}

TEST_F(DelegatedCredentialTest, RefusesAnythingAlteredOrSignedWithAnotherSecret) {
    const std::string token = mint();
    std::string longer_life = token;
    const std::size_t dot = longer_life.find('.');
    longer_life.insert(dot + 1, "9");  // a later expiry under the same signature
    EXPECT_FALSE(present(longer_life).principal);
    std::string flipped = token;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(present(flipped).principal);
    const DelegatedCredentialSigner other(security::randomBytes(32));
    CredentialDelegation foreign(directory_, other, host_.clock());
    EXPECT_FALSE(present(foreign.delegate(key_.prefix, 60s)->token).principal);
    for (const char* malformed :
         {"sluice-run-", "sluice-run-zz.1.x", "sluice-run-1a2b3c4d5e6f..x"}) {
        const AuthOutcome outcome = present(malformed);
        EXPECT_FALSE(outcome.principal) << malformed;
        EXPECT_EQ(outcome.error.message, "the Pool API key is not valid") << malformed;
    }
}

TEST_F(DelegatedCredentialTest, WorksOnPoolKeySurfacesOnly) {
    const AuthOutcome outcome =
        authenticator_.authenticate(sdk::CredentialKind::AdminToken, bearer(mint()));
    EXPECT_FALSE(outcome.principal);
    EXPECT_EQ(outcome.error.code, "invalid_api_key");
}

TEST_F(DelegatedCredentialTest, IsMintedOnlyForActiveKeysWithinItsLifetimeBounds) {
    EXPECT_EQ(delegation_.delegate("sk-sluice-000000000000", 60s).status().code(),
              sdk::StatusCode::NotFound);
    EXPECT_EQ(delegation_.delegate(key_.prefix, 0s).status().code(),
              sdk::StatusCode::InvalidArgument);
    EXPECT_EQ(
        delegation_.delegate(key_.prefix, CredentialDelegation::kMaxLifetime + 1s).status().code(),
        sdk::StatusCode::InvalidArgument);
    ASSERT_TRUE(storage_.apiKeys().setStatus(key_.prefix, sdk::CredentialStatus::Revoked, {}).ok());
    changeKey();
    EXPECT_EQ(delegation_.delegate(key_.prefix, 60s).status().code(),
              sdk::StatusCode::FailedPrecondition);
}

TEST(DelegatedClaimTest, ParsesOnlyTheDelegatedSpelling) {
    const DelegatedCredentialSigner signer(security::randomBytes(32));
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));
    const std::string token = signer.sign("sk-sluice-1a2b3c4d5e6f", "hash", at);
    const auto claim = DelegatedCredentialSigner::parse(token);
    ASSERT_TRUE(claim);
    EXPECT_EQ(claim->key_prefix, "sk-sluice-1a2b3c4d5e6f");
    EXPECT_EQ(claim->expires_at, at);
    EXPECT_TRUE(signer.verify(*claim, "hash"));
    EXPECT_FALSE(signer.verify(*claim, "another hash"));
    EXPECT_FALSE(DelegatedCredentialSigner::parse(issueToken(sdk::CredentialKind::PoolKey).raw));
    EXPECT_FALSE(DelegatedCredentialSigner::parse(token + "x"));
    EXPECT_FALSE(DelegatedCredentialSigner::parse("sluice-run-1a2b3c4d5e6f.-5." + claim->mac));
    // Found by UBSan: an expiry past the clock's range must not overflow a time point.
    EXPECT_FALSE(
        DelegatedCredentialSigner::parse("sluice-run-1a2b3c4d5e6f.91800000060." + claim->mac));
    EXPECT_FALSE(DelegatedCredentialSigner::parse("sluice-run-1a2b3c4d5e6f.99999999999999999999." +
                                                  claim->mac));
}

}  // namespace
}  // namespace sluice::core::auth

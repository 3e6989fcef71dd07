#include "core/auth/credential_token.hpp"

#include <gtest/gtest.h>

namespace sluice::core::auth {
namespace {

TEST(CredentialTokenTest, IssuesDistinctlySpelledTokensPerKind) {
    const IssuedToken key = issueToken(sdk::CredentialKind::PoolKey);
    const IssuedToken admin = issueToken(sdk::CredentialKind::AdminToken);
    const IssuedToken mcp = issueToken(sdk::CredentialKind::McpToken);
    EXPECT_EQ(key.raw.rfind("sk-sluice-", 0), 0U);
    EXPECT_EQ(admin.raw.rfind("sluice-admin-", 0), 0U);
    EXPECT_EQ(mcp.raw.rfind("sluice-mcp-", 0), 0U);
    EXPECT_EQ(key.raw.rfind(key.prefix + "-", 0), 0U);
    EXPECT_EQ(key.hash, hashToken(key.raw));
    EXPECT_EQ(key.hash.size(), 64U);
    EXPECT_NE(issueToken(sdk::CredentialKind::PoolKey).raw, key.raw);
}

TEST(CredentialTokenTest, ParsesKindAndPrefixOfWellFormedTokens) {
    const IssuedToken key = issueToken(sdk::CredentialKind::PoolKey);
    const auto parsed = parseToken(key.raw);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->kind, sdk::CredentialKind::PoolKey);
    EXPECT_EQ(parsed->prefix, key.prefix);
    EXPECT_EQ(parseToken(issueToken(sdk::CredentialKind::McpToken).raw)->kind,
              sdk::CredentialKind::McpToken);
}

TEST(CredentialTokenTest, RejectsMalformedTokens) {
    const std::string raw = issueToken(sdk::CredentialKind::PoolKey).raw;
    EXPECT_FALSE(parseToken(""));
    EXPECT_FALSE(parseToken("sk-other-123"));
    EXPECT_FALSE(parseToken(raw.substr(0, raw.size() - 1)));
    EXPECT_FALSE(parseToken(raw + "x"));
    std::string bad_id = raw;
    bad_id[12] = 'Z';
    EXPECT_FALSE(parseToken(bad_id));
}

}  // namespace
}  // namespace sluice::core::auth

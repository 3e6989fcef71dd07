#include "core/security/secret_box.hpp"

#include <gtest/gtest.h>

#include "core/security/encoding.hpp"

namespace sluice::core::security {
namespace {

SecretBox makeBox() {
    return SecretBox({{1, std::string(32, 'k')}, {2, std::string(32, 'n')}}, 2);
}

TEST(SecretBoxTest, RoundTripsWithTheActiveKeyVersion) {
    const SecretBox box = makeBox();
    const auto secret = box.encrypt("refresh-token-value", "acct_1:refresh_token");
    EXPECT_EQ(secret.key_version, 2U);
    EXPECT_EQ(secret.ciphertext.find("refresh-token-value"), std::string::npos);
    EXPECT_EQ(box.decrypt(secret, "acct_1:refresh_token"), "refresh-token-value");
}

TEST(SecretBoxTest, DerivesStableDistinctKeysPerPurpose) {
    const SecretBox box = makeBox();
    const std::string signing = box.deriveKey("signing");
    EXPECT_EQ(signing.size(), 32U);
    EXPECT_EQ(signing, box.deriveKey("signing"));
    EXPECT_NE(signing, box.deriveKey("another purpose"));
    EXPECT_NE(signing, std::string(32, 'n'));
    // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
    EXPECT_EQ(toHex(hmacSha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SecretBoxTest, UsesAFreshNonceEveryTime) {
    const SecretBox box = makeBox();
    EXPECT_NE(box.encrypt("same", "aad").ciphertext, box.encrypt("same", "aad").ciphertext);
}

TEST(SecretBoxTest, RefusesTamperingWrongPurposeAndUnknownVersions) {
    const SecretBox box = makeBox();
    auto secret = box.encrypt("value", "acct_1:access_token");
    EXPECT_FALSE(box.decrypt(secret, "acct_2:access_token"));
    auto tampered = secret;
    tampered.ciphertext[14] ^= 0x01;
    EXPECT_FALSE(box.decrypt(tampered, "acct_1:access_token"));
    auto unknown = secret;
    unknown.key_version = 7;
    EXPECT_FALSE(box.decrypt(unknown, "acct_1:access_token"));
}

TEST(SecretBoxTest, DecryptsSecretsOfRetiredVersions) {
    const SecretBox old_box({{1, std::string(32, 'k')}}, 1);
    const auto secret = old_box.encrypt("kept", "aad");
    EXPECT_EQ(makeBox().decrypt(secret, "aad"), "kept");
}

TEST(SecretBoxTest, DecodesBase64AndHexKeysOnly) {
    const std::string raw(32, '\x07');
    EXPECT_EQ(SecretBox::decodeKey(toBase64(raw)), raw);
    EXPECT_EQ(SecretBox::decodeKey(toHex(raw)), raw);
    EXPECT_FALSE(SecretBox::decodeKey("short"));
    EXPECT_FALSE(SecretBox::decodeKey(toBase64(std::string(16, 'x'))));
}

}  // namespace
}  // namespace sluice::core::security

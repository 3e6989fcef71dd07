#include "core/security/secret_box.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "core/security/encoding.hpp"

namespace sluice::core::security {

namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) {
        throw std::runtime_error("cannot allocate a cipher context");
    }
    return ctx;
}

unsigned char* bytes(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}
const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SecretBox::SecretBox(std::map<std::uint32_t, std::string> keys, std::uint32_t active_version)
    : keys_(std::move(keys)), active_version_(active_version) {
    for (const auto& [version, key] : keys_) {
        if (key.size() != kKeySize) {
            throw std::invalid_argument("secret key version " + std::to_string(version) +
                                        " is not 32 bytes");
        }
    }
    if (keys_.find(active_version_) == keys_.end()) {
        throw std::invalid_argument("no key for the active version " +
                                    std::to_string(active_version_));
    }
}

std::optional<std::string> SecretBox::decodeKey(std::string_view encoded) {
    if (encoded.size() == kKeySize * 2) {
        if (auto raw = fromHex(encoded); raw && raw->size() == kKeySize) {
            return raw;
        }
    }
    if (auto raw = fromBase64(encoded); raw && raw->size() == kKeySize) {
        return raw;
    }
    return std::nullopt;
}

std::string SecretBox::deriveKey(std::string_view purpose) const {
    return hmacSha256(keys_.at(active_version_), purpose);
}

sdk::EncryptedSecret SecretBox::encrypt(std::string_view plaintext, std::string_view aad) const {
    const std::string& key = keys_.at(active_version_);
    std::string out = randomBytes(kNonceSize);
    out.resize(kNonceSize + plaintext.size() + kTagSize);
    auto ctx = newContext();
    int written = 0;
    int final_written = 0;
    const bool ok =
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(out)) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(aad), static_cast<int>(aad.size())) ==
            1 &&
        EVP_EncryptUpdate(ctx.get(), bytes(out) + kNonceSize, &written, bytes(plaintext),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kNonceSize + written, &final_written) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                            bytes(out) + kNonceSize + plaintext.size()) == 1;
    if (!ok) {
        throw std::runtime_error("AES-256-GCM encryption failed");
    }
    return sdk::EncryptedSecret{active_version_, std::move(out)};
}

std::optional<std::string> SecretBox::decrypt(const sdk::EncryptedSecret& secret,
                                              std::string_view aad) const {
    const auto key = keys_.find(secret.key_version);
    if (key == keys_.end() || secret.ciphertext.size() < kNonceSize + kTagSize) {
        return std::nullopt;
    }
    const std::string_view blob(secret.ciphertext);
    const std::string_view nonce = blob.substr(0, kNonceSize);
    const std::string_view body = blob.substr(kNonceSize, blob.size() - kNonceSize - kTagSize);
    std::string tag(blob.substr(blob.size() - kTagSize));
    std::string plaintext(body.size(), '\0');
    auto ctx = newContext();
    int written = 0;
    int final_written = 0;
    const bool ok =
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key->second), bytes(nonce)) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(aad), static_cast<int>(aad.size())) ==
            1 &&
        EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &written, bytes(body),
                          static_cast<int>(body.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, bytes(tag)) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + written, &final_written) == 1;
    if (!ok) {
        return std::nullopt;
    }
    return plaintext;
}

std::string accountSecretAad(std::string_view account_id, std::string_view field) {
    std::string aad(account_id);
    aad.push_back(':');
    aad.append(field);
    return aad;
}

}  // namespace sluice::core::security

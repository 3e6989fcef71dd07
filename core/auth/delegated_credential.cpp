#include "core/auth/delegated_credential.hpp"

#include <charconv>

#include "core/security/encoding.hpp"

namespace sluice::core::auth {

namespace {

constexpr std::string_view kLead = "sluice-run-";
constexpr std::string_view kPoolKeyLead = "sk-sluice-";
constexpr std::size_t kIdChars = 12;
constexpr std::size_t kMacChars = 43;  // 32 bytes, base64url without padding
// Beyond any real expiry (2100-01-01), and far enough from the clock's range that a presented
// number never overflows a time point.
constexpr std::int64_t kLatestExpiry = 4'102'444'800;

bool isLowerHex(std::string_view text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::int64_t secondsOf(std::chrono::system_clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

}  // namespace

std::string DelegatedCredentialSigner::mac(std::string_view key_prefix, std::string_view key_hash,
                                           std::chrono::system_clock::time_point expires_at) const {
    std::string message = "sluice-delegated-v1\n";
    message.append(key_prefix).append("\n");
    message.append(std::to_string(secondsOf(expires_at))).append("\n");
    message.append(key_hash);
    return security::toBase64Url(security::hmacSha256(signing_key_, message));
}

std::string DelegatedCredentialSigner::sign(
    std::string_view key_prefix, std::string_view key_hash,
    std::chrono::system_clock::time_point expires_at) const {
    std::string token(kLead);
    token.append(key_prefix.substr(kPoolKeyLead.size())).append(".");
    token.append(std::to_string(secondsOf(expires_at))).append(".");
    token.append(mac(key_prefix, key_hash, expires_at));
    return token;
}

bool DelegatedCredentialSigner::verify(const DelegatedClaim& claim,
                                       std::string_view key_hash) const {
    return security::constantTimeEquals(mac(claim.key_prefix, key_hash, claim.expires_at),
                                        claim.mac);
}

bool DelegatedCredentialSigner::looksDelegated(std::string_view raw) noexcept {
    return raw.substr(0, kLead.size()) == kLead;
}

std::optional<DelegatedClaim> DelegatedCredentialSigner::parse(std::string_view raw) {
    if (!looksDelegated(raw)) {
        return std::nullopt;
    }
    const std::string_view rest = raw.substr(kLead.size());
    const std::size_t first = rest.find('.');
    const std::size_t second = rest.find('.', first == std::string_view::npos ? 0 : first + 1);
    if (first != kIdChars || second == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view id = rest.substr(0, first);
    const std::string_view expiry = rest.substr(first + 1, second - first - 1);
    const std::string_view signature = rest.substr(second + 1);
    std::int64_t seconds = 0;
    const auto [end, error] =
        std::from_chars(expiry.data(), expiry.data() + expiry.size(), seconds);
    if (!isLowerHex(id) || expiry.empty() || error != std::errc() ||
        end != expiry.data() + expiry.size() || seconds <= 0 || seconds > kLatestExpiry ||
        signature.size() != kMacChars) {
        return std::nullopt;
    }
    return DelegatedClaim{std::string(kPoolKeyLead) + std::string(id),
                          std::chrono::system_clock::time_point(std::chrono::seconds(seconds)),
                          std::string(signature)};
}

sdk::Result<sdk::DelegatedCredential> CredentialDelegation::delegate(
    std::string_view key_id, std::chrono::seconds ttl) noexcept {
    using sdk::Status;
    using sdk::StatusCode;
    if (ttl < std::chrono::seconds(1) || ttl > kMaxLifetime) {
        return Status(StatusCode::InvalidArgument, "ttl must be between 1s and 7 days");
    }
    try {
        const runtime::DirectorySnapshotPtr snapshot = directory_.snapshot();
        const auto it = snapshot->api_keys.find(std::string(key_id));
        if (it == snapshot->api_keys.end()) {
            return Status(StatusCode::NotFound, "no Pool API key " + std::string(key_id));
        }
        if (it->second.status != sdk::CredentialStatus::Active) {
            return Status(StatusCode::FailedPrecondition,
                          "the Pool API key " + std::string(key_id) + " is not active");
        }
        const auto expires_at =
            std::chrono::time_point_cast<std::chrono::seconds>(clock_.now()) + ttl;
        return sdk::DelegatedCredential{signer_.sign(it->first, it->second.hash, expires_at),
                                        expires_at};
    } catch (const std::exception& e) {
        return Status(StatusCode::Internal, e.what());
    }
}

}  // namespace sluice::core::auth

#include "sluice/plugins/common/storage_codec.hpp"

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace sluice::plugins::common {

namespace {

constexpr std::array<std::pair<sdk::AccountStatus, std::string_view>, 7> kAccountStatuses{{
    {sdk::AccountStatus::Active, "active"},
    {sdk::AccountStatus::RefreshDue, "refresh_due"},
    {sdk::AccountStatus::Refreshing, "refreshing"},
    {sdk::AccountStatus::RefreshFailed, "refresh_failed"},
    {sdk::AccountStatus::ReauthRequired, "reauth_required"},
    {sdk::AccountStatus::Paused, "paused"},
    {sdk::AccountStatus::Disabled, "disabled"},
}};

constexpr std::array<std::pair<sdk::CredentialStatus, std::string_view>, 3> kCredentialStatuses{{
    {sdk::CredentialStatus::Active, "active"},
    {sdk::CredentialStatus::Paused, "paused"},
    {sdk::CredentialStatus::Revoked, "revoked"},
}};

constexpr std::array<std::pair<sdk::OperatorTokenKind, std::string_view>, 2> kTokenKinds{{
    {sdk::OperatorTokenKind::Admin, "admin"},
    {sdk::OperatorTokenKind::Mcp, "mcp"},
}};

template <class Enum, std::size_t N>
std::string_view textOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                        Enum value) noexcept {
    for (const auto& [candidate, text] : table) {
        if (candidate == value) {
            return text;
        }
    }
    return "unknown";
}

template <class Enum, std::size_t N>
Enum parse(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text,
           const char* what) {
    for (const auto& [value, candidate] : table) {
        if (candidate == text) {
            return value;
        }
    }
    throw std::runtime_error(std::string("stored ") + what + " '" + std::string(text) +
                             "' is not known to this build");
}

}  // namespace

std::int64_t toMillis(sdk::TimePoint time) noexcept {
    return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

sdk::TimePoint fromMillis(std::int64_t millis) noexcept {
    return sdk::TimePoint(std::chrono::milliseconds(millis));
}

std::string_view accountStatusText(sdk::AccountStatus status) noexcept {
    return textOf(kAccountStatuses, status);
}

sdk::AccountStatus parseAccountStatus(std::string_view text) {
    return parse(kAccountStatuses, text, "account status");
}

std::string_view credentialStatusText(sdk::CredentialStatus status) noexcept {
    return textOf(kCredentialStatuses, status);
}

sdk::CredentialStatus parseCredentialStatus(std::string_view text) {
    return parse(kCredentialStatuses, text, "credential status");
}

std::string_view tokenKindText(sdk::OperatorTokenKind kind) noexcept {
    return textOf(kTokenKinds, kind);
}

sdk::OperatorTokenKind parseTokenKind(std::string_view text) {
    return parse(kTokenKinds, text, "operator token kind");
}

sdk::WalletEntryKind parseWalletEntryKind(std::string_view text) {
    for (auto kind : {sdk::WalletEntryKind::Charge, sdk::WalletEntryKind::Credit,
                      sdk::WalletEntryKind::Debit}) {
        if (text == sdk::walletEntryKindName(kind)) {
            return kind;
        }
    }
    throw std::runtime_error("stored wallet entry kind '" + std::string(text) +
                             "' is not known to this build");
}

std::string labelsText(const sdk::Labels& labels) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& [key, value] : labels) {
        pairs.push_back({key, value});
    }
    return pairs.dump();
}

sdk::Labels parseLabels(std::string_view text) {
    sdk::Labels labels;
    const auto pairs = nlohmann::json::parse(text, nullptr, false);
    if (!pairs.is_array()) {
        return labels;
    }
    for (const auto& pair : pairs) {
        if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
            labels.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
        }
    }
    return labels;
}

}  // namespace sluice::plugins::common

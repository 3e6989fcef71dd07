#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/storage_records.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::common {

// How storage records map onto database columns, shared by every SQL backend so that a row
// means the same in each of them: times as integer unix milliseconds, enums as stable
// lowercase words (readable in a SQL shell and immune to enum reordering), account labels as a
// JSON array of [key, value] pairs. Pure functions; the parse functions throw
// std::runtime_error on text this build does not know.

std::int64_t toMillis(sdk::TimePoint time) noexcept;
sdk::TimePoint fromMillis(std::int64_t millis) noexcept;

std::string_view accountStatusText(sdk::AccountStatus status) noexcept;
sdk::AccountStatus parseAccountStatus(std::string_view text);

std::string_view credentialStatusText(sdk::CredentialStatus status) noexcept;
sdk::CredentialStatus parseCredentialStatus(std::string_view text);

std::string_view tokenKindText(sdk::OperatorTokenKind kind) noexcept;
sdk::OperatorTokenKind parseTokenKind(std::string_view text);

/// The kind a stored wallet transaction names (sdk::walletEntryKindName writes it).
sdk::WalletEntryKind parseWalletEntryKind(std::string_view text);

std::string labelsText(const sdk::Labels& labels);
/// Malformed text reads as no labels.
sdk::Labels parseLabels(std::string_view text);

}  // namespace sluice::plugins::common

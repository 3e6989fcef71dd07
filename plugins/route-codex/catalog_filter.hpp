#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::plugins::route_codex {

/// A Codex client version, major.minor.patch.
using ClientVersion = std::array<int, 3>;

/// The version a Codex client announces: the `client_version` query parameter of its /models
/// call, else the version in its User-Agent (`codex_cli_rs/0.169.0 (...)`); none when neither
/// says.
std::optional<ClientVersion> clientVersionOf(std::optional<std::string_view> query_version,
                                             std::optional<std::string_view> user_agent);

/// The catalog `{"models":[...]}` without the entries this client cannot decode: one such entry
/// makes the whole catalog unreadable for it (codex-protocol §6, §12). An entry is dropped when
/// a field the client requires is missing or of the wrong type, or when its
/// `minimal_client_version` is above `client` (unknown client: that check is skipped). The
/// body comes back unchanged when nothing is dropped or it is not a catalog. Pure.
std::string catalogFor(const std::string& body, const std::optional<ClientVersion>& client);

}  // namespace sluice::plugins::route_codex

#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sluice/sdk/storage_projects.hpp"

namespace sluice::plugins::route_appserver {

/// `tokenUsage.total` of a `thread/tokenUsage/updated` notification, or nullopt when the
/// notification carries none.
std::optional<sdk::ProjectTokens> threadTotal(const nlohmann::json& params);

/// Makes `thread_id` the project's current thread. A different thread starts from a zero
/// snapshot; the same thread keeps its snapshot (a resume re-reports what was accounted).
void adoptThread(sdk::ProjectRecord& project, const std::string& thread_id);

/// Accounts a reported thread total: what it adds over the snapshot last accounted for the
/// project's current thread is added to the project's total, and the report becomes the
/// snapshot. Repeated or re-emitted totals add nothing; a total that shrank (a compacted
/// window) resets the snapshot without adding. Returns the delta accounted. Reports of a thread
/// that is not the project's current one add nothing.
sdk::ProjectTokens accountThreadTotal(sdk::ProjectRecord& project, const std::string& thread_id,
                                      const sdk::ProjectTokens& total);

bool isZero(const sdk::ProjectTokens& tokens) noexcept;
nlohmann::json tokensJson(const sdk::ProjectTokens& tokens);

}  // namespace sluice::plugins::route_appserver

#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sluice::core::dispatch {

/// A continuation rewritten for an account that never saw its conversation.
struct HandoffReplay {
    std::string body;                ///< the request, history inline, nothing account-bound
    std::size_t replayed_items = 0;  ///< input items sent
    std::size_t dropped_items = 0;   ///< items (or file parts) left out as bound to the old account
};

/// Leaves out of `items` what only the account that produced them can read: reasoning items
/// (their encrypted_content or stored id), anything else carrying encrypted_content (e.g. a
/// compaction), references to stored items, and content parts naming a file_id (files belong to
/// the account they were uploaded to; a message left empty goes too). Item ids go as well, so
/// nothing refers to the old account's stored items. Counts what it left out in `dropped`.
nlohmann::json sanitisedItems(const nlohmann::json& items, std::size_t& dropped);

/// `request` (a Responses body continuing a response) with `history` (the items continuing that
/// response means) replayed inline and previous_response_id removed, sanitised for another
/// account; none when `request` is not such a body.
std::optional<HandoffReplay> handoffReplay(const nlohmann::json& request,
                                           const nlohmann::json& history);

}  // namespace sluice::core::dispatch

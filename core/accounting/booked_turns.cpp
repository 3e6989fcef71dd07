#include "core/accounting/booked_turns.hpp"

#include "core/routing/route_planner.hpp"
#include "core/upstream/json_scan.hpp"

namespace sluice::core::accounting {

std::optional<sdk::ErrorInfo> BookedTurns::open(std::string& payload) {
    if (auto refusal = admission_.open(payload)) {
        return refusal;
    }
    // Read after admission: a key's model rules may have rewritten the frame.
    routing::RouteQuery query;
    query.session_key = session_key_;
    query.prompt_cache_key = upstream::topLevelString(payload, "prompt_cache_key").value_or("");
    open_.push_back({std::string(upstream::topLevelString(payload, "model").value_or("")),
                     std::string(routing::RoutePlanner::continuityKey(query)),
                     upstream::topLevelLiteral(payload, "generate") == "false"});
    return std::nullopt;
}

void BookedTurns::close(const dispatch::ResponseCompletion& turn) {
    admission_.close(turn);
    if (open_.empty()) {
        return;  // an upstream error no turn of the client's caused
    }
    OpenTurn opened = std::move(open_.front());
    open_.pop_front();
    if (opened.prewarm) {
        return;
    }
    ledger_.settleTurn({std::move(opened.model), std::move(opened.conversation_key),
                        turn.response_id, turn.usage});
}

}  // namespace sluice::core::accounting

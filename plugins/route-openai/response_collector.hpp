#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sluice::plugins::route_openai {

/// Rebuilds the final Responses object from an upstream event stream, for clients that did
/// not ask for a stream. Output items come from `response.output_item.done` (the authoritative
/// items) when the terminal event's response lists none. Not thread-safe; one per request.
class ResponseCollector final {
public:
    enum class State { Pending, Completed, Incomplete, Failed };

    /// Takes one event: its `type` and JSON `data`. Events after the terminal one are ignored.
    void add(std::string_view type, std::string_view data);

    State state() const noexcept { return state_; }
    /// The response object; complete once state() is Completed or Incomplete.
    nlohmann::json response() const;
    /// The upstream failure code of a Failed stream (`response.error.code` or an `error`
    /// event's code); empty when it gave none.
    const std::string& failureCode() const noexcept { return failure_code_; }

private:
    State state_ = State::Pending;
    nlohmann::json response_ = nlohmann::json::object();
    std::map<std::size_t, nlohmann::json> items_;  ///< by output_index
    std::size_t next_index_ = 0;
    std::string failure_code_;
};

}  // namespace sluice::plugins::route_openai

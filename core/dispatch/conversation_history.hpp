#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core::dispatch {

/// The full input a Responses request means: its own input items after `history`, the items of
/// the response its `previous_response_id` names (its full input, then its output items). None
/// when it cannot be followed: no input array, or a continuation of an unknown history (null).
std::optional<nlohmann::json> continuedInput(const nlohmann::json& request,
                                             const nlohmann::json* history);

/// Follows one Responses request to the history that continuing its response means: the
/// request's full input, then each output item as `response.output_item.done` (stream) or the
/// answer's `output` (plain) shows it, up to `max_bytes`. One per request; not thread-safe.
class TurnRecorder final {
public:
    explicit TurnRecorder(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    /// Starts from the request's full input and its size in bytes.
    void begin(nlohmann::json full_input, std::size_t bytes);
    /// One upstream event of the response, by its type.
    void observe(std::string_view type, std::string_view data);
    /// Plain (non-stream) answer bytes as they arrive.
    void observeBody(std::string_view bytes);
    /// The history, with its size; none when it could not be followed or outgrew the bound.
    std::optional<nlohmann::json> finish(std::size_t& bytes);
    /// The id of the response, once its completion was seen.
    const std::string& responseId() const noexcept { return response_id_; }

private:
    void addItem(nlohmann::json item, std::size_t bytes);

    std::size_t max_bytes_;
    bool known_ = false;
    nlohmann::json items_ = nlohmann::json::array();
    std::size_t bytes_ = 0;
    std::string body_;  ///< a plain answer, kept while within the bound
    std::string response_id_;
};

}  // namespace sluice::core::dispatch

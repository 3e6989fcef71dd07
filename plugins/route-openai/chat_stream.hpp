#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "chat_completion.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_openai {

/// Turns an upstream Responses event stream into Chat Completions chunks, as SSE frames:
/// the assistant role first (only once something visible arrives), content and refusal
/// deltas, tool-call deltas (the call's id, type and name first, then argument pieces), one
/// chunk with the finish_reason, the usage chunk when asked for, and `data: [DONE]`. A failure
/// becomes one `data: {"error":…}` frame and no [DONE], so clients never mistake it for a
/// complete answer. Items that arrive only as `output_item.done` (no deltas) are sent whole.
/// A `shape` reshapes every chunk before it is sent (nullopt: not sent), so another dialect
/// (legacy completions) reuses this translation; error frames and [DONE] are not reshaped.
/// Not thread-safe; one per request.
class ChatStreamTranslator final {
public:
    using ChunkShape = std::optional<nlohmann::json> (*)(nlohmann::json chunk);

    ChatStreamTranslator(ChatIdentity identity, bool include_usage, ChunkShape shape = nullptr)
        : identity_(std::move(identity)), include_usage_(include_usage), shape_(shape) {}

    /// The frames for one upstream event (`type` and its JSON `data`); often none.
    std::string onEvent(std::string_view type, std::string_view data);
    /// The frame ending a stream the upstream broke off without a terminal event.
    std::string onInterrupted(const sdk::ErrorInfo& error);
    /// True once the stream was ended (a terminal event or an interruption).
    bool finished() const noexcept { return finished_; }

private:
    struct ToolCall {
        std::size_t index = 0;
        std::string streamed;  ///< arguments (or custom input) sent so far
        bool custom = false;
    };

    nlohmann::json envelope(nlohmann::json choices) const;
    std::string chunk(nlohmann::json delta, const nlohmann::json& finish_reason = nullptr);
    std::string frame(const nlohmann::json& payload) const;
    std::string emit(nlohmann::json chunk) const;
    std::string startToolCall(const nlohmann::json& item);
    std::string toolDelta(const ToolCall& call, const std::string& piece);
    std::string finishItem(const nlohmann::json& item);
    std::string finish(const nlohmann::json& response);
    std::string fail(const sdk::ErrorInfo& error);

    ChatIdentity identity_;
    bool include_usage_;
    ChunkShape shape_;
    bool role_sent_ = false;
    bool finished_ = false;
    std::map<std::string, ToolCall> calls_;  ///< by upstream item id
    std::size_t next_call_ = 0;
    std::map<std::string, bool> streamed_text_;  ///< message item ids that sent deltas
};

}  // namespace sluice::plugins::route_openai

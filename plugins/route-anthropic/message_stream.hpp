#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_anthropic {

/// Turns an upstream Responses event stream into an Anthropic message: the SSE frames of a
/// streamed answer (message_start, ping, content_block_start / content_block_delta with
/// text_delta or input_json_delta / content_block_stop, message_delta with stop_reason and
/// usage, message_stop) and, from the same events, the whole message for a client that waits
/// for one answer. A failure or a cut ends the stream with one `error` event, never
/// message_stop. One content block is open at a time. Not thread-safe; one per request.
class MessageStream final {
public:
    enum class Phase {
        Waiting,   ///< no event yet
        Open,      ///< message_start sent; blocks may follow
        Finished,  ///< message_stop sent; message() is complete
        Failed,    ///< an error event ended it; failure() says why
    };

    MessageStream(std::string message_id, std::string client_model)
        : id_(std::move(message_id)), model_(std::move(client_model)) {}

    /// The frames for one upstream event (`type` and its JSON `data`); often none.
    std::string onEvent(std::string_view type, std::string_view data);
    /// The error frame ending a stream the upstream broke off without a terminal event.
    std::string onInterrupted(const sdk::ErrorInfo& error);
    /// A keepalive frame for a silent upstream.
    static std::string ping();

    Phase phase() const noexcept { return phase_; }
    bool ended() const noexcept { return phase_ == Phase::Finished || phase_ == Phase::Failed; }
    /// The Anthropic message object (non-streamed answer), complete once Finished.
    nlohmann::json message() const;
    const sdk::ErrorInfo& failure() const noexcept { return failure_; }

private:
    struct Block {
        std::string key;         ///< upstream item id (+ "#" content index for text)
        nlohmann::json content;  ///< the Anthropic block; tool_use input filled on close
        std::string arguments;   ///< tool_use: the JSON text received so far
        bool streamed = false;   ///< deltas reached the client
        bool closed = false;
    };

    std::string open();
    std::string startBlock(std::string key, nlohmann::json content);
    std::string closeOpenBlock();
    std::string appendText(const std::string& key, const std::string& piece);
    std::string appendArguments(const std::string& key, const std::string& piece);
    std::string itemAdded(const nlohmann::json& item);
    std::string itemDone(const nlohmann::json& item);
    std::string finish(const nlohmann::json& response);
    std::string fail(const sdk::ErrorInfo& error);
    Block* find(const std::string& key);

    std::string id_;
    std::string model_;
    Phase phase_ = Phase::Waiting;
    std::vector<Block> blocks_;
    std::optional<std::size_t> open_block_;
    nlohmann::json stop_reason_;
    nlohmann::json usage_;
    sdk::ErrorInfo failure_;
};

/// One SSE frame: `event: <type>` and the JSON payload.
std::string frame(std::string_view type, const nlohmann::json& payload);

}  // namespace sluice::plugins::route_anthropic

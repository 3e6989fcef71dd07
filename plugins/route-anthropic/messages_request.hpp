#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "anthropic_config.hpp"
#include "content_blocks.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_anthropic {

/// An Anthropic Messages request translated to a Codex backend Responses request.
struct MessagesCall {
    nlohmann::json body;       ///< the upstream Responses request: streamed, never stored upstream
    std::string client_model;  ///< the Claude model id the client asked for (reported back)
    std::string model;         ///< the pool model that serves it (ModelMap)
    bool client_stream = false;
    /// Keeps a conversation on one account: "anthropic:u" + a hash of metadata.user_id when
    /// the client sends one (Claude Code's carries its session id), else "anthropic:h" + a hash
    /// of the system prompt and the first user turn, which every later turn repeats.
    std::string continuity_key;
};

/// A translation, or the 400 that stopped it (rendered in Anthropic's envelope).
using Translation = Translated<MessagesCall>;

/// count_tokens takes the same body as a message, without the required max_tokens.
enum class Purpose { Create, CountTokens };

/// Translates POST /v1/messages (rules in README.md): system -> a developer message; text,
/// image (base64 or url), tool_use, tool_result blocks -> Responses input items (thinking
/// blocks dropped); client tools -> function tools; tool_choice auto|any|tool|none;
/// thinking.budget_tokens -> reasoning.effort; max_tokens checked and kept by the gateway
/// (the backend refuses output limits); unknown fields and server tools -> 400. Pure.
Translation translateMessages(const nlohmann::json& request, const ModelMap& models,
                              Purpose purpose = Purpose::Create);

}  // namespace sluice::plugins::route_anthropic

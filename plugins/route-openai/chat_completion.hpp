#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::plugins::route_openai {

/// What every chat object of one request shares; chosen by the gateway before dispatch.
struct ChatIdentity {
    std::string id;  ///< "chatcmpl-..."
    std::int64_t created = 0;
    std::string model;  ///< the model the client asked for
};

/// A non-streamed chat.completion from a finished Responses object: output text and refusals
/// of the assistant messages, function and custom tool calls, finish_reason (tool_calls,
/// length or content_filter for an incomplete response, else stop) and usage. Pure.
nlohmann::json chatCompletion(const nlohmann::json& response, const ChatIdentity& identity);

/// Chat usage from Responses usage ({input,output,total}_tokens and their details).
nlohmann::json chatUsage(const nlohmann::json& usage);

/// finish_reason for a finished response that did (not) call tools.
std::string finishReason(const nlohmann::json& response, bool called_tools);

}  // namespace sluice::plugins::route_openai

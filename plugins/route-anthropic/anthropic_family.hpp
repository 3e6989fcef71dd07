#pragma once

#include <string>
#include <vector>

#include "anthropic_config.hpp"
#include "message_stream.hpp"
#include "messages_request.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_anthropic {

/// The Anthropic Messages surface (/v1/messages, /v1/messages/count_tokens) for Claude Code
/// and Anthropic SDK clients: each turn is translated to a Codex Responses call that goes
/// through the same admission, routing, failover, continuity and accounting as every other
/// surface, and answered as an Anthropic message or event stream. Errors use Anthropic's
/// envelope and never carry upstream text. handle() runs on request threads concurrently.
class AnthropicFamily final : public sdk::RouteFamily {
public:
    AnthropicFamily(AnthropicConfig config, sdk::HostServices& host);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void route(sdk::Exchange& exchange);
    void createMessage(sdk::Exchange& exchange);
    void countTokens(sdk::Exchange& exchange);
    void answerMessage(sdk::Exchange& exchange, const sdk::DispatchRequest& request,
                       MessageStream& stream, bool client_stream);
    sdk::DispatchRequest turnRequest(const sdk::Exchange& exchange, const MessagesCall& call,
                                     std::string_view body) const;
    std::string newMessageId();

    AnthropicConfig config_;
    ModelMap models_;
    sdk::HostServices& host_;
    sdk::Logger& logger_;
};

}  // namespace sluice::plugins::route_anthropic

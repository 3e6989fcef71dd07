#pragma once

#include "tests/emulator/guarded_handler.hpp"
#include "tests/emulator/turn_request.hpp"

namespace sluice::emulator {

/// POST /backend-api/codex/responses (SSE or, with "stream": false, JSON) and the legacy
/// POST /backend-api/codex/responses/compact. One instance per request.
class ResponsesHandler final : public GuardedHandler {
public:
    enum class Endpoint { kResponses, kCompact };

    ResponsesHandler(EmulatorContext& context, Endpoint endpoint)
        : GuardedHandler(context), endpoint_(endpoint) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    void answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                const AccountSpec& profile, const Behaviour& behaviour, const TurnRequest& turn,
                const nlohmann::json& body);
    void answerStream(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, const AccountSpec& profile,
                      const Behaviour& behaviour, const TurnRequest& turn);
    void answerCompact(Poco::Net::HTTPServerResponse& response, const nlohmann::json& body);

    Endpoint endpoint_;
};

}  // namespace sluice::emulator

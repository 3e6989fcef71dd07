#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "tests/emulator/emulator_context.hpp"

namespace sluice::emulator {

/// Maps a request to its handler by method and path; the paths are the real backend's
/// (chatgpt.com/backend-api/..., auth.openai.com/oauth/token) plus /__emulator/ for control.
/// Called concurrently by Poco; stateless apart from the shared context.
class RequestRouter final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestRouter(EmulatorContext& context) : context_(context) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    EmulatorContext& context_;
};

}  // namespace sluice::emulator

#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

#include "tests/emulator/emulator_context.hpp"
#include "tests/emulator/request_recorder.hpp"

namespace sluice::emulator {

/// Base of every emulator handler: the one barrier that keeps exceptions from escaping into
/// Poco (an unexpected one becomes a 500 JSON answer), plus account authentication.
class GuardedHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit GuardedHandler(EmulatorContext& context) : context_(context) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) final;

protected:
    virtual void serve(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) = 0;

    /// The calling account, or nullptr after answering 401 and recording the attempt.
    AccountPtr authenticate(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response, RecordedRequest& record);

    /// A record with method, path and the selected headers filled in.
    static RecordedRequest startRecord(const Poco::Net::HTTPServerRequest& request);

    /// The whole body, its size recorded; or nullopt after answering 413 (the record is sent).
    std::optional<std::string> readBodyOrReject(Poco::Net::HTTPServerRequest& request,
                                                Poco::Net::HTTPServerResponse& response,
                                                RecordedRequest& record);

    /// Records and sends an error envelope in one step (bad input, unknown ids).
    void reject(Poco::Net::HTTPServerResponse& response, RecordedRequest record, int status,
                std::string_view code, std::string_view message);

    EmulatorContext& context_;
};

}  // namespace sluice::emulator

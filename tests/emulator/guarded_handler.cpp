#include "tests/emulator/guarded_handler.hpp"

#include <cstdio>

#include "tests/emulator/error_replies.hpp"
#include "tests/emulator/http_util.hpp"

namespace sluice::emulator {
namespace {

/// Keep-alive needs every request body consumed: a handler that answered early (401, 404)
/// would otherwise leave body bytes behind that Poco parses as the next request.
void drainRequestBody(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response) {
    if (!response.getKeepAlive() ||
        response.getStatus() == Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS) {
        return;
    }
    try {
        auto& in = request.stream();
        char sink[8192];
        std::size_t drained = 0;
        while (in) {
            in.read(sink, sizeof sink);
            drained += static_cast<std::size_t>(in.gcount());
            if (drained > kMaxBodyBytes) {
                response.setKeepAlive(false);  // not worth reading; close instead
                return;
            }
        }
    } catch (...) {
        response.setKeepAlive(false);
    }
}

}  // namespace

void GuardedHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response) {
    std::string failure;
    try {
        serve(request, response);
    } catch (const Poco::Exception& e) {
        failure = e.displayText();
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown exception";
    }
    if (!failure.empty() && !response.sent()) {
        try {
            sendJson(response, 500, errorBody("server_error", "emulator_error", failure));
        } catch (...) {
            // The peer is gone; nothing left to tell it.
        }
    }
    drainRequestBody(request, response);
    if (context_.script.server.log_requests) {
        std::fprintf(stderr, "sluice-emulator event=request method=%s path=%s status=%d%s%s\n",
                     request.getMethod().c_str(), requestPath(request).c_str(),
                     static_cast<int>(response.getStatus()),
                     failure.empty() ? "" : " error=", failure.c_str());
    }
}

RecordedRequest GuardedHandler::startRecord(const Poco::Net::HTTPServerRequest& request) {
    RecordedRequest record;
    record.method = request.getMethod();
    record.path = requestPath(request);
    RequestRecorder::captureHeaders(request, record);
    return record;
}

AccountPtr GuardedHandler::authenticate(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response,
                                        RecordedRequest& record) {
    const auto result =
        context_.accounts.authenticate(bearerToken(request), request.get("chatgpt-account-id", ""));
    if (result.status == AuthStatus::kOk) {
        record.account_id = result.account->id();
        return result.account;
    }
    const bool expired = result.status == AuthStatus::kExpired;
    if (expired)
        record.account_id = result.account->id();
    record.status = 401;
    record.outcome = expired ? "token_expired" : "unauthenticated";
    context_.recorder.record(std::move(record));
    const auto reply = unauthorizedReply(expired);
    sendJson(response, reply.status, reply.body);
    return nullptr;
}

std::optional<std::string> GuardedHandler::readBodyOrReject(Poco::Net::HTTPServerRequest& request,
                                                            Poco::Net::HTTPServerResponse& response,
                                                            RecordedRequest& record) {
    auto raw = readBody(request.stream(), kMaxBodyBytes);
    if (!raw) {
        reject(response, std::move(record), 413, "body_too_large", "body too large");
        return std::nullopt;
    }
    record.body_bytes = raw->size();
    return raw;
}

void GuardedHandler::reject(Poco::Net::HTTPServerResponse& response, RecordedRequest record,
                            int status, std::string_view code, std::string_view message) {
    record.status = status;
    record.outcome = std::string(code);
    context_.recorder.record(std::move(record));
    sendJson(response, status, errorBody("invalid_request_error", code, message));
}

}  // namespace sluice::emulator

#include "tests/emulator/request_router.hpp"

#include <Poco/String.h>

#include "tests/emulator/control_handler.hpp"
#include "tests/emulator/device_auth_handler.hpp"
#include "tests/emulator/files_handler.hpp"
#include "tests/emulator/http_util.hpp"
#include "tests/emulator/models_handler.hpp"
#include "tests/emulator/oauth_handler.hpp"
#include "tests/emulator/responses_handler.hpp"
#include "tests/emulator/transcribe_handler.hpp"
#include "tests/emulator/usage_handler.hpp"
#include "tests/emulator/websocket_handler.hpp"
#include "tests/emulator/wham_handler.hpp"

namespace sluice::emulator {
namespace {

constexpr std::string_view kControlPrefix = "/__emulator/";
constexpr std::string_view kCodexPrefix = "/backend-api/codex/";
constexpr std::string_view kFilesPrefix = "/backend-api/files/";
/// Upload URLs handed out by POST /backend-api/files point here.
constexpr std::string_view kUploadPrefix = "/upload/";
/// The CLI picks /backend-api/wham/ or /api/codex/ by its base URL; older clients use /wham/.
constexpr std::string_view kWhamPrefixes[] = {"/backend-api/wham/", "/api/codex/", "/wham/"};

class NotFoundHandler final : public GuardedHandler {
public:
    explicit NotFoundHandler(EmulatorContext& context) : GuardedHandler(context) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override {
        auto record = startRecord(request);
        record.status = 404;
        record.outcome = "not_found";
        context_.recorder.record(std::move(record));
        sendJson(response, 404,
                 errorBody("invalid_request_error", "not_found",
                           "the emulator has no route for " + request.getMethod() + " " +
                               requestPath(request)));
    }
};

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool wantsWebSocket(const Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    const auto path = requestPath(request);
    const auto& method = request.getMethod();
    if (startsWith(path, kControlPrefix)) {
        return new ControlHandler(context_, path.substr(kControlPrefix.size()));
    }
    if (path == "/oauth/token" && method == "POST")
        return new OAuthHandler(context_);
    if (path == "/api/accounts/deviceauth/usercode" && method == "POST") {
        return new DeviceAuthHandler(context_, DeviceAuthHandler::Endpoint::kUserCode);
    }
    if (path == "/api/accounts/deviceauth/token" && method == "POST") {
        return new DeviceAuthHandler(context_, DeviceAuthHandler::Endpoint::kToken);
    }
    if (startsWith(path, kCodexPrefix)) {
        const auto rest = path.substr(kCodexPrefix.size());
        if (rest == "responses" && method == "POST") {
            return new ResponsesHandler(context_, ResponsesHandler::Endpoint::kResponses);
        }
        if (rest == "responses" && method == "GET" && wantsWebSocket(request)) {
            return new WebSocketHandler(context_);
        }
        if (rest == "responses/compact" && method == "POST") {
            return new ResponsesHandler(context_, ResponsesHandler::Endpoint::kCompact);
        }
        if (rest == "models" && method == "GET")
            return new ModelsHandler(context_);
        if (rest == "usage" && method == "GET") {
            return new UsageHandler(context_, UsageHandler::Endpoint::kUsage);
        }
        if (startsWith(rest, "environments") || rest == "agent-identities/jwks") {
            return new WhamHandler(context_, std::move(rest), WhamHandler::Surface::kCodex);
        }
    }
    if (path == "/backend-api/files" && method == "POST") {
        return new FilesHandler(context_, FilesHandler::Endpoint::kCreate);
    }
    if (startsWith(path, kFilesPrefix) && method == "POST") {
        const auto rest = path.substr(kFilesPrefix.size());
        const auto slash = rest.find('/');
        if (slash != std::string::npos && slash > 0 && rest.substr(slash) == "/uploaded") {
            return new FilesHandler(context_, FilesHandler::Endpoint::kFinalize,
                                    rest.substr(0, slash));
        }
    }
    if (startsWith(path, kUploadPrefix) && method == "PUT" &&
        path.find('/', kUploadPrefix.size()) == std::string::npos) {
        return new FilesHandler(context_, FilesHandler::Endpoint::kUpload,
                                path.substr(kUploadPrefix.size()));
    }
    if (path == "/backend-api/transcribe" && method == "POST") {
        return new TranscribeHandler(context_);
    }
    for (const auto prefix : kWhamPrefixes) {
        if (!startsWith(path, prefix))
            continue;
        auto rest = path.substr(prefix.size());
        if (rest == "usage" && method == "GET") {
            return new UsageHandler(context_, UsageHandler::Endpoint::kUsage);
        }
        if (rest == "accounts/check" && method == "GET") {
            return new UsageHandler(context_, UsageHandler::Endpoint::kAccountsCheck);
        }
        return new WhamHandler(context_, std::move(rest));
    }
    return new NotFoundHandler(context_);
}

}  // namespace sluice::emulator

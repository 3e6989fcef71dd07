#include "tests/emulator/control_handler.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/script_json.hpp"
#include "tests/emulator/script_loader.hpp"

namespace sluice::emulator {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start < path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        if (end > start)
            parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

void sendOk(Poco::Net::HTTPServerResponse& response, nlohmann::json body = {{"ok", true}}) {
    sendJson(response, 200, body);
}

void sendNotFound(Poco::Net::HTTPServerResponse& response, const std::string& what) {
    sendJson(response, 404, errorBody("invalid_request_error", "not_found", what));
}

void sendBadScript(Poco::Net::HTTPServerResponse& response, const std::string& why) {
    sendJson(response, 400, errorBody("invalid_request_error", "invalid_script", why));
}

YAML::Node bodyNode(const std::string& body) {
    if (body.empty())
        return YAML::Node(YAML::NodeType::Map);
    return parseYamlText(body);
}

}  // namespace

void ControlHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
    if (!request.clientAddress().host().isLoopback()) {
        return sendJson(response, 403,
                        errorBody("invalid_request_error", "forbidden",
                                  "the emulator control API answers loopback callers only"));
    }
    const auto method = request.getMethod();
    const auto body = readBody(request.stream(), kMaxBodyBytes).value_or("");
    const auto parts = splitPath(suffix_);
    try {
        if (parts.size() == 1 && parts[0] == "health") {
            return sendOk(response, {{"ok", true}, {"accounts", context_.accounts.list().size()}});
        }
        if (parts.size() == 1 && parts[0] == "requests") {
            if (method == "DELETE") {
                context_.recorder.clear();
                return sendOk(response);
            }
            auto list = nlohmann::json::array();
            for (const auto& entry : context_.recorder.snapshot(queryParameter(request, "account"),
                                                                queryParameter(request, "path"))) {
                list.push_back(toJson(entry));
            }
            return sendOk(response, {{"requests", std::move(list)}});
        }
        if (parts.size() == 1 && parts[0] == "reset" && method == "POST") {
            context_.accounts.reset(context_.script.accounts);
            context_.recorder.clear();
            context_.files.clear();
            context_.tasks.clear();
            context_.settings.clear();
            context_.device_auth.clear();
            if (context_.script.models) {
                context_.catalog.set(*context_.script.models);
            } else {
                context_.catalog.restoreDefault();
            }
            return sendOk(response);
        }
        if (parts.size() == 1 && parts[0] == "models") {
            if (method == "DELETE") {
                context_.catalog.restoreDefault();
                return sendOk(response, {{"etag", context_.catalog.snapshot()->etag}});
            }
            if (method == "PUT") {
                auto models = yamlToJson(bodyNode(body));
                if (models.is_object() && models.contains("models"))
                    models = models["models"];
                if (!models.is_array())
                    return sendBadScript(response, "models: expected a list");
                context_.catalog.set(models);
                return sendOk(response, {{"etag", context_.catalog.snapshot()->etag}});
            }
        }
        if (!parts.empty() && parts[0] == "accounts") {
            return serveAccount(method, parts, body, request, response);
        }
        if (parts.size() == 1 && parts[0] == "deviceauth" && method == "GET") {
            return sendOk(response, {{"pending", context_.device_auth.pendingUserCodes()}});
        }
        if (parts.size() == 3 && parts[0] == "deviceauth" && method == "POST") {
            return serveDeviceAuth(parts[1], parts[2], body, response);
        }
    } catch (const ScriptError& e) {
        return sendBadScript(response, e.what());
    } catch (const YAML::Exception& e) {
        return sendBadScript(response, e.what());
    }
    sendNotFound(response, "no control endpoint " + method + " /__emulator/" + suffix_);
}

void ControlHandler::serveAccount(const std::string& method, const std::vector<std::string>& parts,
                                  const std::string& body, Poco::Net::HTTPServerRequest&,
                                  Poco::Net::HTTPServerResponse& response) {
    const auto now = context_.clock();
    if (parts.size() == 1) {
        if (method == "POST") {
            const auto account = context_.accounts.add(parseAccount(bodyNode(body), "", now));
            if (!account) {
                return sendJson(response, 409,
                                errorBody("invalid_request_error", "conflict",
                                          "an account with that id already exists"));
            }
            return sendJson(response, 201, accountView(*account));
        }
        auto list = nlohmann::json::array();
        for (const auto& account : context_.accounts.list())
            list.push_back(accountView(*account));
        return sendOk(response, {{"accounts", std::move(list)}});
    }
    const auto& id = parts[1];
    const auto account = context_.accounts.find(id);
    if (!account)
        return sendNotFound(response, "no account '" + id + "'");
    const auto profile = account->profile();
    const std::string leaf = parts.size() == 3 ? parts[2] : std::string();
    if (parts.size() == 2) {
        if (method == "DELETE") {
            context_.accounts.remove(id);
            return sendOk(response);
        }
        if (method == "PATCH") {
            const auto node = bodyNode(body);
            if (node["plan_type"])
                account->setPlanType(node["plan_type"].as<std::string>());
            if (node["websocket"]) {
                const auto value = node["websocket"].as<std::string>();
                account->setWebsocket(value == "accept" || value == "true");
            }
        }
        return sendOk(response, accountView(*account));
    }
    if (parts.size() != 3)
        return sendNotFound(response, "no such account resource");
    if (leaf == "behaviour" && (method == "PUT" || method == "PATCH")) {
        // PUT starts from the defaults, PATCH from what the account does now.
        const auto base = method == "PUT" ? Behaviour{} : profile->behaviour;
        account->setBehaviour(parseBehaviour(bodyNode(body), "behaviour", base));
        return sendOk(response, accountView(*account));
    }
    if (leaf == "rate_limits" && (method == "PUT" || method == "PATCH")) {
        const auto base = method == "PUT" ? RateLimits{} : profile->rate_limits;
        account->setRateLimits(parseRateLimits(bodyNode(body), "rate_limits", now, base));
        return sendOk(response, accountView(*account));
    }
    if (leaf == "oauth" && (method == "PUT" || method == "PATCH")) {
        const auto base = method == "PUT" ? OAuthBehaviour{} : profile->oauth;
        account->setOAuth(parseOAuth(bodyNode(body), "oauth", base));
        return sendOk(response, accountView(*account));
    }
    if (leaf == "uploads" && (method == "PUT" || method == "PATCH")) {
        const auto base = method == "PUT" ? UploadBehaviour{} : profile->uploads;
        account->setUploads(parseUploads(bodyNode(body), "uploads", base));
        return sendOk(response, accountView(*account));
    }
    if (leaf == "faults") {
        if (method == "POST") {
            account->addFaults(parseFaults(bodyNode(body), "faults", profile->behaviour));
        } else if (method == "DELETE") {
            account->clearFaults();
        }
        return sendOk(response, accountView(*account));
    }
    if (leaf == "expire-token" && method == "POST") {
        context_.accounts.expireAccessTokens(id);
        return sendOk(response);
    }
    if (leaf == "auth-json" && method == "GET") {
        // What a Codex auth.json for this account holds (§8.1); test harnesses write it out.
        const auto tokens = account->tokens();
        return sendOk(response, {{"auth_mode", "chatgpt"},
                                 {"OPENAI_API_KEY", nullptr},
                                 {"tokens",
                                  {{"id_token", tokens.id_token},
                                   {"access_token", tokens.access_token},
                                   {"refresh_token", tokens.refresh_token},
                                   {"account_id", id}}},
                                 {"last_refresh",
                                  Poco::DateTimeFormatter::format(
                                      Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(now)),
                                      Poco::DateTimeFormat::ISO8601_FORMAT)}});
    }
    sendNotFound(response, "no control endpoint " + method + " for account '" + id + "'");
}

void ControlHandler::serveDeviceAuth(const std::string& user_code, const std::string& verdict,
                                     const std::string& body,
                                     Poco::Net::HTTPServerResponse& response) {
    bool settled = false;
    if (verdict == "approve") {
        const auto account = bodyNode(body)["account"];
        const auto id = account ? account.as<std::string>() : std::string();
        if (!context_.accounts.find(id))
            return sendNotFound(response, "no account '" + id + "' to sign in as");
        settled = context_.device_auth.approve(user_code, id);
    } else if (verdict == "deny") {
        settled = context_.device_auth.deny(user_code);
    } else if (verdict == "expire") {
        settled = context_.device_auth.expire(user_code);
    } else {
        return sendNotFound(response, "no device sign-in verdict '" + verdict + "'");
    }
    if (!settled)
        return sendNotFound(response, "no pending device sign-in with user code " + user_code);
    sendOk(response);
}

nlohmann::json ControlHandler::accountView(const Account& account) const {
    const auto profile = account.profile();
    auto faults = nlohmann::json::array();
    for (const auto& fault : account.pendingFaults())
        faults.push_back(toJson(fault));
    return {{"id", profile->id},
            {"plan_type", profile->plan_type},
            {"email", profile->email},
            {"user_id", profile->user_id},
            {"websocket", profile->websocket},
            {"workspace_backend_origin", profile->workspace_backend_origin},
            {"behaviour", toJson(profile->behaviour)},
            {"faults", std::move(faults)},
            {"rate_limits", toJson(profile->rate_limits)},
            {"oauth", toJson(profile->oauth)},
            {"uploads", toJson(profile->uploads)},
            {"requests", account.requestCount()}};
}

}  // namespace sluice::emulator

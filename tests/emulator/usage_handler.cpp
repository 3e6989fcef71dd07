#include "tests/emulator/usage_handler.hpp"

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/rate_limit_views.hpp"

namespace sluice::emulator {

void UsageHandler::serve(Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto profile = account->profile();
    record.status = 200;
    record.outcome = endpoint_ == Endpoint::kUsage ? "usage" : "accounts_check";
    context_.recorder.record(std::move(record));
    if (endpoint_ == Endpoint::kUsage) {
        const auto delay = profile->rate_limits.usage_delay;
        if (delay.count() > 0 && !context_.stop.waitFor(delay))
            return;
        return sendJson(response, 200, usagePayload(*profile, context_.clock()));
    }
    const auto& origin = profile->workspace_backend_origin.empty()
                             ? context_.script.server.workspace_backend_origin
                             : profile->workspace_backend_origin;
    const nlohmann::json entry = {
        {"id", profile->id},
        {"account_id", profile->id},
        {"name", "Emulated " + profile->id},
        {"plan_type", profile->plan_type},
        {"structure", "personal"},
        {"profile_picture_url", nullptr},
        {"workspace_backend_origin", origin},
        {"account_routing_override", "NO_CONSTRAINT"},
    };
    sendJson(response, 200,
             {{"accounts", {entry}},
              {"account_ordering", {profile->id}},
              {"default_account_id", profile->id}});
}

}  // namespace sluice::emulator

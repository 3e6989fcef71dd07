#include "sluice/plugins/common/upload_finalize.hpp"

#include <nlohmann/json.hpp>
#include <thread>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"

namespace sluice::plugins::common {

FinalizeResult finalizeUpload(sdk::Gateway& gateway, const sdk::Clock& clock,
                              const FinalizeCall& call) {
    const auto deadline = clock.steadyNow() + call.timeout;
    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = call.path;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = "{}";
    request.route_class = sdk::RouteClass::FileUpload;
    request.pinned_account = call.account;
    request.pin_reason = "file_owner";
    while (true) {
        CollectingSink sink;
        FinalizeResult result;
        result.outcome = gateway.dispatch(request, sink);
        result.status = sink.head().status;
        result.body = sink.body();
        if (result.outcome.status == sdk::DispatchStatus::Rejected) {
            result.kind = FinalizeResult::Kind::Rejected;
            return result;
        }
        const auto answer = common::parseJson(result.body);
        const std::string state = answer.is_object() ? answer.value("status", "") : "";
        const bool answered =
            result.outcome.status == sdk::DispatchStatus::Completed && result.status / 100 == 2;
        if (answered && state == "success") {
            result.kind = FinalizeResult::Kind::Finalized;
            return result;
        }
        if (!answered || state != "retry") {
            result.kind = FinalizeResult::Kind::Failed;
            return result;
        }
        if (clock.steadyNow() + call.poll_interval > deadline) {
            result.kind = FinalizeResult::Kind::TimedOut;
            return result;
        }
        std::this_thread::sleep_for(call.poll_interval);
    }
}

}  // namespace sluice::plugins::common

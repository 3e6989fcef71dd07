#pragma once

#include <string>
#include <vector>

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// WHAM REST endpoints (seed 004) served from the fixtures, per calling account: tasks
/// (list and feed paged by limit/cursor, detail, turns, logs, actions, create, turn stream),
/// environments, settings, GitHub, machines. `suffix` is the path after /backend-api/wham/, /wham/ or /api/codex/.
class WhamHandler final : public GuardedHandler {
public:
    WhamHandler(EmulatorContext& context, std::string suffix)
        : GuardedHandler(context), suffix_(std::move(suffix)) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    /// nullopt: no such resource (404).
    std::optional<nlohmann::json> lookup(const Poco::Net::HTTPServerRequest& request,
                                         const std::vector<std::string>& parts,
                                         const AccountSpec& profile, const std::string& body);
    /// POST tasks: a new task of the calling account, as its bundle.
    std::optional<nlohmann::json> createTask(const AccountSpec& profile, const std::string& body);
    /// POST tasks/{id}/turns/{turn}/stream: the turn's events as SSE.
    void stream(const Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response, RecordedRequest record,
                const AccountSpec& profile, const std::string& task_id, const std::string& turn_id);

    std::string suffix_;
};

}  // namespace sluice::emulator

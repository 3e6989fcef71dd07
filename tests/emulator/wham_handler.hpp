#pragma once

#include <string>
#include <vector>

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// WHAM REST endpoints (seed 004) served from the fixtures, per calling account: tasks
/// (list and feed paged by limit/cursor, detail, turns, speculative turns, logs, actions,
/// create, turn stream, quota), environments (and their test stream), settings, GitHub,
/// machines, feedback, reset credits, agent identity keys. `suffix` is the path after
/// /backend-api/wham/, /wham/ or /api/codex/. On the Codex surface (after /backend-api/codex/)
/// only the CLI's environment routes and agent identity keys.
class WhamHandler final : public GuardedHandler {
public:
    enum class Surface { kWham, kCodex };

    WhamHandler(EmulatorContext& context, std::string suffix, Surface surface = Surface::kWham)
        : GuardedHandler(context), suffix_(std::move(suffix)), surface_(surface) {}

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

    /// A 200 SSE answer of `events`, recorded.
    void sendEvents(Poco::Net::HTTPServerResponse& response, RecordedRequest record,
                    const std::string& events);
    static void writeEvents(Poco::Net::HTTPServerResponse& response, const std::string& events);

    std::string suffix_;
    Surface surface_;
};

}  // namespace sluice::emulator

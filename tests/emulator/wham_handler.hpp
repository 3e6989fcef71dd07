#pragma once

#include <string>
#include <vector>

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// WHAM REST endpoints (seed 004) served from the fixtures, per calling account: tasks
/// (list, feed, detail, turns, logs, actions, create), environments, settings, GitHub,
/// machines. `suffix` is the path after /backend-api/wham/, /wham/ or /api/codex/.
class WhamHandler final : public GuardedHandler {
public:
    WhamHandler(EmulatorContext& context, std::string suffix)
        : GuardedHandler(context), suffix_(std::move(suffix)) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    /// nullopt: no such resource (404).
    std::optional<nlohmann::json> lookup(const std::string& method,
                                         const std::vector<std::string>& parts,
                                         const AccountSpec& profile, const std::string& body);

    std::string suffix_;
};

}  // namespace sluice::emulator

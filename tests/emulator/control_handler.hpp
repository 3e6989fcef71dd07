#pragma once

#include <string>
#include <vector>

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// The test-tooling API under /__emulator/ (loopback callers only; never recorded): read and
/// clear recorded requests, reset to the startup script, add/remove accounts, and change an
/// account's behaviour, faults, rate limits, OAuth answers and tokens while a test runs.
/// Bodies use the script's keys, as JSON or YAML.
class ControlHandler final : public GuardedHandler {
public:
    ControlHandler(EmulatorContext& context, std::string suffix)
        : GuardedHandler(context), suffix_(std::move(suffix)) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    void serveAccount(const std::string& method, const std::vector<std::string>& parts,
                      const std::string& body, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response);
    /// POST /__emulator/deviceauth/{user_code}/approve {"account"} | deny | expire.
    void serveDeviceAuth(const std::string& user_code, const std::string& verdict,
                         const std::string& body, Poco::Net::HTTPServerResponse& response);
    nlohmann::json accountView(const Account& account) const;

    std::string suffix_;
};

}  // namespace sluice::emulator

#pragma once

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// The account endpoints the CLI and gateways probe: GET .../wham/usage (§5.2) and
/// GET .../wham/accounts/check (§8.3), both for the calling account.
class UsageHandler final : public GuardedHandler {
public:
    enum class Endpoint { kUsage, kAccountsCheck };

    UsageHandler(EmulatorContext& context, Endpoint endpoint)
        : GuardedHandler(context), endpoint_(endpoint) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    Endpoint endpoint_;
};

}  // namespace sluice::emulator

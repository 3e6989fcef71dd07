#pragma once

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// GET /backend-api/codex/models?client_version=...: the catalog with an ETag, 304 when the
/// client's If-None-Match still matches.
class ModelsHandler final : public GuardedHandler {
public:
    explicit ModelsHandler(EmulatorContext& context) : GuardedHandler(context) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;
};

}  // namespace sluice::emulator

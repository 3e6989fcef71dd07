#pragma once

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// POST /backend-api/transcribe: a multipart upload with a `file` field, answered
/// {"text":"Emulated transcript of N bytes."} (N is the audio size, so tests can tell the
/// bytes arrived whole).
class TranscribeHandler final : public GuardedHandler {
public:
    explicit TranscribeHandler(EmulatorContext& context) : GuardedHandler(context) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;
};

}  // namespace sluice::emulator

#include "tests/emulator/transcribe_handler.hpp"

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/multipart_body.hpp"

namespace sluice::emulator {

void TranscribeHandler::serve(Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    const auto fields = parseMultipart(request.getContentType(), *raw);
    if (!fields) {
        return reject(response, std::move(record), 400, "invalid_multipart",
                      "the body is not multipart/form-data");
    }
    const FormField* audio = nullptr;
    for (const auto& field : *fields) {
        if (field.name == "file" && field.filename)
            audio = &field;
    }
    if (audio == nullptr || audio->data.empty()) {
        return reject(response, std::move(record), 400, "invalid_request",
                      "a non-empty 'file' field is required");
    }
    record.status = 200;
    record.outcome = "transcribed";
    context_.recorder.record(std::move(record));
    sendJson(
        response, 200,
        {{"text", "Emulated transcript of " + std::to_string(audio->data.size()) + " bytes."}});
}

}  // namespace sluice::emulator

#include "tests/emulator/models_handler.hpp"

#include "tests/emulator/http_util.hpp"

namespace sluice::emulator {

void ModelsHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto catalog = context_.catalog.snapshot();
    response.set("ETag", catalog->etag);
    const bool unchanged = request.get("If-None-Match", "") == catalog->etag;
    record.status = unchanged ? 304 : 200;
    record.outcome = unchanged ? "not_modified" : "catalog";
    context_.recorder.record(std::move(record));
    if (unchanged) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send();
        return;
    }
    sendJsonText(response, 200, catalog->body);
}

}  // namespace sluice::emulator

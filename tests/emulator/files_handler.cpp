#include "tests/emulator/files_handler.hpp"

#include "tests/emulator/http_util.hpp"

namespace sluice::emulator {

void FilesHandler::serve(Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response) {
    switch (endpoint_) {
        case Endpoint::kCreate:
            return create(request, response);
        case Endpoint::kUpload:
            return upload(request, response);
        case Endpoint::kFinalize:
            return finalize(request, response);
    }
}

void FilesHandler::create(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    const auto body = nlohmann::json::parse(*raw, nullptr, false);
    if (!body.is_object() || !body.contains("file_name") || !body["file_name"].is_string() ||
        body["file_name"].get_ref<const std::string&>().empty()) {
        return reject(response, std::move(record), 400, "invalid_request",
                      "'file_name' is required");
    }
    StoredFile file;
    file.id = context_.nextId("file");
    file.account_id = account->id();
    file.file_name = body["file_name"].get<std::string>();
    if (body.contains("file_size") && body["file_size"].is_number_integer())
        file.declared_size = body["file_size"].get<std::int64_t>();
    file.upload_token = context_.nextId("sig");
    const auto upload_url =
        "http://" + request.getHost() + "/upload/" + file.id + "?sig=" + file.upload_token;
    record.file_ids = {file.id};
    record.status = 200;
    record.outcome = "file_created";
    context_.recorder.record(std::move(record));
    const auto id = file.id;
    context_.files.add(std::move(file));
    sendJson(response, 200, {{"status", "success"}, {"file_id", id}, {"upload_url", upload_url}});
}

void FilesHandler::upload(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    record.file_ids = {file_id_};
    const auto file = context_.files.find(file_id_);
    if (file)
        record.account_id = file->account_id;
    const auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    if (!context_.files.markUploaded(file_id_, queryParameter(request, "sig"), raw->size())) {
        return reject(response, std::move(record), 403, "invalid_signature",
                      "the upload URL is not valid");
    }
    record.status = 201;
    record.outcome = "uploaded";
    context_.recorder.record(std::move(record));
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_CREATED);
    response.setContentLength(0);
    response.send();
}

void FilesHandler::finalize(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    record.file_ids = {file_id_};
    const auto file = context_.files.find(file_id_);
    if (!file || file->account_id != account->id()) {
        return reject(response, std::move(record), 404, "file_not_found",
                      "this account has no file " + file_id_);
    }
    if (!file->uploaded_bytes) {
        return reject(response, std::move(record), 400, "upload_incomplete",
                      "no bytes were uploaded for " + file_id_);
    }
    const int earlier = context_.files.countFinalize(file_id_);
    const bool retry = earlier < account->profile()->uploads.finalize_retries;
    record.status = 200;
    record.outcome = retry ? "finalize_retry" : "finalized";
    context_.recorder.record(std::move(record));
    if (retry)
        return sendJson(response, 200, {{"status", "retry"}});
    sendJson(response, 200,
             {{"status", "success"},
              {"download_url", "http://" + request.getHost() + "/download/" + file_id_},
              {"file_name", file->file_name},
              {"mime_type", "application/octet-stream"},
              {"file_size_bytes", *file->uploaded_bytes}});
}

}  // namespace sluice::emulator

#pragma once

#include <string>

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// The backend's file bridge: POST /backend-api/files creates a file on the calling account
/// and hands out an upload URL on the emulator itself; PUT /upload/{id}?sig=… takes the bytes
/// (the URL is the credential, as a signed blob URL would be); POST
/// /backend-api/files/{id}/uploaded finalizes, answering {"status":"retry"} as often as the
/// account's `uploads.finalize_retries` says. Only the creating account can finalize or use a
/// file. Bytes are counted, never kept.
class FilesHandler final : public GuardedHandler {
public:
    enum class Endpoint { kCreate, kUpload, kFinalize };

    FilesHandler(EmulatorContext& context, Endpoint endpoint, std::string file_id = {})
        : GuardedHandler(context), endpoint_(endpoint), file_id_(std::move(file_id)) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    void create(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
    void upload(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
    void finalize(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    Endpoint endpoint_;
    std::string file_id_;
};

}  // namespace sluice::emulator

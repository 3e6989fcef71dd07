#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// A file the client uploaded through POST /files.
struct FileUpload {
    std::string filename;
    std::string purpose;
    std::string content_type;
    std::string_view bytes;  ///< views the request body
};

/// Puts an uploaded file where the Codex backend keeps files, the way its own clients do:
/// create the file on an account (POST {backend}/files: an id and an upload URL), send the
/// bytes to that URL (host HttpClient, no account credentials), finalize on the same account
/// (POST {backend}/files/{id}/uploaded, polled while the upstream answers "retry"), then
/// record the file against that account (operation files.register) so later requests that
/// reference it are pinned there. Request thread; blocks for the upload.
class UploadBridge final {
public:
    explicit UploadBridge(OpenAiContext& context) : context_(context) {}

    /// The OpenAI file object of the stored file, or the error to answer with.
    Translated<nlohmann::json> upload(sdk::Exchange& exchange, const FileUpload& file);

private:
    Translated<std::string> finalize(sdk::Exchange& exchange, const std::string& file_id,
                                     const std::string& account);

    OpenAiContext& context_;
};

/// An upload URL the gateway may send file bytes to: http(s) with a host; unless
/// `allow_private`, https only and not a loopback, private or link-local literal address
/// (the URL comes from upstream, and the gateway must not be steered at its own network).
bool uploadUrlAllowed(std::string_view url, bool allow_private);

/// The OpenAI file object for a file record of the files.* operations.
nlohmann::json fileObject(const nlohmann::json& record);

}  // namespace sluice::plugins::route_openai

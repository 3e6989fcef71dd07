#include "files_handler.hpp"

#include "sluice/plugins/common/file_owners.hpp"
#include "sluice/plugins/common/requests.hpp"
#include "sluice/plugins/common/upload_finalize.hpp"
#include "sluice/sdk/upstream_path.hpp"
#include "upstream_calls.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

sdk::ErrorInfo upstreamFailure(std::string code, std::string message, int status = 502) {
    return {status, "server_error", std::move(code), std::move(message), "", 0, ""};
}

}  // namespace

void FilesHandler::create(sdk::Exchange& exchange) {
    const auto body = common::readJsonObject(exchange, family_);
    if (!body) {
        return;
    }
    const auto name = body->find("file_name");
    if (name == body->end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
        family_.sendError(exchange, common::invalidRequest("'file_name' is required", "file_name"));
        return;
    }
    const auto size = body->find("file_size");
    if (size != body->end() && !size->is_number_unsigned()) {
        family_.sendError(exchange,
                          common::invalidRequest("'file_size' must be a byte count", "file_size"));
        return;
    }
    const std::uint64_t bytes = size == body->end() ? 0 : size->get<std::uint64_t>();
    if (bytes > context_.config.max_file_bytes) {
        family_.sendError(exchange,
                          {413, "invalid_request_error", "file_too_large",
                           "files larger than " + std::to_string(context_.config.max_file_bytes) +
                               " bytes are not accepted",
                           "file_size", 0, ""});
        return;
    }

    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = context_.config.upstream_path + "/files";
    request.headers = common::forwardable(exchange, context_.config.forward_headers);
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = *exchange.readBody();
    request.route_class = sdk::RouteClass::FileUpload;
    request.session_key = common::sessionKey(exchange);
    const Collected created = collect(exchange.gateway(), request);
    if (!created.ok()) {
        answerCollected(exchange, family_, created);
        return;
    }
    const json reply = created.json();
    const std::string file_id =
        reply.is_object() && reply.contains("file_id") && reply["file_id"].is_string()
            ? reply["file_id"].get<std::string>()
            : std::string();
    if (file_id.empty() || created.outcome.account_id.empty()) {
        family_.sendError(exchange,
                          upstreamFailure("upload_create_failed", "the upstream created no file"));
        return;
    }
    const json record{{"id", file_id},
                      {"account_id", created.outcome.account_id},
                      {"filename", name->get<std::string>()},
                      {"purpose", body->value("use_case", "")},
                      {"bytes", bytes}};
    // Unrecorded, the file could never be referenced, so the client must not get its URL.
    if (const auto registered = exchange.gateway().operate("files.register", record.dump());
        !registered.ok()) {
        context_.logger.error("file_register_failed",
                              {{"reason", sdk::statusCodeName(registered.status().code())}});
        family_.sendError(exchange, upstreamFailure("file_register_failed",
                                                    "the file could not be recorded", 503));
        return;
    }
    answerCollected(exchange, family_, created);
}

void FilesHandler::finalize(sdk::Exchange& exchange) {
    if (!exchange.readBody()) {
        return;
    }
    const std::string file_id(exchange.pathParam("file_id").value_or(""));
    auto owner = common::fileOwner(exchange.gateway(), file_id);
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&owner)) {
        family_.sendError(exchange, *error);
        return;
    }
    common::FinalizeCall call;
    call.path = sdk::UpstreamPath(context_.config.upstream_path + "/files")
                    .segment(file_id)
                    .segment("uploaded")
                    .str();
    call.account = std::move(std::get<std::string>(owner));
    call.poll_interval = context_.config.finalize_poll_interval;
    call.timeout = context_.config.finalize_timeout;
    const common::FinalizeResult result =
        common::finalizeUpload(exchange.gateway(), context_.host.clock(), call);
    switch (result.kind) {
        case common::FinalizeResult::Kind::Finalized:
        case common::FinalizeResult::Kind::Failed:
            if (result.outcome.status == sdk::DispatchStatus::Completed) {
                exchange.response().send(result.status, {{"Content-Type", "application/json"}},
                                         result.body);
            } else {
                family_.sendError(exchange, upstreamFailure("upload_finalize_failed",
                                                            "the upstream answer broke off"));
            }
            return;
        case common::FinalizeResult::Kind::Rejected:
            common::answerRejected(exchange, family_, result.outcome, true);
            return;
        case common::FinalizeResult::Kind::TimedOut:
            family_.sendError(exchange,
                              upstreamFailure("upload_finalize_timeout",
                                              "the upstream was still processing the upload", 504));
            return;
    }
}

void FilesHandler::transcribe(sdk::Exchange& exchange) {
    const auto content_type = exchange.header("content-type");
    if (!content_type || content_type->find("multipart/form-data") == std::string_view::npos) {
        family_.sendError(exchange, common::invalidRequest("the body must be multipart/form-data"));
        return;
    }
    // The host has enforced max_audio_bytes (413) while reading.
    const auto body = exchange.readBody();
    if (!body) {
        return;
    }
    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = context_.config.upstream_path + "/transcribe";
    request.headers = common::forwardable(exchange, context_.config.forward_headers);
    request.headers.push_back({"Content-Type", std::string(*content_type)});
    request.body = *body;
    request.route_class = sdk::RouteClass::AudioTranscription;
    request.session_key = common::sessionKey(exchange);
    relay(exchange, family_, request);
}

}  // namespace sluice::plugins::route_backend

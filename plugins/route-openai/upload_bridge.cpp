#include "upload_bridge.hpp"

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/upload_finalize.hpp"
#include "sluice/sdk/upstream_path.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

sdk::ErrorInfo uploadFailed(const std::string& code) {
    sdk::ErrorInfo error = upstreamError(code);
    error.message = "the file could not be stored upstream";
    return error;
}

bool isPrivateHost(std::string_view host) {
    if (host == "localhost" || host.ends_with(".localhost") || host.front() == '[') {
        return true;  // names for this machine, and every IPv6 literal (loopback, ULA, link-local,
                      // mapped)
    }
    unsigned octets[4] = {0, 0, 0, 0};
    int count = 0;
    std::size_t at = 0;
    while (count < 4 && at <= host.size()) {
        const std::size_t dot = host.find('.', at);
        const std::string_view part =
            host.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at);
        if (part.empty() || part.size() > 3 ||
            part.find_first_not_of("0123456789") != std::string_view::npos) {
            return false;  // a name, not a dotted IPv4 literal
        }
        octets[count++] = static_cast<unsigned>(std::stoi(std::string(part)));
        if (dot == std::string_view::npos) {
            break;
        }
        at = dot + 1;
    }
    if (count != 4) {
        return false;
    }
    const unsigned a = octets[0];
    const unsigned b = octets[1];
    return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) ||
           (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
           (a == 100 && b >= 64 && b <= 127);
}

}  // namespace

bool uploadUrlAllowed(std::string_view url, bool allow_private) {
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://") && allow_private) {
        rest = url.substr(7);
    } else {
        return false;
    }
    const std::size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) {
        return false;  // no host, or credentials in the URL
    }
    if (authority.front() != '[') {
        authority = authority.substr(0, authority.find(':'));
    } else {
        authority = authority.substr(0, authority.find(']') + 1);
    }
    if (authority.empty()) {
        return false;
    }
    return allow_private || !isPrivateHost(authority);
}

json fileObject(const json& record) {
    return {
        {"id", textOf(record, "id")},
        {"object", "file"},
        {"bytes", member(record, "bytes").is_number() ? record["bytes"] : json(0)},
        {"created_at", member(record, "created_at").is_number() ? record["created_at"] : json(0)},
        {"expires_at",
         member(record, "expires_at").is_number() ? record["expires_at"] : json(nullptr)},
        {"filename", textOf(record, "filename")},
        {"purpose", textOf(record, "purpose")},
        {"status", "processed"},
        {"status_details", nullptr}};
}

Translated<json> UploadBridge::upload(sdk::Exchange& exchange, const FileUpload& file) {
    const OpenAiConfig& config = context_.config;
    const std::string create_body = json{
        {"file_name", file.filename},
        {"file_size", file.bytes.size()},
        {"use_case", "codex"}}.dump();
    sdk::DispatchRequest create;
    create.method = "POST";
    create.path = config.backend_path + "/files";
    create.headers = {{"Content-Type", "application/json"}};
    create.body = create_body;
    create.route_class = sdk::RouteClass::FileUpload;
    common::CollectingSink created;
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(create, created);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        return redactedFailure(outcome);
    }
    const json reply = parseJson(created.body());
    const std::string file_id = textOf(reply, "file_id");
    const std::string upload_url = textOf(reply, "upload_url");
    if (outcome.status != sdk::DispatchStatus::Completed || created.head().status / 100 != 2 ||
        file_id.empty() || upload_url.empty() || outcome.account_id.empty()) {
        return uploadFailed("upload_create_failed");
    }
    if (!uploadUrlAllowed(upload_url, config.allow_private_upload_urls)) {
        context_.logger.warn("upload_url_refused", {{"operation", exchange.operation()}});
        return uploadFailed("upload_url_refused");
    }

    sdk::HttpCall put;
    put.method = "PUT";
    put.url = upload_url;
    put.headers = {{"x-ms-blob-type", "BlockBlob"},
                   {"Content-Type",
                    file.content_type.empty() ? "application/octet-stream" : file.content_type}};
    put.body = file.bytes;
    put.timeout = config.upload_timeout;
    const auto sent = context_.host.httpClient().send(put);
    if (!sent.ok() || sent.value().status / 100 != 2) {
        context_.logger.warn(
            "upload_put_failed",
            {{"status", sent.ok() ? std::to_string(sent.value().status) : "unreachable"}});
        return uploadFailed("upload_failed");
    }

    auto finalized = finalize(exchange, file_id, outcome.account_id);
    if (!finalized.ok()) {
        return finalized.error();
    }
    const json record{{"id", file_id},
                      {"account_id", outcome.account_id},
                      {"filename", file.filename},
                      {"purpose", file.purpose},
                      {"bytes", file.bytes.size()}};
    const sdk::Result<std::string> registered =
        exchange.gateway().operate("files.register", record.dump());
    if (!registered.ok()) {
        context_.logger.error("file_register_failed",
                              {{"reason", sdk::statusCodeName(registered.status().code())}});
        return uploadFailed("file_register_failed");
    }
    return fileObject(parseJson(registered.value()));
}

Translated<std::string> UploadBridge::finalize(sdk::Exchange& exchange, const std::string& file_id,
                                               const std::string& account) {
    const OpenAiConfig& config = context_.config;
    common::FinalizeCall call;
    call.path = sdk::UpstreamPath(config.backend_path + "/files")
                    .segment(file_id)
                    .segment("uploaded")
                    .str();
    call.account = account;
    call.poll_interval = config.finalize_poll_interval;
    call.timeout = config.finalize_timeout;
    const common::FinalizeResult result =
        common::finalizeUpload(exchange.gateway(), context_.host.clock(), call);
    switch (result.kind) {
        case common::FinalizeResult::Kind::Finalized:
            return std::string("success");
        case common::FinalizeResult::Kind::Rejected:
            return redactedFailure(result.outcome);
        case common::FinalizeResult::Kind::TimedOut: {
            sdk::ErrorInfo error = uploadFailed("upload_finalize_timeout");
            error.http_status = 504;
            return error;
        }
        case common::FinalizeResult::Kind::Failed:
            break;
    }
    return uploadFailed("upload_finalize_failed");
}

}  // namespace sluice::plugins::route_openai

#include "files_handler.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "sluice/plugins/common/file_owners.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

// The purposes a Codex-backed file can serve; batch and fine-tune files have no use here.
constexpr std::array<std::string_view, 3> kPurposes{"assistants", "user_data", "vision"};
constexpr int kListCeiling = 1000;  // the most files.list returns

std::optional<int> parseLimit(const std::string& text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 10000) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

void FilesHandler::list(sdk::Exchange& exchange) {
    int limit = 10000;
    if (const auto text = common::queryParam(exchange.query(), "limit")) {
        const auto parsed = parseLimit(*text);
        if (!parsed) {
            exchange.response().sendError(
                invalidValue("limit", "'limit' must be an integer from 1 to 10000."));
            return;
        }
        limit = *parsed;
    }
    const std::string purpose = common::queryParam(exchange.query(), "purpose").value_or("");
    const std::string after = common::queryParam(exchange.query(), "after").value_or("");
    if (const auto order = common::queryParam(exchange.query(), "order");
        order && *order != "desc") {
        exchange.response().sendError(
            unsupportedValue("order", "Files are listed newest first only."));
        return;
    }
    const auto listed =
        exchange.gateway().operate("files.list", json{{"limit", kListCeiling}}.dump());
    if (!listed.ok()) {
        context_.logger.error("files_list_failed",
                              {{"reason", sdk::statusCodeName(listed.status().code())}});
        exchange.response().sendError(upstreamError("file_lookup_failed"));
        return;
    }
    const json files = member(parseJson(listed.value()), "data");
    json data = json::array();
    bool skipping = !after.empty();
    bool more = false;
    for (const json& file : files.is_array() ? files : json::array()) {
        if (skipping) {
            skipping = textOf(file, "id") != after;
            continue;
        }
        if (!purpose.empty() && textOf(file, "purpose") != purpose) {
            continue;
        }
        if (static_cast<int>(data.size()) == limit) {
            more = true;
            break;
        }
        data.push_back(fileObject(file));
    }
    json page{{"object", "list"}, {"data", data}, {"has_more", more}};
    page["first_id"] = data.empty() ? json(nullptr) : data.front()["id"];
    page["last_id"] = data.empty() ? json(nullptr) : data.back()["id"];
    sendJson(exchange, 200, page);
}

void FilesHandler::create(sdk::Exchange& exchange) {
    const auto form = readForm(exchange);
    if (!form) {
        return;
    }
    FileUpload upload;
    const FormPart* file = nullptr;
    for (const FormPart& part : form->parts()) {
        if (part.name == "file" && part.is_file) {
            file = &part;
        } else if (part.name == "purpose" && !part.is_file) {
            upload.purpose = std::string(part.body);
        } else {
            exchange.response().sendError(unsupportedParameter(part.name));
            return;
        }
    }
    if (file == nullptr) {
        exchange.response().sendError(missingParameter("file"));
        return;
    }
    if (upload.purpose.empty()) {
        exchange.response().sendError(missingParameter("purpose"));
        return;
    }
    if (std::find(kPurposes.begin(), kPurposes.end(), upload.purpose) == kPurposes.end()) {
        exchange.response().sendError(
            unsupportedValue("purpose", "'purpose' must be one of assistants, user_data, vision."));
        return;
    }
    if (file->body.empty()) {
        exchange.response().sendError(invalidValue("file", "The file is empty."));
        return;
    }
    if (file->body.size() > context_.config.max_file_bytes) {
        sdk::ErrorInfo error =
            invalidValue("file", "The file is larger than " +
                                     std::to_string(context_.config.max_file_bytes) + " bytes.");
        error.http_status = 413;
        error.code = "file_too_large";
        exchange.response().sendError(error);
        return;
    }
    upload.filename = file->filename.empty() ? "file" : file->filename;
    upload.content_type = file->content_type;
    upload.bytes = file->body;
    const auto stored = uploads_.upload(exchange, upload);
    if (!stored.ok()) {
        exchange.response().sendError(stored.error());
        return;
    }
    sendJson(exchange, 200, stored.value());
}

void FilesHandler::retrieve(sdk::Exchange& exchange) {
    json file;
    if (auto error = common::lookupFile(exchange.gateway(),
                                        std::string(exchange.pathParam("id").value_or("")), file)) {
        exchange.response().sendError(*error);
        return;
    }
    sendJson(exchange, 200, fileObject(file));
}

void FilesHandler::refuse(sdk::Exchange& exchange) {
    const auto owner =
        common::fileOwner(exchange.gateway(), std::string(exchange.pathParam("id").value_or("")));
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&owner)) {
        exchange.response().sendError(*error);
        return;
    }
    exchange.response().sendError(unsupportedEndpoint());
}

}  // namespace sluice::plugins::route_openai

#include "file_pins.hpp"

#include <vector>

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

}  // namespace

std::set<std::string> referencedFileIds(const json& input) {
    std::set<std::string> ids;
    // Iterative, so input nesting cannot exhaust the stack.
    std::vector<const json*> pending{&input};
    while (!pending.empty()) {
        const json* node = pending.back();
        pending.pop_back();
        if (node->is_object()) {
            for (const auto& [key, value] : node->items()) {
                if (key == "file_id" && value.is_string() && !value.get_ref<const std::string&>().empty()) {
                    ids.insert(value.get<std::string>());
                } else if (value.is_structured()) {
                    pending.push_back(&value);
                }
            }
        } else if (node->is_array()) {
            for (const json& value : *node) {
                if (value.is_structured()) {
                    pending.push_back(&value);
                }
            }
        }
    }
    return ids;
}

std::optional<sdk::ErrorInfo> lookupFile(sdk::Gateway& gateway, const std::string& id, json& file) {
    const sdk::Result<std::string> found = gateway.operate("files.get", json{{"id", id}}.dump());
    if (!found.ok()) {
        if (found.status().code() == sdk::StatusCode::NotFound ||
            found.status().code() == sdk::StatusCode::InvalidArgument) {
            return fileNotFound(id);
        }
        sdk::ErrorInfo error = upstreamError("file_lookup_failed");
        error.http_status = 503;
        error.message = "file metadata is unavailable right now";
        return error;
    }
    file = parseJson(found.value());
    return std::nullopt;
}

std::optional<sdk::ErrorInfo> pinToFileOwner(sdk::Gateway& gateway, const json& input, sdk::DispatchRequest& request) {
    std::string owner;
    for (const std::string& id : referencedFileIds(input)) {
        json file;
        if (auto error = lookupFile(gateway, id, file)) {
            return error;
        }
        const std::string account = textOf(file, "account_id");
        if (!owner.empty() && account != owner) {
            return fileOwnerConflict();
        }
        owner = account;
    }
    if (!owner.empty()) {
        request.pinned_account = owner;
        request.pin_reason = "file_owner";
    }
    return std::nullopt;
}

}  // namespace sluice::plugins::route_openai

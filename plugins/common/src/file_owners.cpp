#include "sluice/plugins/common/file_owners.hpp"

#include <vector>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/sdk/file_owners.hpp"

namespace sluice::plugins::common {

namespace {

using json = nlohmann::json;

sdk::ErrorInfo fileNotFound(const std::string& id) {
    return {404,
            "invalid_request_error",
            "file_not_found",
            "No file with id '" + id + "' exists in this pool.",
            "file_id",
            0,
            ""};
}

}  // namespace

std::set<std::string> referencedFileIds(const json& body) {
    std::set<std::string> ids;
    // Iterative, so input nesting cannot exhaust the stack.
    std::vector<const json*> pending{&body};
    while (!pending.empty()) {
        const json* node = pending.back();
        pending.pop_back();
        if (node->is_object()) {
            for (const auto& [key, value] : node->items()) {
                if (key == "file_id" && value.is_string() &&
                    !value.get_ref<const std::string&>().empty()) {
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
        return sdk::ErrorInfo{503,
                              "server_error",
                              "file_lookup_failed",
                              "file metadata is unavailable right now",
                              "",
                              0,
                              ""};
    }
    file = common::parseJson(found.value());
    return std::nullopt;
}

std::variant<std::string, sdk::ErrorInfo> fileOwner(sdk::Gateway& gateway, const std::string& id) {
    auto* owners = dynamic_cast<sdk::KnowsFileOwners*>(&gateway);
    if (owners == nullptr) {
        return sdk::ErrorInfo{503,
                              "server_error",
                              "file_lookup_failed",
                              "this gateway cannot resolve file owners",
                              "",
                              0,
                              ""};
    }
    std::optional<std::string> owner = owners->fileOwner(id);
    if (!owner) {
        return fileNotFound(id);
    }
    return std::move(*owner);
}

std::optional<sdk::ErrorInfo> pinToFileOwner(sdk::Gateway& gateway, const json& body,
                                             sdk::DispatchRequest& request) {
    std::string owner;
    for (const std::string& id : referencedFileIds(body)) {
        auto found = fileOwner(gateway, id);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&found)) {
            return std::move(*error);
        }
        const std::string& account = std::get<std::string>(found);
        if (!owner.empty() && account != owner) {
            return sdk::ErrorInfo{
                409,
                "invalid_request_error",
                "file_assignment_conflict",
                "The request references files uploaded through different upstream accounts; "
                "use files uploaded together in one request.",
                "",
                0,
                ""};
        }
        owner = account;
    }
    if (!owner.empty()) {
        request.pinned_account = owner;
        request.pin_reason = "file_owner";
    }
    return std::nullopt;
}

}  // namespace sluice::plugins::common

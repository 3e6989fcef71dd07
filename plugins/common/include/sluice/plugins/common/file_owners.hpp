#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::common {

/// Every file id a Responses body references (`file_id` members at any depth: input_file,
/// input_image, ...). Pure.
std::set<std::string> referencedFileIds(const nlohmann::json& body);

/// A file's record (operation files.get: id, account_id, filename, ...), or the error to answer
/// with: 404 file_not_found when the caller's pool has no such file, 503 when the records cannot
/// be read. Reads storage: for the Files API's own metadata answers, never to route. Request
/// thread.
std::optional<sdk::ErrorInfo> lookupFile(sdk::Gateway& gateway, const std::string& id,
                                         nlohmann::json& file);

/// The account that owns file `id` in the caller's pool, from the host's memory
/// (sdk::KnowsFileOwners); else the error to answer with: 404 file_not_found, or 503 when the
/// host keeps no file owners. Request thread; never blocks.
std::variant<std::string, sdk::ErrorInfo> fileOwner(sdk::Gateway& gateway, const std::string& id);

/// A file lives upstream on the account that created it, so a request referencing files is
/// hard-pinned to that account (pin_reason "file_owner"). nullopt when `request` is pinned (or
/// references no file); else fileOwner's errors, or 409 file_assignment_conflict when the
/// files belong to different accounts. Request thread; never blocks.
std::optional<sdk::ErrorInfo> pinToFileOwner(sdk::Gateway& gateway, const nlohmann::json& body,
                                             sdk::DispatchRequest& request);

}  // namespace sluice::plugins::common

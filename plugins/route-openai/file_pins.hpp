#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>

#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_openai {

/// Every file id a Responses input references (`file_id` members at any depth: input_file,
/// input_image, ...). Pure.
std::set<std::string> referencedFileIds(const nlohmann::json& input);

/// A file lives upstream on the account that created it, so a request referencing files is
/// hard-pinned to that account (pin_reason "file_owner"). Looks every id up through the
/// caller's gateway (operation files.get): nullopt when `request` is pinned (or references no
/// file); a 404 file_not_found for an id that is not the pool's, a 409
/// file_assignment_conflict when the files belong to different accounts. Request thread.
std::optional<sdk::ErrorInfo> pinToFileOwner(sdk::Gateway& gateway, const nlohmann::json& input,
                                             sdk::DispatchRequest& request);

/// The file's metadata (operation files.get) or the error to answer with (404 when the pool
/// has no such file). Request thread.
std::optional<sdk::ErrorInfo> lookupFile(sdk::Gateway& gateway, const std::string& id, nlohmann::json& file);

}  // namespace sluice::plugins::route_openai

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

/// Small builders for the JSON Schemas operations declare, so a catalogue entry reads like its
/// documentation. Parameter objects are closed (unknown parameters are errors); result objects
/// are open, so adding a field never breaks a client that validates.
namespace sluice::core::ops::schema {

using json = nlohmann::json;
using Members = std::vector<std::pair<std::string, json>>;

/// Parameters: a closed object.
json params(const Members& members, const std::vector<std::string>& required = {});
/// A result or nested value: an open object.
json shape(const Members& members, const std::vector<std::string>& required = {});
/// Free-form object (e.g. labels, an auth.json document).
json anyObject(const std::string& description);

json text(const std::string& description, std::size_t max_length = 512);
json integer(const std::string& description, std::int64_t minimum, std::int64_t maximum);
json integer(const std::string& description);
json number(const std::string& description);
json boolean(const std::string& description);
json oneOf(const std::string& description, const std::vector<std::string>& values);
json listOf(const json& item, const std::string& description = "");
/// The same schema, also accepting null.
json nullable(json schema);

}  // namespace sluice::core::ops::schema

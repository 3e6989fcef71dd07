#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/emulator/script.hpp"

namespace sluice::emulator {

/// A script (or a control API body) that does not parse; the message starts with the YAML path.
class ScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The parse functions below throw ScriptError and overlay what the node names onto `base`, so
/// a control API PATCH and a fault entry only spell out what differs. `now` (unix seconds)
/// resolves relative reset times.

Script loadScriptFile(const std::string& file, std::int64_t now);
Script parseScript(const std::string& text, std::int64_t now);

AccountSpec parseAccount(const YAML::Node& node, const std::string& path, std::int64_t now);
Behaviour parseBehaviour(const YAML::Node& node, const std::string& path, Behaviour base);
std::vector<Fault> parseFaults(const YAML::Node& node, const std::string& path,
                               const Behaviour& base);
RateLimits parseRateLimits(const YAML::Node& node, const std::string& path, std::int64_t now,
                           RateLimits base);
OAuthBehaviour parseOAuth(const YAML::Node& node, const std::string& path, OAuthBehaviour base);
UploadBehaviour parseUploads(const YAML::Node& node, const std::string& path, UploadBehaviour base);

/// Parses `text` as YAML (JSON is accepted too); the control API uses it for request bodies.
YAML::Node parseYamlText(const std::string& text);

/// Plain scalars become bool/null/number when they look like one, quoted scalars stay strings.
nlohmann::json yamlToJson(const YAML::Node& node);

}  // namespace sluice::emulator

#include "catalog_filter.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_codex {

namespace {

using json = nlohmann::json;

enum class Kind { String, Array, Object, Boolean, Number };

// The fields a 0.169 client needs in every entry, found by removing each one (§6).
constexpr std::pair<std::string_view, Kind> kRequired[] = {
    {"slug", Kind::String},
    {"display_name", Kind::String},
    {"supported_reasoning_levels", Kind::Array},
    {"shell_type", Kind::String},
    {"visibility", Kind::String},
    {"supported_in_api", Kind::Boolean},
    {"priority", Kind::Number},
    {"support_verbosity", Kind::Boolean},
    {"truncation_policy", Kind::Object},
    {"experimental_supported_tools", Kind::Array},
};

bool is(const json& value, Kind kind) {
    switch (kind) {
        case Kind::String:
            return value.is_string();
        case Kind::Array:
            return value.is_array();
        case Kind::Object:
            return value.is_object();
        case Kind::Boolean:
            return value.is_boolean();
        case Kind::Number:
            return value.is_number();
    }
    return false;
}

std::optional<ClientVersion> parseVersion(std::string_view text) {
    ClientVersion version{0, 0, 0};
    for (std::size_t part = 0; part < version.size(); ++part) {
        const auto [end, error] =
            std::from_chars(text.data(), text.data() + text.size(), version[part]);
        if (error != std::errc() || end == text.data()) {
            return std::nullopt;
        }
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (part + 1 < version.size()) {
            if (text.empty() || text.front() != '.') {
                return std::nullopt;
            }
            text.remove_prefix(1);
        }
    }
    return version;
}

// `minimal_client_version` as [major, minor, patch] or "major.minor.patch"; nullopt when absent
// or unreadable (then the entry says nothing about versions).
std::optional<ClientVersion> minimalVersion(const json& entry) {
    const auto it = entry.find("minimal_client_version");
    if (it == entry.end()) {
        return std::nullopt;
    }
    if (it->is_string()) {
        return parseVersion(it->get<std::string>());
    }
    if (!it->is_array() || it->size() != 3) {
        return std::nullopt;
    }
    ClientVersion version{};
    for (std::size_t part = 0; part < 3; ++part) {
        if (!(*it)[part].is_number_integer()) {
            return std::nullopt;
        }
        version[part] = (*it)[part].get<int>();
    }
    return version;
}

bool decodable(const json& entry, const std::optional<ClientVersion>& client) {
    if (!entry.is_object()) {
        return false;
    }
    for (const auto& [field, kind] : kRequired) {
        const auto it = entry.find(field);
        if (it == entry.end() || !is(*it, kind)) {
            return false;
        }
    }
    const auto minimal = minimalVersion(entry);
    return !client || !minimal || *minimal <= *client;
}

}  // namespace

std::optional<ClientVersion> clientVersionOf(std::optional<std::string_view> query_version,
                                             std::optional<std::string_view> user_agent) {
    if (query_version) {
        if (auto version = parseVersion(*query_version)) {
            return version;
        }
    }
    if (!user_agent) {
        return std::nullopt;
    }
    // "codex_cli_rs/0.169.0 (Debian 12; x86_64) ...": the version follows the first '/'.
    const std::size_t slash = user_agent->find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view rest = user_agent->substr(slash + 1);
    return parseVersion(rest.substr(0, rest.find_first_of(" ;(")));
}

std::string catalogFor(const std::string& body, const std::optional<ClientVersion>& client) {
    json document = common::parseJson(body);
    if (!document.is_object() || !document.contains("models") || !document["models"].is_array()) {
        return body;
    }
    json& models = document["models"];
    const std::size_t before = models.size();
    json kept = json::array();
    for (json& entry : models) {
        if (decodable(entry, client)) {
            kept.push_back(std::move(entry));
        }
    }
    if (kept.size() == before) {
        return body;
    }
    models = std::move(kept);
    return document.dump();
}

}  // namespace sluice::plugins::route_codex

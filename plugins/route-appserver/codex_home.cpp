#include "codex_home.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sluice::plugins::route_appserver {

namespace fs = std::filesystem;

namespace {

/// A TOML basic string: quotes, backslashes and control characters escaped.
std::string tomlString(const std::string& value) {
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace

std::string codexConfigToml(const std::string& gateway_url, const std::string& default_model) {
    return "model = " + tomlString(default_model) +
           "\n"
           "model_provider = \"sluice\"\n"
           "\n"
           "[features]\n"
           "apps = false\n"
           "plugins = false\n"
           "\n"
           "[analytics]\n"
           "enabled = false\n"
           "\n"
           "[model_providers.sluice]\n"
           "name = \"Sluice\"\n"
           "base_url = " +
           tomlString(gateway_url) +
           "\n"
           "env_key = \"" +
           kCredentialVariable +
           "\"\n"
           "wire_api = \"responses\"\n"
           "supports_websockets = false\n"
           "request_max_retries = 1\n"
           "stream_max_retries = 1\n";
}

sdk::Result<std::string> gatewayCodexUrl(const sdk::ListenAddress& listen,
                                         const std::string& mount) {
    if (listen.port == 0) {
        return sdk::Status(sdk::StatusCode::Unavailable, "the gateway's port is not known yet");
    }
    std::string host = listen.host;
    if (host.empty() || host == "0.0.0.0" || host == "*") {
        host = "127.0.0.1";
    } else if (host == "::" || host == "[::]") {
        host = "[::1]";
    } else if (host.find(':') != std::string::npos && host.front() != '[') {
        host = "[" + host + "]";
    }
    return "http://" + host + ":" + std::to_string(listen.port) + mount;
}

std::string ownerDirectoryName(const std::string& owner_key) {
    const bool plain = !owner_key.empty() && owner_key.front() != '-' &&
                       owner_key.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                           "TUVWXYZ0123456789-_") == std::string::npos;
    if (plain) {
        return owner_key;
    }
    std::string hex = "x";
    for (const unsigned char c : owner_key) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", c);
        hex += pair;
    }
    return hex;
}

sdk::Status writeCodexHome(const std::string& directory, const std::string& config_toml) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) {
        return {sdk::StatusCode::Unavailable,
                "cannot create CODEX_HOME " + directory + ": " + error.message()};
    }
    fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace, error);
    const fs::path file = fs::path(directory) / "config.toml";
    {
        std::ofstream out(file, std::ios::trunc);
        out << config_toml;
        if (!out) {
            return {sdk::StatusCode::Unavailable, "cannot write " + file.string()};
        }
    }
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    error);
    return sdk::Status::success();
}

}  // namespace sluice::plugins::route_appserver

#include "sluice/plugins/common/codex_home.hpp"

#include "sluice/plugins/common/private_files.hpp"

namespace sluice::plugins::common {

namespace {

std::string tomlString(const std::string& value) {
    std::string out = "\"";
    for (const char c : value) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    continue;  // control characters have no place in a model id or URL
                }
                out += c;
        }
    }
    return out + "\"";
}

}  // namespace

std::string codexConfigToml(const CodexProviderConfig& config) {
    std::string toml;
    if (!config.model.empty()) {
        toml += "model = " + tomlString(config.model) + "\n";
    }
    toml += "model_provider = " + tomlString(kCodexProviderId) + "\n";
    toml += "approval_policy = " + tomlString(config.approval_policy) + "\n";
    toml += "sandbox_mode = " + tomlString(config.sandbox_mode) + "\n";
    toml += "check_for_update_on_startup = false\n";
    toml += "\n[analytics]\nenabled = false\n";
    toml += "\n[features]\napps = false\nplugins = false\n";
    toml += std::string("\n[model_providers.") + kCodexProviderId + "]\n";
    toml += "name = " + tomlString(kCodexProviderId) + "\n";
    toml += "base_url = " + tomlString(config.base_url) + "\n";
    toml += "env_key = " + tomlString(config.env_key) + "\n";
    toml += "wire_api = \"responses\"\n";
    toml += "supports_websockets = false\n";
    return toml;
}

sdk::Status writeCodexHome(const std::filesystem::path& home, const CodexProviderConfig& config) {
    if (auto made = makePrivateDirectory(home); !made.ok()) {
        return made;
    }
    return writePrivateFile(home / "config.toml", codexConfigToml(config));
}

}  // namespace sluice::plugins::common

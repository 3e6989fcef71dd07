#include "core/cli/client_snippet.hpp"

namespace sluice::core::cli {

namespace {

// The listen address as a client on this machine reaches it.
std::string listenOrigin(const config::ServerSettings& server) {
    std::string host = server.listen_host;
    if (host.empty() || host == "0.0.0.0") {
        host = "127.0.0.1";
    } else if (host == "::" || host == "[::]") {
        host = "[::1]";
    } else if (host.find(':') != std::string::npos && host.front() != '[') {
        host = "[" + host + "]";
    }
    return "http://" + host + ":" + std::to_string(server.listen_port);
}

}  // namespace

bool isGatewayOrigin(const std::string& url) {
    std::size_t host = 0;
    if (url.rfind("http://", 0) == 0) {
        host = 7;
    } else if (url.rfind("https://", 0) == 0) {
        host = 8;
    } else {
        return false;
    }
    std::size_t end = url.size();
    while (end > host && url[end - 1] == '/') {
        --end;
    }
    if (host == end) {
        return false;
    }
    for (std::size_t i = host; i < end; ++i) {
        const unsigned char c = static_cast<unsigned char>(url[i]);
        if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '/' || c == '?' || c == '#') {
            return false;
        }
    }
    return true;
}

std::optional<ClientSnippet> codexClientSnippet(const config::Pipeline& pipeline,
                                                const std::optional<std::string>& gateway_url) {
    for (const auto& route : pipeline.routes) {
        if (route.family != "codex_backend") {
            continue;
        }
        std::string origin = gateway_url.value_or(listenOrigin(pipeline.server));
        while (!origin.empty() && origin.back() == '/') {
            origin.pop_back();
        }
        ClientSnippet snippet{origin + route.mount, "SLUICE_API_KEY", ""};
        snippet.config_toml =
            "model_provider = \"sluice\"\n\n"
            "[model_providers.sluice]\n"
            "name = \"sluice\"\n"
            "base_url = \"" +
            snippet.base_url +
            "\"\n"
            "env_key = \"" +
            snippet.env_key +
            "\"\n"
            "wire_api = \"responses\"\n";
        return snippet;
    }
    return std::nullopt;
}

}  // namespace sluice::core::cli

#include "sluice/plugins/common/gateway_url.hpp"

namespace sluice::plugins::common {

sdk::Result<std::string> gatewayLoopbackUrl(const sdk::ListenAddress& listen,
                                            const std::string& path) {
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
    return "http://" + host + ":" + std::to_string(listen.port) + path;
}

}  // namespace sluice::plugins::common

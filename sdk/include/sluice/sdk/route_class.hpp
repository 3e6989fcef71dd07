#pragma once

#include <cstdint>

namespace sluice::sdk {

/// Coarse kinds of work. Admission limits, circuits and metrics are keyed by it (a bounded set).
enum class RouteClass : std::uint8_t {
    ProxyHttp,    ///< upstream call answered with one JSON body
    ProxyStream,  ///< upstream Server-Sent Events relayed as they arrive
    ProxyWebsocket,
    ProxyCompact,  ///< compaction: never failed over
    ProxyControl,  ///< small control-plane proxies
    FileUpload,
    AudioTranscription,
    Local,  ///< answered by the gateway itself (catalog, usage, admin, mcp)
};

inline const char* routeClassName(RouteClass route_class) noexcept {
    switch (route_class) {
        case RouteClass::ProxyHttp:
            return "proxy_http";
        case RouteClass::ProxyStream:
            return "proxy_stream";
        case RouteClass::ProxyWebsocket:
            return "proxy_websocket";
        case RouteClass::ProxyCompact:
            return "proxy_compact";
        case RouteClass::ProxyControl:
            return "proxy_control";
        case RouteClass::FileUpload:
            return "file_upload";
        case RouteClass::AudioTranscription:
            return "audio_transcription";
        case RouteClass::Local:
            return "local";
    }
    return "unknown";
}

}  // namespace sluice::sdk

#include "core/dispatch/stream_grammar.hpp"

#include <array>
#include <utility>

namespace sluice::core::dispatch {

namespace {

using sdk::RouteClass;

// The model classes carry Responses API events (ProxyHttp too: the OpenAI surface asks the
// backend for a stream even when its client wants one JSON answer). Control-plane streams, such
// as WHAM task turns, have a grammar of their own.
constexpr std::array<std::pair<RouteClass, StreamEnd>, 8> kStreamEnds{{
    {RouteClass::ProxyHttp, StreamEnd::FinalEvent},
    {RouteClass::ProxyStream, StreamEnd::FinalEvent},
    {RouteClass::ProxyWebsocket, StreamEnd::FinalEvent},
    {RouteClass::ProxyCompact, StreamEnd::FinalEvent},
    {RouteClass::ProxyControl, StreamEnd::BodyEnd},
    {RouteClass::FileUpload, StreamEnd::BodyEnd},
    {RouteClass::AudioTranscription, StreamEnd::BodyEnd},
    {RouteClass::Local, StreamEnd::BodyEnd},
}};

}  // namespace

StreamEnd streamEndOf(RouteClass route_class) noexcept {
    for (const auto& [listed, end] : kStreamEnds) {
        if (listed == route_class) {
            return end;
        }
    }
    return StreamEnd::BodyEnd;
}

}  // namespace sluice::core::dispatch

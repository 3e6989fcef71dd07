#pragma once

#include "sluice/sdk/route_class.hpp"

namespace sluice::core::dispatch {

/// What marks the clean end of a relayed event stream.
enum class StreamEnd {
    FinalEvent,  ///< Responses API: a body that stops before its final event was cut
    BodyEnd,     ///< any other grammar (WHAM task turns, proxied SSE): the HTTP body ending cleanly
};

/// How streams of `route_class` end. Thread-safe (a constant table).
StreamEnd streamEndOf(sdk::RouteClass route_class) noexcept;

}  // namespace sluice::core::dispatch

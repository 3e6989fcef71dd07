#pragma once

#include <chrono>
#include <istream>
#include <string>

#include "core/upstream/connection_pool.hpp"

namespace sluice::core::dispatch {

/// Reads an upstream body as bytes arrive (not in fixed blocks), and can wait for the socket
/// with a timeout so callers send keepalives or give up. Single-threaded.
class UpstreamReader final {
public:
    enum class Read { Data, Idle, End, Error };

    UpstreamReader(upstream::UpstreamConnection& connection, std::istream& body)
        : connection_(connection), body_(body) {}

    /// Appends what is available to `out` (waiting at most `wait` for something to arrive).
    Read readSome(std::string& out, std::chrono::milliseconds wait);
    /// Reads the rest of the body up to `limit` bytes (error bodies).
    std::string readAll(std::size_t limit, std::chrono::milliseconds wait);

private:
    upstream::UpstreamConnection& connection_;
    std::istream& body_;
};

}  // namespace sluice::core::dispatch

#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/upstream/connection_pool.hpp"

namespace sluice::core::dispatch::testing {

/// An upstream connection that hands out scripted reads, one piece per receive, then the peer's
/// close. Input always counts as waiting, so readers never poll a socket. Single-threaded.
class FakeUpstreamConnection final : public upstream::UpstreamConnection {
public:
    explicit FakeUpstreamConnection(std::vector<std::string> pieces)
        : pieces_(pieces.begin(), pieces.end()) {}

    Poco::Net::HTTPClientSession& session() noexcept override { return session_; }
    bool hasBufferedInput() noexcept override { return true; }
    bool hasPendingInput() noexcept override { return !pieces_.empty(); }

    int readAvailable(char* buffer, int length) override {
        if (pieces_.empty()) {
            return 0;
        }
        std::string& piece = pieces_.front();
        const auto taken = std::min(piece.size(), static_cast<std::size_t>(length));
        std::memcpy(buffer, piece.data(), taken);
        piece.erase(0, taken);
        if (piece.empty()) {
            pieces_.pop_front();
        }
        return static_cast<int>(taken);
    }

private:
    Poco::Net::HTTPClientSession session_;
    std::deque<std::string> pieces_;
};

}  // namespace sluice::core::dispatch::testing

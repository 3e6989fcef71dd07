#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sluice/sdk/gateway.hpp"

namespace sluice::core::upstream {

/// Splits a Server-Sent Events byte stream into events, incrementally: feed() whatever arrived,
/// then take() complete events until it returns false. An event keeps its exact bytes (`raw`)
/// for verbatim relaying; `data` joins its data lines; `type` is the data's JSON "type".
/// Comment-only blocks (keepalives) are skipped. Single-threaded.
class SseParser final {
public:
    /// Encrypted reasoning makes single events large; beyond this an event is refused.
    static constexpr std::size_t kMaxEventBytes = 8 * 1024 * 1024;

    void feed(std::string_view bytes);
    /// Fills `event` with the next complete event; its views stay valid until the next call.
    bool take(sdk::SseEvent& event);
    /// An event grew beyond kMaxEventBytes without ending.
    bool overflowed() const noexcept { return overflowed_; }
    /// Bytes received but not yet part of a complete event.
    std::size_t pending() const noexcept { return buffer_.size() - consumed_; }

private:
    std::size_t nextBlockEnd();

    std::string buffer_;
    std::size_t consumed_ = 0;
    std::size_t scanned_ = 0;  ///< no block end starts before this (rescans stay linear)
    std::string data_;
    bool overflowed_ = false;
};

}  // namespace sluice::core::upstream

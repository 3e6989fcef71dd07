#include "core/upstream/chunked_decoder.hpp"

#include <algorithm>

namespace sluice::core::upstream {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

constexpr std::uint64_t kMaxChunk = 1ULL << 40;

}  // namespace

bool ChunkedDecoder::feed(std::string_view input, std::string& out) {
    std::size_t i = 0;
    while (i < input.size() && state_ != State::Done) {
        const char c = input[i];
        switch (state_) {
            case State::Size: {
                const int digit = hexValue(c);
                if (digit >= 0) {
                    if (remaining_ > kMaxChunk) {
                        return false;
                    }
                    remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(digit);
                    size_seen_ = true;
                } else if (c == ';' && size_seen_) {
                    state_ = State::Extension;
                } else if (c == '\r' && size_seen_) {
                    state_ = State::SizeLf;
                } else {
                    return false;
                }
                ++i;
                break;
            }
            case State::Extension:
                if (c == '\r') {
                    state_ = State::SizeLf;
                }
                ++i;
                break;
            case State::SizeLf:
                if (c != '\n') {
                    return false;
                }
                ++i;
                size_seen_ = false;
                if (remaining_ == 0) {
                    state_ = State::Trailer;
                    trailer_line_empty_ = true;
                } else {
                    state_ = State::Data;
                }
                break;
            case State::Data: {
                const std::size_t take =
                    static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
                out.append(input.data() + i, take);
                i += take;
                remaining_ -= take;
                if (remaining_ == 0) {
                    state_ = State::DataCr;
                }
                break;
            }
            case State::DataCr:
                if (c != '\r') {
                    return false;
                }
                state_ = State::DataLf;
                ++i;
                break;
            case State::DataLf:
                if (c != '\n') {
                    return false;
                }
                state_ = State::Size;
                ++i;
                break;
            case State::Trailer:
                if (c == '\r') {
                    state_ = State::TrailerLf;
                } else {
                    trailer_line_empty_ = false;
                }
                ++i;
                break;
            case State::TrailerLf:
                if (c != '\n') {
                    return false;
                }
                ++i;
                if (trailer_line_empty_) {
                    state_ = State::Done;
                } else {
                    state_ = State::Trailer;
                    trailer_line_empty_ = true;
                }
                break;
            case State::Done:
                break;
        }
    }
    overran_ = overran_ || i < input.size();
    return true;
}

}  // namespace sluice::core::upstream

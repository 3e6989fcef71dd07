#include "core/dispatch/upstream_reader.hpp"

#include <Poco/Net/Socket.h>
#include <Poco/String.h>

#include <algorithm>
#include <charconv>

namespace sluice::core::dispatch {

namespace {

constexpr int kReadBlock = 16 * 1024;

std::optional<std::uint64_t> decimalLength(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

BodyFraming framingOf(const Poco::Net::HTTPResponse& head) {
    BodyFraming framing;
    framing.chunked = head.getChunkedTransferEncoding();
    const bool has_coding = head.has(Poco::Net::HTTPMessage::TRANSFER_ENCODING);
    std::optional<std::string> length_text;
    for (const auto& [name, value] : head) {
        if (Poco::icompare(name, Poco::Net::HTTPMessage::CONTENT_LENGTH) != 0) {
            continue;
        }
        framing.ambiguous = framing.ambiguous || (length_text && *length_text != value);
        length_text = value;
    }
    const std::optional<std::uint64_t> length =
        length_text ? decimalLength(*length_text) : std::nullopt;
    framing.ambiguous = framing.ambiguous || (has_coding && (length_text || !framing.chunked)) ||
                        (length_text && !length);
    if (!framing.chunked && !framing.ambiguous) {
        framing.content_length = length;
    }
    return framing;
}

UpstreamReader::Read UpstreamReader::readSome(std::string& out, std::chrono::milliseconds wait) {
    if (finished_ || (remaining_ && *remaining_ == 0)) {
        finished_ = true;
        return Read::End;
    }
    try {
        while (true) {
            if (!connection_.hasBufferedInput() &&
                !connection_.session().socket().poll(Poco::Timespan(wait.count() * 1000),
                                                     Poco::Net::Socket::SELECT_READ)) {
                return Read::Idle;
            }
            char block[kReadBlock];
            const int got = connection_.readAvailable(block, kReadBlock);
            if (got <= 0) {
                // The peer closed: a proper end only for bodies delimited by the connection;
                // otherwise the body was cut (finished() tells which).
                finished_ = !framing_.chunked && !framing_.content_length;
                return Read::End;
            }
            const std::string_view input(block, static_cast<std::size_t>(got));
            const std::size_t before = out.size();
            if (framing_.chunked) {
                if (!chunks_.feed(input, out)) {
                    return Read::Error;
                }
                finished_ = chunks_.done();
            } else if (remaining_) {
                const auto take =
                    static_cast<std::size_t>(std::min<std::uint64_t>(*remaining_, input.size()));
                out.append(input.substr(0, take));
                overran_ = overran_ || take < input.size();
                *remaining_ -= take;
                finished_ = *remaining_ == 0;
            } else {
                out.append(input);
            }
            if (out.size() > before) {
                return Read::Data;
            }
            if (finished_) {
                return Read::End;
            }
            // Only framing arrived (e.g. half a chunk header): wait for more.
        }
    } catch (const std::exception&) {
        return Read::Error;
    }
}

std::string UpstreamReader::readAll(std::size_t limit, std::chrono::milliseconds wait) {
    std::string out;
    while (out.size() < limit) {
        if (readSome(out, wait) != Read::Data) {
            break;
        }
    }
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

}  // namespace sluice::core::dispatch

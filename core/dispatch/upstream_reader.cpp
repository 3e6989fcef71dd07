#include "core/dispatch/upstream_reader.hpp"

#include <Poco/Net/Socket.h>

#include <algorithm>

namespace sluice::core::dispatch {

namespace {

constexpr int kReadBlock = 16 * 1024;

}  // namespace

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

#include "core/dispatch/upstream_reader.hpp"

#include <Poco/Net/Socket.h>

namespace sluice::core::dispatch {

namespace {

constexpr std::size_t kReadBlock = 16 * 1024;

}  // namespace

UpstreamReader::Read UpstreamReader::readSome(std::string& out, std::chrono::milliseconds wait) {
    try {
        const bool buffered = body_.rdbuf()->in_avail() > 0 || connection_.hasBufferedInput();
        if (!buffered && !connection_.session().socket().poll(Poco::Timespan(wait.count() * 1000),
                                                                 Poco::Net::Socket::SELECT_READ)) {
            return Read::Idle;
        }
        if (body_.peek() == std::char_traits<char>::eof()) {
            return body_.bad() ? Read::Error : Read::End;
        }
        char block[kReadBlock];
        const std::streamsize got = body_.readsome(block, sizeof block);
        if (got <= 0) {
            return body_.bad() ? Read::Error : Read::End;
        }
        out.append(block, static_cast<std::size_t>(got));
        return Read::Data;
    } catch (const std::exception&) {
        return Read::Error;
    }
}

std::string UpstreamReader::readAll(std::size_t limit, std::chrono::milliseconds wait) {
    std::string out;
    while (out.size() < limit) {
        const Read read = readSome(out, wait);
        if (read != Read::Data) {
            break;
        }
    }
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

}  // namespace sluice::core::dispatch

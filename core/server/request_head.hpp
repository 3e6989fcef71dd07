#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/http/message_framing.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::server {

/// A request body as the connection reads it: kept, or (for a request answered without it)
/// counted and dropped, so an unauthenticated client cannot make the gateway hold its bytes.
struct RequestBody {
    struct value_type {
        std::string bytes;
        bool keep = true;
    };

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
        void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec);
        template <class Buffers>
        std::size_t put(const Buffers& buffers, boost::beast::error_code& ec) {
            ec = {};
            std::size_t size = 0;
            for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
                if (body_.keep) {
                    body_.bytes.append(static_cast<const char*>(buffer.data()), buffer.size());
                }
                size += buffer.size();
            }
            return size;
        }
        void finish(boost::beast::error_code& ec) { ec = {}; }

    private:
        value_type& body_;
    };
};

using RequestParser = boost::beast::http::request_parser<RequestBody>;

/// A request head, read off the wire and independent of the parser that read it.
struct RequestHead {
    std::string method;
    std::string target;  ///< as sent: path and query, not decoded
    int version = 11;    ///< 10 or 11
    sdk::Headers headers;
    bool keep_alive = true;  ///< what the client asked for
    bool expect_continue = false;
    bool upgrade = false;  ///< `Connection: upgrade` with an Upgrade field
    http::MessageFraming framing;
};

/// The head `parser` read. Loop threads.
RequestHead headOf(const RequestParser& parser);

/// The framing problem behind a head the parser refused with `error`, judged with the fields it
/// had read before the one it refused; none when the refusal is not about framing. The parser
/// stops at the first Content-Length or Transfer-Encoding that makes the body's end doubtful,
/// so the verdict is the one framingOf() gives the whole head.
std::optional<http::FramingProblem> framingRefusalOf(const RequestParser& parser,
                                                     const boost::beast::error_code& error);

}  // namespace sluice::core::server

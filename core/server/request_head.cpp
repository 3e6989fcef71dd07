#include "core/server/request_head.hpp"

#include <boost/beast/http/error.hpp>
#include <vector>

namespace sluice::core::server {

namespace beast_http = boost::beast::http;

void RequestBody::reader::init(const boost::optional<std::uint64_t>& length,
                               boost::beast::error_code& ec) {
    ec = {};
    if (length && body_.keep) {
        body_.bytes.reserve(static_cast<std::size_t>(*length));
    }
}

RequestHead headOf(const RequestParser& parser) {
    const auto& message = parser.get();
    RequestHead head;
    head.method = std::string(message.method_string());
    head.target = std::string(message.target());
    head.version = message.version();
    std::vector<http::HeadField> fields;
    head.headers.reserve(16);
    for (const auto& field : message) {
        head.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    fields.reserve(head.headers.size());
    for (const sdk::Header& header : head.headers) {
        fields.push_back({header.name, header.value});
    }
    head.framing = http::framingOf(fields);
    head.keep_alive = message.keep_alive();
    head.upgrade = parser.upgrade();
    const auto expect = sdk::findHeader(head.headers, "expect");
    head.expect_continue = expect && sdk::equalsIgnoreCase(*expect, "100-continue");
    return head;
}

std::optional<http::FramingProblem> framingRefusalOf(const RequestParser& parser,
                                                     const boost::beast::error_code& error) {
    if (error != beast_http::error::bad_content_length &&
        error != beast_http::error::bad_transfer_encoding) {
        return std::nullopt;
    }
    const auto& seen = parser.get();
    const bool length_seen = seen.count(beast_http::field::content_length) > 0;
    const bool coding_seen = seen.count(beast_http::field::transfer_encoding) > 0;
    // Which field the parser refused, by the fields before it: a coding after a length (or a
    // length after a coding) is both; a second length disagrees; a first one is malformed.
    if (error == beast_http::error::bad_transfer_encoding) {
        return length_seen ? http::FramingProblem::LengthWithCoding
                           : http::FramingProblem::UnknownCoding;
    }
    if (coding_seen) {
        return http::FramingProblem::LengthWithCoding;
    }
    return length_seen ? http::FramingProblem::ConflictingLengths
                       : http::FramingProblem::MalformedLength;
}

}  // namespace sluice::core::server

#include "core/dispatch/upstream_reader.hpp"

#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <chrono>

#include "tests/unit/core/dispatch/fake_upstream_connection.hpp"

namespace sluice::core::dispatch {
namespace {

using testing::FakeUpstreamConnection;

Poco::Net::HTTPResponse head(std::initializer_list<std::pair<const char*, const char*>> headers) {
    Poco::Net::HTTPResponse response;
    for (const auto& [name, value] : headers) {
        response.add(name, value);
    }
    return response;
}

std::string readToEnd(UpstreamReader& reader) {
    std::string out;
    while (reader.readSome(out, std::chrono::milliseconds(10)) == UpstreamReader::Read::Data) {
    }
    return out;
}

TEST(UpstreamReader, ALengthBodyReadExactlyIsReusable) {
    FakeUpstreamConnection connection({"hello ", "world"});
    UpstreamReader reader(connection, http::framingOf(head({{"Content-Length", "11"}})));
    EXPECT_EQ(readToEnd(reader), "hello world");
    EXPECT_TRUE(reader.finished());
    EXPECT_TRUE(reader.reusable());
}

TEST(UpstreamReader, BytesBeyondTheLengthMakeTheConnectionUnusable) {
    FakeUpstreamConnection connection({"hello worldHTTP/1.1 200 OK\r\n"});
    UpstreamReader reader(connection, http::framingOf(head({{"Content-Length", "11"}})));
    EXPECT_EQ(readToEnd(reader), "hello world");
    EXPECT_TRUE(reader.finished());
    EXPECT_FALSE(reader.reusable()) << "a second answer followed the first";
}

TEST(UpstreamReader, BytesBeyondTheLastChunkMakeTheConnectionUnusable) {
    FakeUpstreamConnection clean({"5\r\nhello\r\n0\r\n\r\n"});
    UpstreamReader clean_reader(clean, http::framingOf(head({{"Transfer-Encoding", "chunked"}})));
    EXPECT_EQ(readToEnd(clean_reader), "hello");
    EXPECT_TRUE(clean_reader.reusable());

    FakeUpstreamConnection followed({"5\r\nhello\r\n0\r\n\r\nHTTP/1.1"});
    UpstreamReader followed_reader(followed,
                                   http::framingOf(head({{"Transfer-Encoding", "chunked"}})));
    EXPECT_EQ(readToEnd(followed_reader), "hello");
    EXPECT_TRUE(followed_reader.finished());
    EXPECT_FALSE(followed_reader.reusable());
}

TEST(UpstreamReader, BodiesWithoutTrustedFramingAreNeverReused) {
    FakeUpstreamConnection until_close({"all of it"});
    UpstreamReader close_reader(until_close, http::framingOf(head({})));
    EXPECT_EQ(readToEnd(close_reader), "all of it");
    EXPECT_TRUE(close_reader.finished());
    EXPECT_FALSE(close_reader.reusable());

    FakeUpstreamConnection both({"5\r\nhello\r\n0\r\n\r\n"});
    UpstreamReader both_reader(
        both, http::framingOf(head({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})));
    EXPECT_EQ(readToEnd(both_reader), "hello");
    EXPECT_FALSE(both_reader.reusable());
}

}  // namespace
}  // namespace sluice::core::dispatch

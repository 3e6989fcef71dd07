#include "core/dispatch/upstream_reader.hpp"

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

TEST(FramingOf, ReadsLengthAndChunking) {
    const BodyFraming length = framingOf(head({{"Content-Length", "12"}}));
    EXPECT_EQ(length.content_length, 12U);
    EXPECT_FALSE(length.chunked || length.ambiguous);
    const BodyFraming chunked = framingOf(head({{"Transfer-Encoding", "chunked"}}));
    EXPECT_TRUE(chunked.chunked);
    EXPECT_FALSE(chunked.ambiguous);
    const BodyFraming until_close = framingOf(head({}));
    EXPECT_FALSE(until_close.content_length || until_close.chunked || until_close.ambiguous);
}

TEST(FramingOf, MarksEveryAmbiguousHead) {
    // RFC 9112 §6.3: each of these leaves the end of the body, and so the next answer, in doubt.
    for (const auto& response :
         {head({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}),
          head({{"Transfer-Encoding", "gzip"}}), head({{"Content-Length", "-1"}}),
          head({{"Content-Length", "+5"}}), head({{"Content-Length", "5, 5"}}),
          head({{"Content-Length", "5"}, {"Content-Length", "6"}})}) {
        const BodyFraming framing = framingOf(response);
        EXPECT_TRUE(framing.ambiguous);
        EXPECT_FALSE(framing.content_length);
    }
}

TEST(UpstreamReader, ALengthBodyReadExactlyIsReusable) {
    FakeUpstreamConnection connection({"hello ", "world"});
    UpstreamReader reader(connection, framingOf(head({{"Content-Length", "11"}})));
    EXPECT_EQ(readToEnd(reader), "hello world");
    EXPECT_TRUE(reader.finished());
    EXPECT_TRUE(reader.reusable());
}

TEST(UpstreamReader, BytesBeyondTheLengthMakeTheConnectionUnusable) {
    FakeUpstreamConnection connection({"hello worldHTTP/1.1 200 OK\r\n"});
    UpstreamReader reader(connection, framingOf(head({{"Content-Length", "11"}})));
    EXPECT_EQ(readToEnd(reader), "hello world");
    EXPECT_TRUE(reader.finished());
    EXPECT_FALSE(reader.reusable()) << "a second answer followed the first";
}

TEST(UpstreamReader, BytesBeyondTheLastChunkMakeTheConnectionUnusable) {
    FakeUpstreamConnection clean({"5\r\nhello\r\n0\r\n\r\n"});
    UpstreamReader clean_reader(clean, framingOf(head({{"Transfer-Encoding", "chunked"}})));
    EXPECT_EQ(readToEnd(clean_reader), "hello");
    EXPECT_TRUE(clean_reader.reusable());

    FakeUpstreamConnection followed({"5\r\nhello\r\n0\r\n\r\nHTTP/1.1"});
    UpstreamReader followed_reader(followed, framingOf(head({{"Transfer-Encoding", "chunked"}})));
    EXPECT_EQ(readToEnd(followed_reader), "hello");
    EXPECT_TRUE(followed_reader.finished());
    EXPECT_FALSE(followed_reader.reusable());
}

TEST(UpstreamReader, BodiesWithoutTrustedFramingAreNeverReused) {
    FakeUpstreamConnection until_close({"all of it"});
    UpstreamReader close_reader(until_close, framingOf(head({})));
    EXPECT_EQ(readToEnd(close_reader), "all of it");
    EXPECT_TRUE(close_reader.finished());
    EXPECT_FALSE(close_reader.reusable());

    FakeUpstreamConnection both({"5\r\nhello\r\n0\r\n\r\n"});
    UpstreamReader both_reader(
        both, framingOf(head({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})));
    EXPECT_EQ(readToEnd(both_reader), "hello");
    EXPECT_FALSE(both_reader.reusable());
}

}  // namespace
}  // namespace sluice::core::dispatch

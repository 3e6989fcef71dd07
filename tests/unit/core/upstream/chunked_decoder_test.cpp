#include "core/upstream/chunked_decoder.hpp"

#include <gtest/gtest.h>

namespace sluice::core::upstream {
namespace {

TEST(ChunkedDecoderTest, DecodesChunksExtensionsAndTrailers) {
    ChunkedDecoder decoder;
    std::string out;
    ASSERT_TRUE(decoder.feed("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n", out));
    EXPECT_EQ(out, "hello world");
    EXPECT_TRUE(decoder.done());
}

TEST(ChunkedDecoderTest, AcceptsInputSplitAnywhere) {
    const std::string wire = "1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
    ChunkedDecoder decoder;
    std::string out;
    for (const char c : wire) {
        ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), out));
    }
    EXPECT_EQ(out, "abcdefghijklmnopqrstuvwxyz");
    EXPECT_TRUE(decoder.done());
}

TEST(ChunkedDecoderTest, IsNotDoneBeforeTheLastChunk) {
    ChunkedDecoder decoder;
    std::string out;
    ASSERT_TRUE(decoder.feed("3\r\nabc\r\n", out));
    EXPECT_FALSE(decoder.done());
}

TEST(ChunkedDecoderTest, RejectsMalformedFraming) {
    std::string out;
    EXPECT_FALSE(ChunkedDecoder().feed("zz\r\n", out));
    EXPECT_FALSE(ChunkedDecoder().feed("3\r\nabcX\r\n", out));
    EXPECT_FALSE(ChunkedDecoder().feed("\r\n", out));
}

TEST(ChunkedDecoderTest, NotesBytesAfterTheLastChunk) {
    ChunkedDecoder clean;
    std::string out;
    ASSERT_TRUE(clean.feed("3\r\nabc\r\n0\r\n\r\n", out));
    EXPECT_FALSE(clean.overran());
    ChunkedDecoder followed;
    ASSERT_TRUE(followed.feed("3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", out));
    EXPECT_TRUE(followed.done());
    EXPECT_TRUE(followed.overran()) << "a second answer on the connection";
}

}  // namespace
}  // namespace sluice::core::upstream

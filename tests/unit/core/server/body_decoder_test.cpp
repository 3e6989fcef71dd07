#include "core/server/body_decoder.hpp"

#include <Poco/DeflatingStream.h>
#include <gtest/gtest.h>
#include <zstd.h>

#include <sstream>

namespace sluice::core::server {
namespace {

std::string zstdCompress(const std::string& text) {
    std::string out(ZSTD_compressBound(text.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
    return out;
}

std::string gzipCompress(const std::string& text) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater << text;
    deflater.close();
    return out.str();
}

TEST(BodyDecoderTest, PassesIdentityBodiesThrough) {
    auto decoded = decodeBody("", std::string("{\"a\":1}"), 100);
    EXPECT_EQ(decoded.error, BodyDecodeError::None);
    EXPECT_EQ(decoded.body, "{\"a\":1}");
}

TEST(BodyDecoderTest, DecodesZstdAndGzip) {
    const std::string json = R"({"model":"gpt-5.5","input":[]})";
    EXPECT_EQ(decodeBody("zstd", zstdCompress(json), 1024).body, json);
    EXPECT_EQ(decodeBody("GZIP", gzipCompress(json), 1024).body, json);
}

TEST(BodyDecoderTest, StopsDecompressionBombsAtTheLimit) {
    const std::string big(1 << 20, 'a');
    EXPECT_EQ(decodeBody("zstd", zstdCompress(big), 64 * 1024).error, BodyDecodeError::TooLarge);
    EXPECT_EQ(decodeBody("gzip", gzipCompress(big), 64 * 1024).error, BodyDecodeError::TooLarge);
    EXPECT_EQ(decodeBody("", std::string(big), 64 * 1024).error, BodyDecodeError::TooLarge);
}

TEST(BodyDecoderTest, RejectsCorruptAndUnknownEncodings) {
    EXPECT_EQ(decodeBody("zstd", std::string("not zstd"), 1024).error, BodyDecodeError::Corrupt);
    const std::string truncated = zstdCompress(std::string(5000, 'q')).substr(0, 8);
    EXPECT_EQ(decodeBody("zstd", std::string(truncated), 1024 * 1024).error,
              BodyDecodeError::Corrupt);
    EXPECT_EQ(decodeBody("br", std::string("x"), 1024).error, BodyDecodeError::UnsupportedEncoding);
}

}  // namespace
}  // namespace sluice::core::server

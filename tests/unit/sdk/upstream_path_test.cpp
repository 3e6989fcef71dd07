#include "sluice/sdk/upstream_path.hpp"

#include <gtest/gtest.h>

namespace sluice::sdk {
namespace {

TEST(UpstreamPath, EncodesEverySegmentSoNoClientByteLeavesIt) {
    EXPECT_EQ(UpstreamPath("/backend-api/wham").segment("x HTTP/1.1\r\nHost: y").str(),
              "/backend-api/wham/x%20HTTP%2F1.1%0D%0AHost%3A%20y");
    EXPECT_EQ(UpstreamPath("/backend-api/wham").segments("tasks/abc?x=1/turns").str(),
              "/backend-api/wham/tasks/abc%3Fx%3D1/turns");
    EXPECT_EQ(UpstreamPath("/f").segment("caf\xc3\xa9#1").str(), "/f/caf%C3%A9%231");
    EXPECT_EQ(UpstreamPath("/f").segment("a-b_c.d~9").str(), "/f/a-b_c.d~9");
}

TEST(UpstreamPath, AddsQueriesRawOrEncoded) {
    EXPECT_EQ(UpstreamPath("/l").rawQuery("").str(), "/l");
    EXPECT_EQ(UpstreamPath("/l").rawQuery("a=1&b=%20").param("cursor", "c&d=e").str(),
              "/l?a=1&b=%20&cursor=c%26d%3De");
    EXPECT_EQ(UpstreamPath("/l").param("limit", "5").param("q", "a b").str(), "/l?limit=5&q=a%20b");
}

TEST(UpstreamPath, EveryBuiltPathIsASafeTarget) {
    std::string every_byte;
    for (int c = 0; c < 256; ++c) {
        every_byte += static_cast<char>(c);
    }
    EXPECT_TRUE(isSafeRequestTarget(
        UpstreamPath("/base").segment(every_byte).param(every_byte, every_byte).str()));
}

TEST(IsSafeRequestTarget, RefusesWhatWouldEndOrBendTheRequestLine) {
    EXPECT_TRUE(isSafeRequestTarget("/backend-api/wham/tasks/list?limit=20&cursor=a%3D"));
    EXPECT_TRUE(isSafeRequestTarget("/a/b:c@d!$&'()*+,;="));
    for (const char* target :
         {"", "relative", "/a b", "/a\r\nHost: x", "/a\n", "/a\t", "/a#frag", "/caf\xc3\xa9", "/a%",
          "/a%2", "/a%zz", "/a\x7f", "/a\"b", "/a<b>", "/a\\b"}) {
        EXPECT_FALSE(isSafeRequestTarget(target)) << target;
    }
}

}  // namespace
}  // namespace sluice::sdk

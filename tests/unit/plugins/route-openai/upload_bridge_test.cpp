#include "upload_bridge.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

TEST(UploadUrlPolicy, PublicHttpsOnlyByDefault) {
    EXPECT_TRUE(uploadUrlAllowed("https://files.blob.core.windows.net/c/file-1?sig=abc", false));
    EXPECT_TRUE(uploadUrlAllowed("https://203.0.113.9:8443/upload", false));
    for (const char* url :
         {"http://files.example.com/u", "https://127.0.0.1/u", "https://10.1.2.3/u",
          "https://172.20.0.1/u", "https://192.168.1.1/u", "https://169.254.169.254/latest",
          "https://localhost:9000/u", "https://api.localhost/u", "https://[::1]/u",
          "https://0.0.0.0/u", "https://user:pass@example.com/u", "https:///u",
          "ftp://example.com/u", "file:///etc/passwd", ""}) {
        EXPECT_FALSE(uploadUrlAllowed(url, false)) << url;
    }
}

TEST(UploadUrlPolicy, TestUpstreamsMayUseLoopbackOverPlainHttp) {
    EXPECT_TRUE(uploadUrlAllowed("http://127.0.0.1:4010/upload/file_1?sig=x", true));
    EXPECT_TRUE(uploadUrlAllowed("https://[::1]:8443/upload", true));
    EXPECT_FALSE(uploadUrlAllowed("ftp://127.0.0.1/u", true));
    EXPECT_FALSE(uploadUrlAllowed("http://user@127.0.0.1/u", true));
}

TEST(FileObject, IsTheOpenAiShapeOfAFileRecord) {
    const auto object = fileObject({{"id", "file_1"},
                                    {"account_id", "acct-secret"},
                                    {"filename", "a.txt"},
                                    {"purpose", "user_data"},
                                    {"bytes", 5},
                                    {"created_at", 100},
                                    {"expires_at", 200}});
    EXPECT_EQ(object, nlohmann::json({{"id", "file_1"},
                                      {"object", "file"},
                                      {"bytes", 5},
                                      {"created_at", 100},
                                      {"expires_at", 200},
                                      {"filename", "a.txt"},
                                      {"purpose", "user_data"},
                                      {"status", "processed"},
                                      {"status_details", nullptr}}))
        << "the owning account stays inside the gateway";
}

}  // namespace
}  // namespace sluice::plugins::route_openai

// The /backend-api files flow and transcription through route-backend, against the emulator:
// a file lives on the account that created it, and later requests follow it there.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

// The client's own PUT of the bytes to the upload URL (no gateway involved, as with the CLI).
int putBytes(const std::string& url, const std::string& bytes) {
    const Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    Poco::Net::HTTPRequest request("PUT", uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength64(static_cast<Poco::Int64>(bytes.size()));
    session.sendRequest(request) << bytes;
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    return static_cast<int>(response.getStatus());
}

std::string turnWithFile(const std::string& file_id) {
    return json{{"model", "gpt-5.5"},
                {"stream", true},
                {"input",
                 {{{"type", "message"},
                   {"role", "user"},
                   {"content",
                    {{{"type", "input_text"}, {"text", "summarise the file"}},
                     {{"type", "input_file"}, {"file_id", file_id}}}}}}}}
        .dump();
}

std::string multipart(const std::string& boundary, const std::string& audio) {
    return "--" + boundary +
           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n" +
           "Content-Type: audio/wav\r\n\r\n" + audio + "\r\n--" + boundary + "--\r\n";
}

TEST(BackendFilesTest, AFileCreatedThroughSluiceIsReferencedOnItsOwnAccount) {
    GatewayHarness harness(
        backendOptions("uploads: { finalize_retries: 2 }", "uploads: { finalize_retries: 2 }"));
    const HttpReply created =
        harness.request("POST", "/backend-api/files",
                        R"({"file_name":"notes.txt","file_size":5,"use_case":"codex"})");
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string file_id = jsonOf(created)["file_id"];
    const std::string upload_url = jsonOf(created)["upload_url"];
    const auto owner = accountsAt(harness, "/backend-api/files");
    ASSERT_EQ(owner.size(), 1U);

    ASSERT_EQ(putBytes(upload_url, "hello"), 201);
    const HttpReply finalized =
        harness.request("POST", "/backend-api/files/" + file_id + "/uploaded", "{}");
    ASSERT_EQ(finalized.status, 200) << finalized.body;
    EXPECT_EQ(jsonOf(finalized)["status"], "success");
    // Two "retry" answers were polled through, all on the file's account.
    EXPECT_EQ(accountsAt(harness, "/backend-api/files/" + file_id + "/uploaded"),
              std::vector<std::string>(3, owner[0]));

    // Round robin would alternate; the file pins every turn to its owner (the emulator refuses
    // files of other accounts, so a completed turn also proves it).
    for (int i = 0; i < 4; ++i) {
        const HttpReply turn = harness.postResponses(turnWithFile(file_id));
        EXPECT_EQ(turn.status, 200) << turn.body;
        EXPECT_NE(turn.body.find("response.completed"), std::string::npos) << turn.body;
    }
    EXPECT_EQ(accountsAt(harness, "/backend-api/codex/responses"),
              std::vector<std::string>(4, owner[0]));
}

TEST(BackendFilesTest, AFileRecordedBeforeARestartStillPinsItsTurnsToItsOwner) {
    GatewayHarness harness(backendOptions());
    const HttpReply created =
        harness.request("POST", "/backend-api/files",
                        R"({"file_name":"notes.txt","file_size":5,"use_case":"codex"})");
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string file_id = jsonOf(created)["file_id"];
    const auto owner = accountsAt(harness, "/backend-api/files");
    ASSERT_EQ(owner.size(), 1U);

    harness.restartGateway();
    for (int i = 0; i < 2; ++i) {
        const HttpReply turn = harness.postResponses(turnWithFile(file_id));
        EXPECT_EQ(turn.status, 200) << turn.body;
    }
    EXPECT_EQ(accountsAt(harness, "/backend-api/codex/responses"),
              std::vector<std::string>(2, owner[0]));
}

TEST(BackendFilesTest, UnknownFilesAndOversizedFilesAreRefused) {
    GatewayHarness harness(backendOptions("", "", "{ max_file_bytes: 1KiB }"));
    const HttpReply turn = harness.postResponses(turnWithFile("file_nobody"));
    EXPECT_EQ(turn.status, 404);
    EXPECT_EQ(jsonOf(turn)["error"]["code"], "file_not_found");
    EXPECT_EQ(harness.request("POST", "/backend-api/files/file_nobody/uploaded", "{}").status, 404);
    const HttpReply large = harness.request("POST", "/backend-api/files",
                                            R"({"file_name":"big.bin","file_size":4096})");
    EXPECT_EQ(large.status, 413);
    EXPECT_EQ(jsonOf(large)["error"]["code"], "file_too_large");
    EXPECT_EQ(harness.request("POST", "/backend-api/files", R"({"file_size":1})").status, 400);
    EXPECT_TRUE(harness.recordedAt("/backend-api/files").empty())
        << "refused before any upstream call";
}

TEST(BackendFilesTest, TranscribeRelaysMultipartWithinTheSizeLimit) {
    GatewayHarness harness(backendOptions("", "", "{ max_audio_bytes: 1KiB }"));
    const std::string boundary = "sluice-test-boundary";
    const sdk::Headers form{{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    const HttpReply ok = harness.request("POST", "/backend-api/transcribe",
                                         multipart(boundary, std::string(300, 'a')), form);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(jsonOf(ok)["text"], "Emulated transcript of 300 bytes.");

    const HttpReply large = harness.request("POST", "/backend-api/transcribe",
                                            multipart(boundary, std::string(2048, 'a')), form);
    EXPECT_EQ(large.status, 413);
    EXPECT_EQ(harness.request("POST", "/backend-api/transcribe", R"({"file":"x"})").status, 400);
    EXPECT_EQ(harness.recordedAt("/backend-api/transcribe").size(), 1U);
}

}  // namespace
}  // namespace sluice::integration

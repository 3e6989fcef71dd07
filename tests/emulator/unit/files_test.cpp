// The backend's file bridge and transcription as the emulator serves them: files belong to
// the account that created them, finalize answers "retry" as scripted, and Responses requests
// that reference another account's file are refused.
#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kFilesScript = R"(
accounts:
  - { id: acct-a, access_token: tok-a, uploads: { finalize_retries: 2 } }
  - { id: acct-b, access_token: tok-b }
)";

class FilesTest : public EmulatorTest {
protected:
    HttpReply post(const std::string& path, const std::string& body, const std::string& account,
                   const std::string& token, const std::string& type = "application/json") const {
        HttpCall request{"POST", path, body};
        request.headers = {{"Authorization", "Bearer " + token},
                           {"chatgpt-account-id", account},
                           {"Content-Type", type}};
        return call(request);
    }

    /// Creates a file on `account` and returns {file_id, path and query of the upload URL}.
    std::pair<std::string, std::string> create(const std::string& account,
                                               const std::string& token) const {
        const auto created =
            post("/backend-api/files",
                 R"({"file_name":"notes.txt","file_size":5,"use_case":"codex"})", account, token);
        EXPECT_EQ(created.status, 200) << created.body;
        const auto body = created.json();
        const std::string url = body.value("upload_url", "");
        const std::string origin = "http://127.0.0.1:" + std::to_string(server_->port());
        EXPECT_EQ(url.rfind(origin, 0), 0u) << url;
        return {body.value("file_id", ""), url.substr(origin.size())};
    }

    int upload(const std::string& path_and_query, const std::string& bytes) const {
        return call({"PUT", path_and_query, bytes}).status;
    }
};

TEST_F(FilesTest, AFileIsCreatedUploadedAndFinalizedAfterTheScriptedRetries) {
    startWith(kFilesScript);
    const auto [id, url] = create("acct-a", "tok-a");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(post("/backend-api/files/" + id + "/uploaded", "{}", "acct-a", "tok-a").status, 400)
        << "finalizing before any bytes arrived";
    EXPECT_EQ(upload(url, "hello"), 201);
    EXPECT_EQ(
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-a", "tok-a").json()["status"],
        "retry");
    EXPECT_EQ(
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-a", "tok-a").json()["status"],
        "retry");
    const auto done =
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-a", "tok-a").json();
    EXPECT_EQ(done["status"], "success");
    EXPECT_EQ(done["file_size_bytes"], 5);
    EXPECT_EQ(done["file_name"], "notes.txt");

    const auto records = recorded("acct-a");
    ASSERT_GE(records.size(), 5u);
    EXPECT_EQ(records[0]["outcome"], "file_created");
    EXPECT_EQ(records[0]["file_ids"][0], id);
    bool saw_upload = false;
    for (const auto& record : records) {
        if (record["outcome"] == "uploaded") {
            saw_upload = true;
            EXPECT_EQ(record["body_bytes"], 5);
            EXPECT_EQ(record["account_id"], "acct-a");
        }
    }
    EXPECT_TRUE(saw_upload);
}

TEST_F(FilesTest, AnotherAccountCannotFinalizeOrReferenceTheFile) {
    startWith(kFilesScript);
    const auto [id, url] = create("acct-b", "tok-b");
    ASSERT_EQ(upload(url, "bytes"), 201);
    EXPECT_EQ(post("/backend-api/files/" + id + "/uploaded", "{}", "acct-a", "tok-a").status, 404);
    EXPECT_EQ(
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-b", "tok-b").json()["status"],
        "success");

    auto turn = turnBody();
    turn["stream"] = false;
    turn["input"].push_back({{"type", "message"},
                             {"role", "user"},
                             {"content", {{{"type", "input_file"}, {"file_id", id}}}}});
    const auto refused = postResponses(turn, "acct-a", "tok-a");
    EXPECT_EQ(refused.status, 404);
    EXPECT_EQ(refused.json()["error"]["code"], "file_not_found");
    const auto served = postResponses(turn, "acct-b", "tok-b");
    EXPECT_EQ(served.status, 200) << served.body;
    const auto records = recorded("acct-b");
    EXPECT_EQ(records.back()["file_ids"], nlohmann::json::array({id}));
}

TEST_F(FilesTest, AnUploadURLWithAWrongSignatureIsRefused) {
    startWith(kFilesScript);
    const auto [id, url] = create("acct-a", "tok-a");
    EXPECT_EQ(upload("/upload/" + id + "?sig=forged", "x"), 403);
    EXPECT_EQ(upload("/upload/file_unknown?sig=x", "x"), 403);
}

TEST_F(FilesTest, TranscribeAnswersWithTheAudioSize) {
    startWith(kFilesScript);
    const std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
        "Content-Type: audio/wav\r\n\r\n0123456789\r\n"
        "--XyZ\r\nContent-Disposition: form-data; "
        "name=\"model\"\r\n\r\ngpt-4o-transcribe\r\n--XyZ--\r\n";
    const auto reply = post("/backend-api/transcribe", body, "acct-a", "tok-a",
                            "multipart/form-data; boundary=XyZ");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json()["text"], "Emulated transcript of 10 bytes.");
    EXPECT_EQ(recorded("acct-a").back()["outcome"], "transcribed");

    const std::string no_file =
        "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--XyZ--\r\n";
    EXPECT_EQ(post("/backend-api/transcribe", no_file, "acct-a", "tok-a",
                   "multipart/form-data; boundary=XyZ")
                  .status,
              400);
    EXPECT_EQ(post("/backend-api/transcribe", "{}", "acct-a", "tok-a").status, 400);
}

TEST_F(FilesTest, FinalizeRetriesAreScriptableThroughTheControlAPI) {
    startWith(kFilesScript);
    ASSERT_EQ(control("PUT", "accounts/acct-b/uploads", R"({"finalize_retries": 1})").status, 200);
    EXPECT_EQ(control("GET", "accounts/acct-b").json()["uploads"]["finalize_retries"], 1);
    const auto [id, url] = create("acct-b", "tok-b");
    ASSERT_EQ(upload(url, "z"), 201);
    EXPECT_EQ(
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-b", "tok-b").json()["status"],
        "retry");
    EXPECT_EQ(
        post("/backend-api/files/" + id + "/uploaded", "{}", "acct-b", "tok-b").json()["status"],
        "success");
    EXPECT_EQ(control("PATCH", "accounts/acct-b/uploads", R"({"finalize_retries": -1})").status,
              400);
}

}  // namespace
}  // namespace sluice::emulator::testing

#include "core/store/response_vault.hpp"

#include <gtest/gtest.h>

#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::store {
namespace {

using namespace std::chrono_literals;

// The pipeline schema's defaults.
const ResponseVault::Options kOptions{std::chrono::minutes(1), 10'000, std::chrono::seconds(2)};

class ResponseVaultTest : public ::testing::Test {
protected:
    sdk::testing::FakeHost host_;
    sdk::testing::FakeClock clock_;
    plugins::storage_memory::MemoryBackend backend_;
    security::SecretBox secrets_{{{1, std::string(32, 'k')}}, 1};
    ResponseVault vault_{backend_.responses(), secrets_, clock_, host_.metrics(),
                         host_.logger("test"), kOptions};
};

TEST_F(ResponseVaultTest, AKeptDocumentIsReadBackByItsOwnerOnlyAndSealedInStorage) {
    const sdk::StoredDocument kept{"resp_1",          sdk::StoredKind::Response,
                                   "gpt-5.5",         clock_.now(),
                                   clock_.now() + 1h, R"({"prompt":"secret words"})"};
    vault_.keep("sk-a", kept);
    const auto found = vault_.find("sk-a", sdk::StoredKind::Response, "resp_1");
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found->body, kept.body);
    EXPECT_EQ(vault_.find("sk-b", sdk::StoredKind::Response, "resp_1").status().code(),
              sdk::StatusCode::NotFound);
    EXPECT_EQ(vault_.find("sk-a", sdk::StoredKind::ChatCompletion, "resp_1").status().code(),
              sdk::StatusCode::NotFound);
    const auto row = backend_.responses().get("resp_1");
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->sealed.ciphertext.find("secret words"), std::string::npos);
    EXPECT_EQ(row->sealed.key_version, 1U);
}

TEST_F(ResponseVaultTest, ACiphertextMovedToAnotherOwnerDoesNotOpen) {
    vault_.keep("sk-a",
                {"resp_1", sdk::StoredKind::Response, "m", clock_.now(), clock_.now() + 1h, "{}"});
    ASSERT_TRUE(vault_.find("sk-a", sdk::StoredKind::Response, "resp_1").ok());
    auto row = backend_.responses().get("resp_1").value();
    row.owner_key = "sk-b";
    ASSERT_TRUE(backend_.responses().save(row).ok());
    EXPECT_EQ(vault_.find("sk-b", sdk::StoredKind::Response, "resp_1").status().code(),
              sdk::StatusCode::Internal);
}

TEST_F(ResponseVaultTest, ExpiredDocumentsAreNeverServedAndArePurgedOnlyBehind) {
    vault_.keep("sk-a",
                {"resp_1", sdk::StoredKind::Response, "m", clock_.now(), clock_.now() + 10s, "{}"});
    ASSERT_TRUE(vault_.find("sk-a", sdk::StoredKind::Response, "resp_1").ok());
    clock_.advance(10s);
    EXPECT_EQ(vault_.find("sk-a", sdk::StoredKind::Response, "resp_1").status().code(),
              sdk::StatusCode::NotFound);
    EXPECT_TRUE(backend_.responses().get("resp_1").ok()) << "a lookup does not purge";
    vault_.purgeExpired();
    EXPECT_EQ(backend_.responses().get("resp_1").status().code(), sdk::StatusCode::NotFound);
}

TEST_F(ResponseVaultTest, ListsFilterPageByPageAndUpdatesKeepTheTimes) {
    for (int i = 0; i < 5; ++i) {
        clock_.advance(1s);
        vault_.keep("sk-a", {"chat-" + std::to_string(i), sdk::StoredKind::ChatCompletion, "m",
                             clock_.now(), clock_.now() + 1h, i % 2 == 0 ? "even" : "odd"});
    }
    ResponseVault::Options small = kOptions;
    small.list_batch = 1;  // forces several storage pages
    ResponseVault paged(backend_.responses(), secrets_, clock_, host_.metrics(),
                        host_.logger("test"), small);
    sdk::StoredDocumentQuery query{
        sdk::StoredKind::ChatCompletion, "", "", true, 2, [](const sdk::StoredDocument& d) {
            return d.body == "even";
        }};
    vault_.find("sk-a", sdk::StoredKind::ChatCompletion, "chat-0");  // everything is written
    const auto listed = paged.list("sk-a", query);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2U);
    EXPECT_EQ(listed->at(0).id, "chat-0");
    EXPECT_EQ(listed->at(1).id, "chat-2");

    const auto before = vault_.find("sk-a", sdk::StoredKind::ChatCompletion, "chat-1").value();
    ASSERT_TRUE(
        vault_.update("sk-a", {"chat-1", sdk::StoredKind::ChatCompletion, "", {}, {}, "new"}).ok());
    const auto after = vault_.find("sk-a", sdk::StoredKind::ChatCompletion, "chat-1").value();
    EXPECT_EQ(after.body, "new");
    EXPECT_EQ(after.created_at, before.created_at);
    EXPECT_EQ(after.expires_at, before.expires_at);
    EXPECT_EQ(
        vault_.update("sk-b", {"chat-1", sdk::StoredKind::ChatCompletion, "", {}, {}, "x"}).code(),
        sdk::StatusCode::NotFound);
    EXPECT_EQ(vault_.remove("sk-b", sdk::StoredKind::ChatCompletion, "chat-1").code(),
              sdk::StatusCode::NotFound);
    EXPECT_TRUE(vault_.remove("sk-a", sdk::StoredKind::ChatCompletion, "chat-1").ok());
}

}  // namespace
}  // namespace sluice::core::store

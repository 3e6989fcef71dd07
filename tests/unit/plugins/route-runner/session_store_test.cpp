#include "session_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

TEST(SessionStoreTest, SessionsSurviveARestartIndexedByBothIds) {
    sdk::testing::TempDirectory dir;
    {
        SessionStore store(dir.path());
        auto created = store.create(false, "sk-key1", kNow, "abc123");
        ASSERT_TRUE(created.ok());
        EXPECT_EQ(created->meta["session_id"], "session-abc123");
        ASSERT_TRUE(store
                        .update("session-abc123",
                                [](json& meta) {
                                    meta["codex_session_id"] = "thread-9";
                                    meta["status"] = "running";
                                })
                        .ok());
    }
    SessionStore reopened(dir.path());
    auto byId = reopened.find("session-abc123");
    ASSERT_TRUE(byId.has_value());
    EXPECT_EQ(byId->meta["status"], "error") << "a run cut by a restart is not running";
    EXPECT_TRUE(reopened.find("abc123").has_value()) << "the id without its prefix";
    auto byThread = reopened.find("thread-9");
    ASSERT_TRUE(byThread.has_value());
    EXPECT_EQ(byThread->meta["session_id"], "session-abc123");
    struct stat st {};
    ASSERT_EQ(::stat((byId->dir / "meta.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SessionStoreTest, OneRunPerSessionAtATime) {
    sdk::testing::TempDirectory dir;
    SessionStore store(dir.path());
    ASSERT_TRUE(store.create(false, "", kNow, "s1").ok());
    EXPECT_TRUE(store.tryBegin("session-s1"));
    EXPECT_FALSE(store.tryBegin("session-s1"));
    store.end("session-s1");
    EXPECT_TRUE(store.tryBegin("session-s1"));
}

TEST(SessionStoreTest, ListsNewestFirstHidingSecureSessions) {
    sdk::testing::TempDirectory dir;
    SessionStore store(dir.path());
    ASSERT_TRUE(store.create(false, "", kNow, "old").ok());
    ASSERT_TRUE(store.create(false, "", kNow + std::chrono::hours(1), "new").ok());
    ASSERT_TRUE(store.create(true, "", kNow + std::chrono::hours(2), "secret").ok());
    auto visible = store.list(10, "", false);
    ASSERT_EQ(visible.size(), 2u);
    EXPECT_EQ(visible[0].meta["session_id"], "session-new");
    EXPECT_EQ(store.list(10, "", true).size(), 3u);
    EXPECT_EQ(store.list(1, "", true).size(), 1u);
    EXPECT_EQ(store.list(10, isoTime(kNow + std::chrono::minutes(30)), false).size(), 1u);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "secure" / "session-secret"));
}

TEST(SessionStoreTest, HandEditedMetadataNeitherCrashesNorUnlocksASecureSession) {
    sdk::testing::TempDirectory dir;
    {
        SessionStore store(dir.path());
        ASSERT_TRUE(store.create(true, "", kNow, "locked").ok());
        ASSERT_TRUE(store.create(false, "", kNow, "plain").ok());
    }
    common::writePrivateFile(dir.path() / "secure" / "session-locked" / "meta.json",
                             R"({"session_id":"session-locked","secure":"no","status":null,
                                 "codex_session_id":7,"updated_at":null})");
    SessionStore reopened(dir.path());
    const auto locked = reopened.find("session-locked");
    ASSERT_TRUE(locked.has_value());
    EXPECT_EQ(locked->meta["secure"], true);
    EXPECT_EQ(reopened.list(10, "", false).size(), 1u);
}

TEST(SessionStoreTest, SecureSessionsCanLiveElsewhere) {
    sdk::testing::TempDirectory dir;
    {
        SessionStore store(dir.path() / "state", dir.path() / "vault");
        ASSERT_TRUE(store.create(true, "", kNow, "hidden").ok());
    }
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "vault" / "session-hidden" / "meta.json"));
    EXPECT_TRUE(
        SessionStore(dir.path() / "state", dir.path() / "vault").find("hidden").has_value());
}

TEST(IsoTimeTest, RoundTripsAndAcceptsOffsets) {
    EXPECT_EQ(isoTime(parseIsoTime("2025-01-15T10:30:00Z").value()), "2025-01-15T10:30:00.000Z");
    EXPECT_EQ(isoTime(parseIsoTime("2025-01-15T11:30:00+01:00").value()),
              "2025-01-15T10:30:00.000Z");
    EXPECT_EQ(isoTime(parseIsoTime("2025-01-15T10:30:00.250Z").value()),
              "2025-01-15T10:30:00.250Z");
    EXPECT_FALSE(parseIsoTime("yesterday").has_value());
}

}  // namespace
}  // namespace sluice::plugins::route_runner

#include "trigger_file.hpp"

#include <gtest/gtest.h>

#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

TEST(TriggerFileTest, TriggerFileNamesStayInsideTheDirectory) {
    sdk::testing::TempDirectory dir;
    const fs::path root = fs::canonical(dir.path());
    EXPECT_EQ(triggerFileIn(dir.path(), "triggers.json", "").value(), root / "triggers.json");
    EXPECT_EQ(triggerFileIn(dir.path(), "triggers.json", "team/a.json").value(),
              root / "team" / "a.json");
    for (const char* escape : {"../x.json", "/etc/passwd", "a/../../x.json", "notes.txt"}) {
        EXPECT_FALSE(triggerFileIn(dir.path(), "triggers.json", escape).ok()) << escape;
    }
    fs::create_directory_symlink("/tmp", dir.path() / "link");
    EXPECT_FALSE(triggerFileIn(dir.path(), "triggers.json", "link/x.json").ok());
}

TEST(TriggerFileTest, ReadsTheDocumentOrABareArrayAndWritesPrivately) {
    sdk::testing::TempDirectory dir;
    const fs::path file = dir.path() / "t.json";
    EXPECT_TRUE(readTriggerFile(file).value().empty()) << "a missing file has no triggers";
    ASSERT_TRUE(writeTriggerFile(file, json::array({{{"id", "a"}}}), "now").ok());
    EXPECT_EQ(readTriggerFile(file).value()[0]["id"], "a");
    common::writePrivateFile(file, R"([{"id":"b"}])");
    EXPECT_EQ(readTriggerFile(file).value()[0]["id"], "b");
    common::writePrivateFile(file, "{broken");
    EXPECT_FALSE(readTriggerFile(file).ok());
}

TEST(TriggerFileTest, NormaliseFillsDefaultsAndChecksPromptAndSchedule) {
    json trigger = {{"prompt", "report"}, {"schedule", {{"mode", "interval"}, {"minutes", 5}}}};
    ASSERT_TRUE(normaliseTrigger(trigger, "gen-id", "2026-01-01T00:00:00.000Z").ok());
    EXPECT_EQ(trigger["id"], "gen-id");
    EXPECT_EQ(trigger["title"], "gen-id");
    EXPECT_EQ(trigger["prompt_text"], "report");
    EXPECT_EQ(trigger["enabled"], true);
    EXPECT_EQ(trigger["created_at"], "2026-01-01T00:00:00.000Z");
    json missing = {{"id", "x"}, {"schedule", {{"minutes", 5}}}};
    EXPECT_EQ(normaliseTrigger(missing, "g", "n").message(), "Trigger x missing prompt_text");
    json bad = {{"prompt_text", "p"}, {"schedule", {{"time", "99:00"}}}};
    EXPECT_FALSE(normaliseTrigger(bad, "g", "n").ok());
}

}  // namespace
}  // namespace sluice::plugins::route_runner

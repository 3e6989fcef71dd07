#include "file_watcher.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <thread>

#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_runner {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST(GlobTest, MatchesLikeTheSeed) {
    EXPECT_TRUE(std::regex_match("/w/a/b.txt", globRegex("**/*.txt")));
    EXPECT_TRUE(std::regex_match("b.txt", globRegex("**/*.txt")));
    EXPECT_FALSE(std::regex_match("/w/a/b.md", globRegex("**/*.txt")));
    EXPECT_TRUE(std::regex_match("/anything/at/all", globRegex("**/*")));
    EXPECT_FALSE(std::regex_match("a/b.txt", globRegex("*.txt")));
    EXPECT_TRUE(std::regex_match("ab.txt", globRegex("a?.txt")));
    EXPECT_TRUE(std::regex_match("a(b).txt", globRegex("a(b).txt")));
    EXPECT_FALSE(std::regex_match("aXtxt", globRegex("a.txt"))) << "a dot is literal";
}

TEST(WatchPromptTest, FillsBothVariableSets) {
    sdk::testing::TempDirectory dir;
    fs::create_directories(dir.path() / "inbox");
    std::ofstream(dir.path() / "inbox" / "note.txt") << "hello $1";
    const WatchEvent event{"add", dir.path() / "inbox" / "note.txt", dir.path()};
    const std::string prompt = renderWatchPrompt(
        "{{event_type}} {{FILENAME}} {{container_path}} {{relative}} {{size}} [{{content}}] "
        "{{file}}",
        event);
    EXPECT_EQ(prompt, "add note.txt /workspace/inbox/note.txt inbox/note.txt 8 [hello $1] " +
                          (dir.path() / "inbox" / "note.txt").string());
    EXPECT_NE(renderWatchPrompt("", event).find("File add:"), std::string::npos);
}

class Recorder {
public:
    void operator()(const WatchEvent& event) {
        std::lock_guard lock(mutex_);
        events_.push_back(event);
    }
    std::vector<WatchEvent> events() {
        std::lock_guard lock(mutex_);
        return events_;
    }

private:
    std::mutex mutex_;
    std::vector<WatchEvent> events_;
};

std::vector<WatchEvent> waitFor(Recorder& recorder, std::size_t count) {
    for (int i = 0; i < 300 && recorder.events().size() < count; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    std::this_thread::sleep_for(400ms);  // and nothing more arrives
    return recorder.events();
}

TEST(FileWatcherTest, EachDebouncedBurstStartsExactlyOneDispatch) {
    sdk::testing::TempDirectory dir;
    std::ofstream(dir.path() / "existing.txt") << "baseline";
    sdk::testing::FakeHost host;
    Recorder recorder;
    WatcherConfig config{{dir.path().string()}, "**/*.txt", "", 250ms, 20ms, true, "sk-x"};
    FileWatcher watcher(
        config, [&](const WatchEvent& e) { recorder(e); }, host.logger("test"));
    // A burst: create, modify twice, all within the debounce.
    std::ofstream(dir.path() / "a.txt") << "1";
    std::this_thread::sleep_for(40ms);
    std::ofstream(dir.path() / "a.txt", std::ios::app) << "2";
    std::this_thread::sleep_for(40ms);
    std::ofstream(dir.path() / "a.txt", std::ios::app) << "3";
    std::ofstream(dir.path() / "ignored.md") << "not matching";
    auto events = waitFor(recorder, 1);
    ASSERT_EQ(events.size(), 1u) << "one run per burst, none for the baseline or .md";
    EXPECT_EQ(events[0].path, dir.path() / "a.txt");
    // A second burst: delete.
    fs::remove(dir.path() / "a.txt");
    events = waitFor(recorder, 2);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].event_type, "delete");
    EXPECT_EQ(watcher.status()["dispatched"], 2);
}

}  // namespace
}  // namespace sluice::plugins::route_runner

#include "workspace_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_appserver {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class WorkspaceFilesTest : public ::testing::Test {
protected:
    WorkspaceFilesTest() {
        fs::create_directories(root());
        fs::create_directories(outside());
        std::ofstream(outside() / "secret.txt") << "outside";
    }
    fs::path root() const { return temp_.path() / "ws"; }
    fs::path outside() const { return temp_.path() / "elsewhere"; }
    WorkspaceFiles files(std::uint64_t max_bytes = 1024) const {
        return WorkspaceFiles(root(), {max_bytes, 3, 4});
    }
    static int status(const Reply& reply) {
        return isError(reply) ? std::get<sdk::ErrorInfo>(reply).http_status : 200;
    }

    sdk::testing::TempDirectory temp_;
};

TEST_F(WorkspaceFilesTest, WriteThenReadRoundTripsTextAndCreatesParents) {
    const Reply written = files().write("src/app.js", "console.log('hi');\n");
    ASSERT_EQ(status(written), 200);
    EXPECT_EQ(std::get<json>(written)["path"], "src/app.js");
    const Reply read = files().read("src/app.js");
    ASSERT_EQ(status(read), 200);
    EXPECT_EQ(std::get<json>(read)["content"], "console.log('hi');\n");
    EXPECT_EQ(std::get<json>(read)["binary"], false);
    EXPECT_EQ(std::get<json>(read)["size"], 19);
}

TEST_F(WorkspaceFilesTest, EscapesAreRefusedWith400) {
    EXPECT_EQ(status(files().read("../elsewhere/secret.txt")), 400);
    EXPECT_EQ(status(files().read("src/../../elsewhere/secret.txt")), 400);
    EXPECT_EQ(status(files().read((outside() / "secret.txt").string())), 400);
    EXPECT_EQ(status(files().write("../evil.txt", "x")), 400);
    EXPECT_EQ(status(files().write(std::string("a\0b", 3), "x")), 400);
    EXPECT_FALSE(fs::exists(temp_.path() / "evil.txt"));
}

TEST_F(WorkspaceFilesTest, SymlinksPointingOutsideAreRefusedAndInsideAreFollowed) {
    fs::create_symlink(outside() / "secret.txt", root() / "link.txt");
    fs::create_symlink(outside(), root() / "linkdir");
    EXPECT_EQ(status(files().read("link.txt")), 400);
    EXPECT_EQ(status(files().read("linkdir/secret.txt")), 400);
    EXPECT_EQ(status(files().write("link.txt", "overwrite")), 400);
    EXPECT_EQ(status(files().write("linkdir/new.txt", "x")), 400);
    std::ifstream check(outside() / "secret.txt");
    std::string kept;
    check >> kept;
    EXPECT_EQ(kept, "outside");

    std::ofstream(root() / "real.txt") << "inside";
    fs::create_symlink(root() / "real.txt", root() / "alias.txt");
    EXPECT_EQ(std::get<json>(files().read("alias.txt"))["content"], "inside");
}

TEST_F(WorkspaceFilesTest, SizeCapsAndBinaryFiles) {
    EXPECT_EQ(status(files(8).write("big.txt", "123456789")), 413);
    std::ofstream(root() / "big.txt") << "123456789";
    EXPECT_EQ(status(files(8).read("big.txt")), 413);
    std::ofstream(root() / "image.png", std::ios::binary) << std::string("\x89PNG\0\x01", 6);
    const Reply binary = files().read("image.png");
    ASSERT_EQ(status(binary), 200);
    EXPECT_EQ(std::get<json>(binary)["binary"], true);
    EXPECT_FALSE(std::get<json>(binary).contains("content"));
    EXPECT_EQ(status(files().read("missing.txt")), 404);
    EXPECT_EQ(status(files().read("")), 400);
}

TEST_F(WorkspaceFilesTest, TreeIsSortedPagedAndDepthBounded) {
    fs::create_directories(root() / "a/b/c/d/e");
    std::ofstream(root() / "a/one.txt") << "1";
    std::ofstream(root() / "z.txt") << "22";
    fs::create_symlink(outside(), root() / "out");
    const Reply first = files().tree("", 10, 2, "");
    ASSERT_EQ(status(first), 200);
    const json page = std::get<json>(first);
    ASSERT_EQ(page["entries"].size(), 2U);
    EXPECT_EQ(page["entries"][0]["path"], "a");
    EXPECT_EQ(page["entries"][0]["type"], "directory");
    EXPECT_EQ(page["entries"][1]["path"], "a/b");
    EXPECT_EQ(page["truncated"], true);

    std::vector<std::string> all;
    std::string cursor;
    for (int pages = 0; pages < 10; ++pages) {
        const json next = std::get<json>(files().tree("", 10, 3, cursor));
        for (const auto& entry : next["entries"]) {
            all.push_back(entry["path"]);
        }
        if (!next["truncated"].get<bool>()) {
            break;
        }
        cursor = next["nextCursor"];
    }
    // Depth is capped at the limit (4): a/b/c/d is listed, a/b/c/d/e is not; the symlink is
    // listed but not followed.
    EXPECT_EQ(all, (std::vector<std::string>{"a", "a/b", "a/b/c", "a/b/c/d", "a/one.txt", "out",
                                             "z.txt"}));
    EXPECT_EQ(status(files().tree("../elsewhere", 2, 10, "")), 400);
    EXPECT_EQ(status(files().tree("out", 2, 10, "")), 400);
}

TEST(IsTextTest, Utf8WithoutNulIsText) {
    EXPECT_TRUE(isText("plain ascii\n"));
    EXPECT_TRUE(isText("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(isText(std::string("a\0b", 3)));
    EXPECT_FALSE(isText("\xc3"));
    EXPECT_FALSE(isText("\xff\xfe"));
    EXPECT_FALSE(isText("\xe2\x82"));
}

}  // namespace
}  // namespace sluice::plugins::route_appserver

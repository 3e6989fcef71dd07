#include "sluice/plugins/common/workspace_roots.hpp"

#include <gtest/gtest.h>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::common {
namespace {

namespace fs = std::filesystem;

class WorkspaceRootsTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(dir_.path() / "root" / "project");
        fs::create_directories(dir_.path() / "outside");
        fs::create_directory_symlink(dir_.path() / "outside", dir_.path() / "root" / "link");
        fs::create_directories(dir_.path() / "rootsibling");
    }
    sdk::testing::TempDirectory dir_;
};

TEST_F(WorkspaceRootsTest, AcceptsTheRootAndDirectoriesBelowIt) {
    const WorkspaceRoots roots({(dir_.path() / "root").string()});
    const fs::path root = fs::canonical(dir_.path() / "root");
    EXPECT_EQ(roots.resolve("").value(), root);
    EXPECT_EQ(roots.resolve("project").value(), root / "project");
    EXPECT_EQ(roots.resolve((root / "project").string()).value(), root / "project");
}

TEST_F(WorkspaceRootsTest, RefusesDotDotEscapes) {
    const WorkspaceRoots roots({(dir_.path() / "root").string()});
    const auto escaped = roots.resolve("../outside");
    ASSERT_FALSE(escaped.ok());
    EXPECT_EQ(escaped.status().code(), sdk::StatusCode::InvalidArgument);
    EXPECT_NE(escaped.status().message().find("outside the configured workspace roots"),
              std::string::npos);
}

TEST_F(WorkspaceRootsTest, RefusesSymlinksThatLeaveTheRoot) {
    const WorkspaceRoots roots({(dir_.path() / "root").string()});
    EXPECT_FALSE(roots.resolve("link").ok());
    EXPECT_FALSE(roots.resolve((dir_.path() / "root" / "link").string()).ok());
}

TEST_F(WorkspaceRootsTest, APrefixOfTheNameIsNotContainment) {
    const WorkspaceRoots roots({(dir_.path() / "root").string()});
    EXPECT_FALSE(roots.resolve((dir_.path() / "rootsibling").string()).ok());
}

TEST_F(WorkspaceRootsTest, MissingDirectoriesAndNoRootsAreRefused) {
    EXPECT_FALSE(WorkspaceRoots({(dir_.path() / "root").string()}).resolve("nope").ok());
    EXPECT_FALSE(WorkspaceRoots({}).resolve("").ok());
}

TEST(IsWithinTest, ComparesWholeComponents) {
    EXPECT_TRUE(isWithin("/a/b/c", "/a/b"));
    EXPECT_TRUE(isWithin("/a/b", "/a/b"));
    EXPECT_FALSE(isWithin("/a/bc", "/a/b"));
    EXPECT_FALSE(isWithin("/a", "/a/b"));
}

}  // namespace
}  // namespace sluice::plugins::common

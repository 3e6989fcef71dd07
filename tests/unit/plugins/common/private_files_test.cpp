#include "sluice/plugins/common/private_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::common {
namespace {

unsigned modeOf(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 0;
}

TEST(PrivateFilesTest, FilesAre0600WhateverTheUmask) {
    sdk::testing::TempDirectory dir;
    const mode_t old = ::umask(0);
    ASSERT_TRUE(makePrivateDirectory(dir.path() / "x" / "y").ok());
    ASSERT_TRUE(writePrivateFile(dir.path() / "x" / "y" / "meta.json", "{}").ok());
    ASSERT_TRUE(appendPrivateFile(dir.path() / "x" / "y" / "stdout.log", "a").ok());
    ::umask(old);
    EXPECT_EQ(modeOf(dir.path() / "x"), 0700u);
    EXPECT_EQ(modeOf(dir.path() / "x" / "y"), 0700u);
    EXPECT_EQ(modeOf(dir.path() / "x" / "y" / "meta.json"), 0600u);
    EXPECT_EQ(modeOf(dir.path() / "x" / "y" / "stdout.log"), 0600u);
}

TEST(PrivateFilesTest, WriteReplacesAndAppendExtends) {
    sdk::testing::TempDirectory dir;
    const auto file = dir.path() / "f";
    ASSERT_TRUE(writePrivateFile(file, "one").ok());
    ASSERT_TRUE(writePrivateFile(file, "two").ok());
    ASSERT_TRUE(appendPrivateFile(file, "+three").ok());
    EXPECT_EQ(readWholeFile(file).value(), "two+three");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "f.tmp"));
}

TEST(PrivateFilesTest, ReadingAMissingFileIsNotFound) {
    sdk::testing::TempDirectory dir;
    EXPECT_EQ(readWholeFile(dir.path() / "missing").status().code(), sdk::StatusCode::NotFound);
}

}  // namespace
}  // namespace sluice::plugins::common

#include "sluice/plugins/common/child_environment.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sluice::plugins::common {
namespace {

TEST(ChildEnvironmentTest, RefusesVariablesThatChangeHowCodeIsLoadedOrFound) {
    for (const char* name :
         {"LD_PRELOAD", "LD_LIBRARY_PATH", "PATH", "CODEX_HOME", "NODE_OPTIONS", "BASH_ENV",
          "PYTHONPATH", "SLUICE_SECRET_KEY", "OPENAI_BASE_URL", "DYLD_INSERT_LIBRARIES", "HOME"}) {
        const auto refused = refusedVariable(name);
        ASSERT_TRUE(refused.has_value()) << name;
        EXPECT_EQ(refused->rfind(name, 0), 0u) << "the reason names the variable";
    }
}

TEST(ChildEnvironmentTest, AllowsOrdinaryVariables) {
    for (const char* name : {"MY_VAR", "DEBUG", "PATHLIKE", "LDX"}) {
        EXPECT_FALSE(refusedVariable(name).has_value()) << name;
    }
}

TEST(ChildEnvironmentTest, ValidatesNames) {
    EXPECT_TRUE(validVariableName("MY_VAR_2"));
    EXPECT_FALSE(validVariableName(""));
    EXPECT_FALSE(validVariableName("2X"));
    EXPECT_FALSE(validVariableName("A=B"));
    EXPECT_FALSE(validVariableName("A B"));
}

TEST(ChildEnvironmentTest, InheritsOnlyTheAllowList) {
    ::setenv("SLUICE_SECRET_KEY", "never-inherited", 1);
    ::setenv("CHILD_ENV_TEST_PASS", "yes", 1);
    ChildEnvironment env({"CHILD_ENV_TEST_PASS"});
    env.set("EXTRA", "1");
    const auto entries = env.entries();
    auto has = [&](const std::string& entry) {
        return std::find(entries.begin(), entries.end(), entry) != entries.end();
    };
    EXPECT_TRUE(has("CHILD_ENV_TEST_PASS=yes"));
    EXPECT_TRUE(has("EXTRA=1"));
    EXPECT_FALSE(std::any_of(entries.begin(), entries.end(),
                             [](const std::string& e) { return e.rfind("SLUICE_", 0) == 0; }));
}

}  // namespace
}  // namespace sluice::plugins::common

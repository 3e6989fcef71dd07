#pragma once

// Golden JSON-in/JSON-out cases for a translator: each <dir>/<case>.in.json has a checked-in
// <case>.out.json with what the translator must produce. SLUICE_UPDATE_GOLDEN=1 rewrites the
// expected files instead of comparing (review the diff before committing it).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace sluice::testing {

inline nlohmann::json readGoldenJson(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

/// Runs `translate` over every case in `dir` and compares with its expected output; at least
/// `min_cases` must exist, so an emptied folder cannot pass.
inline void checkGoldenCases(const std::filesystem::path& dir,
                             const std::function<nlohmann::json(const nlohmann::json&)>& translate,
                             std::size_t min_cases = 4) {
    const std::string suffix = ".in.json";
    const bool update = std::getenv("SLUICE_UPDATE_GOLDEN") != nullptr;
    std::size_t cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.size() < suffix.size() || name.substr(name.size() - suffix.size()) != suffix) {
            continue;
        }
        ++cases;
        const std::string stem = name.substr(0, name.size() - suffix.size());
        const std::filesystem::path expected_file = dir / (stem + ".out.json");
        const nlohmann::json actual = translate(readGoldenJson(entry.path()));
        if (update) {
            std::ofstream(expected_file) << actual.dump(2) << "\n";
            continue;
        }
        ASSERT_TRUE(std::filesystem::exists(expected_file)) << expected_file << " is missing";
        const nlohmann::json expected = readGoldenJson(expected_file);
        EXPECT_EQ(actual, expected) << dir.filename() << "/" << stem << "\nexpected:\n"
                                    << expected.dump(2) << "\nactual:\n"
                                    << actual.dump(2);
    }
    EXPECT_GE(cases, min_cases) << "too few golden cases in " << dir;
}

}  // namespace sluice::testing

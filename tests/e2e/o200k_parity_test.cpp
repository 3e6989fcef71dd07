// The gateway's o200k_base tokenizer (plugins/common) against the reference, the npm `tiktoken`
// package: the same token ids for every text of a corpus of request-like texts (code, prose in
// several scripts, numbers, whitespace runs) and for seeded random texts. The ranks file is the
// one the build extracts from that package's pinned tarball (packaging/o200k).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/plugins/common/o200k_tokenizer.hpp"

namespace sluice::plugins::common {
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : value;
}

// What the reference says, by running its helper under node.
nlohmann::json referenceIds() {
    const std::string command = "'" + env("SLUICE_NODE") + "' '" + env("SLUICE_TIKTOKEN_IDS") +
                                "' '" + env("SLUICE_O200K_CORPUS") + "' 400";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return nullptr;
    }
    std::string out;
    std::array<char, 65536> buffer{};
    std::size_t read = 0;
    while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        out.append(buffer.data(), read);
    }
    ::pclose(pipe);
    return nlohmann::json::parse(out, nullptr, false);
}

TEST(O200kParity, TheSameIdsAsTheTiktokenPackage) {
    const auto tokenizer = O200kTokenizer::load(env("SLUICE_O200K_RANKS"));
    const nlohmann::json reference = referenceIds();
    ASSERT_TRUE(reference.is_array()) << "the reference helper failed";
    ASSERT_GE(reference.size(), 400u);
    std::size_t tokens = 0;
    for (const auto& entry : reference) {
        const std::string text = entry.at("text").get<std::string>();
        const auto expected = entry.at("ids").get<std::vector<std::uint32_t>>();
        EXPECT_EQ(tokenizer->encode(text), expected) << nlohmann::json(text).dump();
        EXPECT_EQ(tokenizer->count(text), expected.size());
        tokens += expected.size();
    }
    EXPECT_GT(tokens, 5000u) << "the corpus is too small to mean much";
}

}  // namespace
}  // namespace sluice::plugins::common

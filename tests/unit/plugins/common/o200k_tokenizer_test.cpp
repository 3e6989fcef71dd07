#include "sluice/plugins/common/o200k_tokenizer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace sluice::plugins::common {
namespace {

using Tokens = std::vector<std::uint32_t>;

// Every byte is its own token (rank = byte value), plus the merges a test names, ranked
// 256, 257, ... in the order given.
O200kTokenizer::Ranks ranksWith(std::initializer_list<const char*> merges) {
    O200kTokenizer::Ranks ranks;
    for (int byte = 0; byte < 256; ++byte) {
        ranks.emplace(std::string(1, static_cast<char>(byte)), byte);
    }
    std::uint32_t next = 256;
    for (const char* merge : merges) {
        ranks.emplace(merge, next++);
    }
    return ranks;
}

TEST(O200kTokenizer, MergesTheLowestRankedPairFirst) {
    // "ab" outranks "bc": "abc" becomes "ab"+"c" and then "abc" only if ranked.
    const O200kTokenizer tokenizer(ranksWith({"ab", "bc", "abc"}));
    EXPECT_EQ(tokenizer.encode("abc"), (Tokens{258}));
    const O200kTokenizer other(ranksWith({"bc", "ab"}));
    EXPECT_EQ(other.encode("abc"), (Tokens{'a', 256}));
}

TEST(O200kTokenizer, EqualRanksMergeLeftmostFirst) {
    const O200kTokenizer tokenizer(ranksWith({"aa"}));
    EXPECT_EQ(tokenizer.encode("aaa"), (Tokens{256, 'a'}));
    EXPECT_EQ(tokenizer.encode("aaaa"), (Tokens{256, 256}));
}

TEST(O200kTokenizer, MergesNeverCrossThePreTokenizersPieces) {
    // "o w" is a token but " w" starts its own piece (a word takes its leading space).
    const O200kTokenizer tokenizer(ranksWith({"o w", " w", "ow"}));
    EXPECT_EQ(tokenizer.encode("o w"), (Tokens{'o', 257}));
    // Digits go in runs of at most three.
    const O200kTokenizer digits(ranksWith({"12", "123", "1234"}));
    EXPECT_EQ(digits.encode("1234"), (Tokens{257, '4'}));
}

TEST(O200kTokenizer, SplitsUnicodeLettersMarksAndNumbersByCategory) {
    const O200kTokenizer tokenizer(ranksWith({" \xC3\xA9t\xC3\xA9", "\xD9\xA3", "\xC2\xA0",
                                              "\xC2\xA0"
                                              "b"}));
    // " été" is one word piece (é is a lowercase letter); "Ù£" (U+0663, ARABIC-INDIC THREE) is
    // a number, so it is a piece of its own even when glued to letters.
    EXPECT_EQ(tokenizer.encode(" \xC3\xA9t\xC3\xA9"), (Tokens{256}));
    EXPECT_EQ(tokenizer.encode("x\xD9\xA3"), (Tokens{'x', 257}));
    // A no-break space is Unicode whitespace (\s with UCP): of a run of two before a word, the
    // last joins the word. Read as punctuation, both would form one piece.
    EXPECT_EQ(tokenizer.encode("a\xC2\xA0\xC2\xA0"
                               "b"),
              (Tokens{'a', 258, 259}));
}

TEST(O200kTokenizer, CountsEveryByteOfLongAndInvalidText) {
    const O200kTokenizer tokenizer(ranksWith({}));
    const std::string long_word(100000, 'q');
    EXPECT_EQ(tokenizer.count(long_word), long_word.size());
    EXPECT_EQ(tokenizer.count("ok \xFF\xFE broken"), 12u) << "invalid UTF-8 still counts";
    EXPECT_EQ(tokenizer.count(""), 0u);
}

TEST(O200kTokenizer, LoadsATiktokenRanksFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("sluice_ranks_" + std::to_string(::getpid()) + ".tiktoken");
    {
        std::ofstream out(path);
        for (int byte = 0; byte < 256; ++byte) {
            static const char* kAlphabet =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            out << kAlphabet[byte >> 2] << kAlphabet[(byte & 3) << 4] << "== " << byte << "\n";
        }
        out << "aGk= 256\n";  // "hi"
    }
    const auto tokenizer = O200kTokenizer::load(path.string());
    EXPECT_EQ(tokenizer->encode("hi!"), (Tokens{256, '!'}));

    std::ofstream(path, std::ios::app) << "not base64! 300\n";
    try {
        (void)O200kTokenizer::load(path.string());
        ADD_FAILURE() << "a malformed line loaded";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(":258:"), std::string::npos) << error.what();
    }
    std::filesystem::remove(path);
    EXPECT_THROW((void)O200kTokenizer::load(path.string()), std::runtime_error);
}

TEST(O200kTokenizer, RefusesRanksWithoutEveryByte) {
    O200kTokenizer::Ranks ranks = ranksWith({});
    ranks.erase(std::string(1, 'z'));
    EXPECT_THROW(O200kTokenizer{std::move(ranks)}, std::runtime_error);
}

}  // namespace
}  // namespace sluice::plugins::common

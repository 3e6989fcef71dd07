#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::plugins::common {

/// The o200k_base byte-level BPE tokenizer (the GPT-4o / GPT-5 family): text is pre-split by
/// the o200k pattern (Unicode letter, mark and number classes, through PCRE2 with UTF and
/// UCP), then each piece's bytes are merged pair by pair, lowest rank first, as tiktoken does.
/// The ranks come from an o200k_base.tiktoken file (one `<base64 token> <rank>` per line), read
/// once at start and kept in memory. Special tokens are ordinary text here. Immutable after
/// construction; encode() and count() may run on any number of threads at once.
class O200kTokenizer final {
public:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view bytes) const noexcept {
            return std::hash<std::string_view>{}(bytes);
        }
    };
    using Ranks = std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>>;

    /// A tokenizer over `ranks`, which must hold every single byte. Throws std::runtime_error
    /// when it does not. Config time.
    explicit O200kTokenizer(Ranks ranks);
    ~O200kTokenizer();
    O200kTokenizer(const O200kTokenizer&) = delete;
    O200kTokenizer& operator=(const O200kTokenizer&) = delete;

    /// Reads a .tiktoken ranks file. Throws std::runtime_error saying what is wrong (unreadable,
    /// a malformed line and its number, a missing byte). Config time.
    static std::unique_ptr<const O200kTokenizer> load(const std::string& path);

    /// The token ids of `text` (UTF-8; invalid sequences are tokenized as bytes).
    std::vector<std::uint32_t> encode(std::string_view text) const;
    /// The number of tokens of `text`.
    std::size_t count(std::string_view text) const;

private:
    struct Pattern;

    void encodePiece(std::string_view piece, std::vector<std::uint32_t>& out) const;
    std::uint32_t rankOf(std::string_view bytes) const;

    Ranks ranks_;
    std::unique_ptr<Pattern> pattern_;
};

using O200kTokenizerPtr = std::shared_ptr<const O200kTokenizer>;

}  // namespace sluice::plugins::common

#include "sluice/plugins/common/o200k_tokenizer.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <fstream>
#include <limits>
#include <queue>
#include <stdexcept>

namespace sluice::plugins::common {

namespace {

// The o200k_base pre-tokenizer: words with an optional leading non-letter (cased runs kept
// apart), English contractions, numbers of up to three digits, punctuation runs with their
// trailing line breaks, line-break runs, and whitespace (a run before a word leaves its last
// space to the word).
constexpr std::string_view kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?)"
    R"(|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kJitStackBytes = 1 << 20;

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

// Appends the bytes of standard padded base64 to `out`; false when `text` is not that.
bool base64Decode(std::string_view text, std::string& out) {
    if (text.empty() || text.size() % 4 != 0) {
        return false;
    }
    std::uint32_t bits = 0;
    int held = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '=') {
            return i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
        }
        const int value = base64Value(text[i]);
        if (value < 0) {
            return false;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        held += 6;
        if (held >= 8) {
            held -= 8;
            out.push_back(static_cast<char>((bits >> held) & 0xFF));
        }
    }
    return true;
}

}  // namespace

struct O200kTokenizer::Pattern {
    pcre2_code* code = nullptr;

    Pattern() {
        int error = 0;
        PCRE2_SIZE offset = 0;
        code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kPattern.data()), kPattern.size(),
                             PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
        if (code == nullptr) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(error, message, sizeof(message));
            throw std::runtime_error("the o200k pattern does not compile: " +
                                     std::string(reinterpret_cast<const char*>(message)));
        }
        // Without JIT support PCRE2 interprets the pattern; the answers are the same.
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    }
    ~Pattern() { pcre2_code_free(code); }
    Pattern(const Pattern&) = delete;
    Pattern& operator=(const Pattern&) = delete;
};

O200kTokenizer::O200kTokenizer(Ranks ranks)
    : ranks_(std::move(ranks)), pattern_(std::make_unique<Pattern>()) {
    for (int byte = 0; byte < 256; ++byte) {
        if (ranks_.find(std::string(1, static_cast<char>(byte))) == ranks_.end()) {
            throw std::runtime_error("the ranks have no token for byte " + std::to_string(byte));
        }
    }
}

O200kTokenizer::~O200kTokenizer() = default;

std::unique_ptr<const O200kTokenizer> O200kTokenizer::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    Ranks ranks;
    ranks.reserve(200000);
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) {
            continue;
        }
        const std::size_t space = line.find(' ');
        std::string token;
        std::uint64_t rank = 0;
        bool ok = space != std::string::npos && space + 1 < line.size() &&
                  base64Decode(std::string_view(line).substr(0, space), token);
        for (std::size_t i = space + 1; ok && i < line.size(); ++i) {
            ok = line[i] >= '0' && line[i] <= '9' && rank < kNoRank;
            rank = rank * 10 + static_cast<std::uint64_t>(line[i] - '0');
        }
        if (!ok || rank >= kNoRank || !ranks.emplace(std::move(token), rank).second) {
            throw std::runtime_error(path + ":" + std::to_string(number) +
                                     ": not a '<base64 token> <rank>' line of a new token");
        }
    }
    if (ranks.empty()) {
        throw std::runtime_error(path + " holds no ranks");
    }
    return std::make_unique<const O200kTokenizer>(std::move(ranks));
}

std::uint32_t O200kTokenizer::rankOf(std::string_view bytes) const {
    const auto found = ranks_.find(bytes);
    return found == ranks_.end() ? kNoRank : found->second;
}

// Byte-level BPE: the piece starts as single bytes; the adjacent pair whose concatenation has
// the lowest rank (the leftmost among equals) merges first, until no pair is a token. Parts
// form a linked list and candidate pairs a min-heap, so long pieces cost n log n, not n².
void O200kTokenizer::encodePiece(std::string_view piece, std::vector<std::uint32_t>& out) const {
    if (const std::uint32_t whole = rankOf(piece); whole != kNoRank) {
        out.push_back(whole);
        return;
    }
    const std::size_t n = piece.size();
    std::vector<std::size_t> next(n);
    std::vector<std::size_t> prev(n);
    std::vector<std::uint32_t> pair_rank(n, kNoRank);  // rank of the pair starting at part i
    for (std::size_t i = 0; i < n; ++i) {
        next[i] = i + 1;
        prev[i] = i == 0 ? n : i - 1;
    }
    const auto end_of = [&](std::size_t i) { return i < n ? next[i] : n; };
    using Candidate = std::pair<std::uint32_t, std::size_t>;
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    const auto consider = [&](std::size_t i) {
        if (i >= n || next[i] >= n) {
            if (i < n) {
                pair_rank[i] = kNoRank;
            }
            return;
        }
        pair_rank[i] = rankOf(piece.substr(i, end_of(next[i]) - i));
        if (pair_rank[i] != kNoRank) {
            heap.emplace(pair_rank[i], i);
        }
    };
    for (std::size_t i = 0; i + 1 < n; ++i) {
        consider(i);
    }
    std::vector<bool> alive(n, true);
    while (!heap.empty()) {
        const auto [rank, i] = heap.top();
        heap.pop();
        if (!alive[i] || pair_rank[i] != rank) {
            continue;  // a pair that has changed since it was queued
        }
        const std::size_t gone = next[i];
        alive[gone] = false;
        next[i] = next[gone];
        if (next[i] < n) {
            prev[next[i]] = i;
        }
        consider(i);
        if (prev[i] < n) {
            consider(prev[i]);
        }
    }
    for (std::size_t i = 0; i < n; i = next[i]) {
        out.push_back(rankOf(piece.substr(i, next[i] - i)));
    }
}

namespace {

// One encode() call's PCRE2 state. The JIT runs on a small stack of the machine's own; only a
// text that needs more (a very long run) gets a stack of its own, once.
struct MatchScratch {
    pcre2_match_data* match = nullptr;
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* stack = nullptr;

    explicit MatchScratch(const pcre2_code* code)
        : match(pcre2_match_data_create_from_pattern(code, nullptr)) {
        if (match == nullptr) {
            throw std::bad_alloc();
        }
    }
    ~MatchScratch() {
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(stack);
        pcre2_match_data_free(match);
    }
    MatchScratch(const MatchScratch&) = delete;
    MatchScratch& operator=(const MatchScratch&) = delete;

    /// False when the larger stack is already in use (or cannot be had).
    bool enlargeStack() {
        if (stack != nullptr) {
            return false;
        }
        stack = pcre2_jit_stack_create(32 * 1024, kJitStackBytes, nullptr);
        context = pcre2_match_context_create(nullptr);
        if (stack == nullptr || context == nullptr) {
            return false;
        }
        pcre2_jit_stack_assign(context, nullptr, stack);
        return true;
    }
};

}  // namespace

std::vector<std::uint32_t> O200kTokenizer::encode(std::string_view text) const {
    std::vector<std::uint32_t> tokens;
    MatchScratch scratch(pattern_->code);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t at = 0;
    std::uint32_t options = 0;
    while (at < text.size()) {
        const int found = pcre2_match(pattern_->code, subject, text.size(), at, options,
                                      scratch.match, scratch.context);
        if (found == PCRE2_ERROR_JIT_STACKLIMIT && scratch.enlargeStack()) {
            continue;
        }
        const PCRE2_SIZE* span = pcre2_get_ovector_pointer(scratch.match);
        if (found < 0 || span[0] != at || span[1] <= at) {
            // Invalid UTF-8 or a resource limit: what is left is merged as one piece, so no
            // byte goes uncounted. (Every character starts some match of the pattern.)
            encodePiece(text.substr(at), tokens);
            break;
        }
        options = PCRE2_NO_UTF_CHECK;  // the first match checked the whole subject
        encodePiece(text.substr(at, span[1] - at), tokens);
        at = span[1];
    }
    return tokens;
}

std::size_t O200kTokenizer::count(std::string_view text) const {
    return encode(text).size();
}

}  // namespace sluice::plugins::common

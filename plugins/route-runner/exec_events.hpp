#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::plugins::route_runner {

/// Token counts as `codex exec` reports them in `turn.completed` (thread-cumulative on resume).
struct RunUsage {
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t cache_write_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t reasoning_output_tokens = 0;

    std::uint64_t total() const noexcept { return input_tokens + output_tokens; }
    /// `this` minus an earlier cumulative snapshot of the same thread (never below zero).
    RunUsage since(const RunUsage& earlier) const noexcept;
    nlohmann::json toJson() const;
    static RunUsage fromJson(const nlohmann::json& usage);
};

/// What one run's JSONL said.
struct ExecTranscript {
    std::string thread_id;
    std::string output;  ///< the last agent message
    nlohmann::json tool_calls = nlohmann::json::array();
    nlohmann::json events = nlohmann::json::array();  ///< parsed events, at most kMaxEvents
    std::optional<RunUsage> usage;
    std::optional<std::string> failure;  ///< turn.failed's message
    bool completed = false;              ///< turn.completed seen
};

/// Splits `codex exec --json` stdout into lines and folds the events into a transcript. Knows
/// the current event names (thread.started, item.completed, turn.completed, turn.failed) and
/// the legacy `{"msg":{...}}` lines; top-level `error` events ("Reconnecting…") are kept as
/// events and are not failures. Lines that are not JSON are ignored. One thread.
class ExecEventParser final {
public:
    static constexpr std::size_t kMaxEvents = 5000;
    static constexpr std::size_t kMaxLineBytes = 4 << 20;

    void feed(std::string_view bytes);
    /// Parses a last line that had no newline.
    void finish();
    const ExecTranscript& transcript() const noexcept { return transcript_; }

private:
    void parseLine(std::string_view line);
    void onEvent(const nlohmann::json& event);
    void onItem(const nlohmann::json& item);
    void onLegacy(const nlohmann::json& msg);

    std::string partial_;
    ExecTranscript transcript_;
};

}  // namespace sluice::plugins::route_runner

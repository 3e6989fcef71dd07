#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "session_store.hpp"

namespace sluice::plugins::route_runner {

/// The last `lines` lines of `text` (a trailing newline does not count as an empty line).
std::string tailLines(const std::string& text, int lines);

/// GET /sessions item: the seed's `{session_id, dir, modified, metadata}` plus the code's keys.
nlohmann::json sessionSummary(const SessionView& session);

struct DetailOptions {
    int tail_lines = 200;
    bool include_stderr = false;
    bool include_events = false;
};

/// GET /sessions/:id: meta plus `stdout`/`stderr` tails and `events` (read from disk).
nlohmann::json sessionDetail(const SessionView& session, const DetailOptions& options);

struct SearchOptions {
    std::string query;
    bool fuzzy = false;
    int max_results = 5;
    double min_score = 0.34;
    std::size_t context_chars = 160;
    int tail_lines = 0;  ///< 0: the whole log
};

/// Signals in stdout.log: exact (case-insensitive substring, score 1, ±context chars) or fuzzy
/// (share of query words present in a line, at least min_score), in document order, each with
/// its 1-based `line`, `score`, `context` (and the code's `snippet`, `signal_type`).
nlohmann::json searchSession(const SessionView& session, const SearchOptions& options);

}  // namespace sluice::plugins::route_runner

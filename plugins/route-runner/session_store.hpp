#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_runner {

/// One session as the store holds it: `meta` is meta.json's document (session_id,
/// codex_session_id, created_at, updated_at, status, model, secure, workspace, metadata,
/// owner_key, usage_total, runs[]).
struct SessionView {
    nlohmann::json meta;
    std::filesystem::path dir;
};

/// Sessions on disk, one directory each (`<state>/sessions/session-<id>/`, secure ones under
/// `<state>/secure/`) holding meta.json, stdout.log, stderr.log and events.jsonl, all 0600. The
/// index (gateway id, Codex thread id) is in memory, loaded at start; meta.json is rewritten
/// after every change. Thread-safe.
class SessionStore final {
public:
    /// Scans both roots; directories without a readable meta.json are skipped (never deleted).
    /// `secure_dir` empty: `<state_dir>/secure`.
    explicit SessionStore(const std::filesystem::path& state_dir,
                          const std::filesystem::path& secure_dir = {});

    /// A new idle session (id `session-<32 hex>`), already on disk.
    sdk::Result<SessionView> create(bool secure, const std::string& owner_key,
                                    std::chrono::system_clock::time_point now,
                                    const std::string& random_hex);
    /// By gateway id (with or without the `session-` prefix) or Codex thread id.
    std::optional<SessionView> find(const std::string& id) const;
    /// Marks the session busy; false when a run holds it already (the caller answers 409).
    bool tryBegin(const std::string& session_id);
    void end(const std::string& session_id);
    /// Applies `change` to the meta document and rewrites meta.json.
    sdk::Status update(const std::string& session_id,
                       const std::function<void(nlohmann::json&)>& change);
    /// Newest first by updated_at; `since` (ISO text compare on UTC instants) filters; secure
    /// sessions only when `include_secure`.
    std::vector<SessionView> list(std::size_t limit, const std::string& since,
                                  bool include_secure) const;
    const std::filesystem::path& root() const noexcept { return sessions_root_; }

private:
    struct Entry {
        nlohmann::json meta;
        std::filesystem::path dir;
        bool running = false;
    };
    void load(const std::filesystem::path& root);
    std::string canonicalId(const std::string& id) const;

    std::filesystem::path sessions_root_;
    std::filesystem::path secure_root_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> sessions_;
    std::map<std::string, std::string> by_thread_;
};

/// ISO 8601 UTC with milliseconds, e.g. "2026-12-06T22:35:05.123Z".
std::string isoTime(std::chrono::system_clock::time_point instant);
/// Parses "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z" or a "+HH:MM" offset (none means UTC).
std::optional<std::chrono::system_clock::time_point> parseIsoTime(const std::string& text);

}  // namespace sluice::plugins::route_runner

#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_runner {

/// Who started a run (metrics label and session metadata).
enum class RunSource { Api, Trigger, Watcher };
const char* runSourceName(RunSource source) noexcept;

/// One run as the runner executes it, whoever asked for it.
struct RunRequest {
    std::string prompt;  ///< assembled: system prompt, then the messages or the prompt text
    std::string model;
    std::string workspace;   ///< as requested; confined by WorkspaceRoots
    std::string session_id;  ///< continue this session; empty: a new one
    bool secure = false;     ///< a new session goes under the secure root
    std::optional<std::chrono::milliseconds> timeout;
    std::map<std::string, std::string> env;
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json messages = nlohmann::json::array();
    bool include_events = false;
    std::string payer;  ///< the Pool API key prefix the run is accounted to
    RunSource source = RunSource::Api;
    std::string trigger_id;    ///< for trigger fires
    std::string objective;     ///< the public code's extras, kept in the session's meta.json
    std::string nudge_prompt;  ///< what /nudge sends when its body names no prompt
};

/// Which body a route reads: /completion, /sessions/:id/prompt or /sessions/:id/nudge.
enum class BodyKind { Completion, Prompt, Nudge };

/// Parses and validates a request body in the seed's shapes (and the public code's aliases:
/// `cwd` for `workspace`, `max_duration_ms` for `timeout_ms`, `secure_session`, `tail`).
/// InvalidArgument names the offending field; env variables are checked against the refused
/// table. A nudge without prompt or messages takes `fallback_prompt`.
sdk::Result<RunRequest> parseRunRequest(const nlohmann::json& body, BodyKind kind,
                                        const std::string& fallback_prompt = {});

/// The prompt codex reads on stdin: "System:\n<system>\n\n" when there is a system prompt,
/// then a lone user message as is, or a role-labelled transcript ending with "Assistant:".
std::string assemblePrompt(const std::string& system_prompt, const nlohmann::json& messages);

}  // namespace sluice::plugins::route_runner

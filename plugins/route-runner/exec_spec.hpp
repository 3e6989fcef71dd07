#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "codex_run.hpp"
#include "run_request.hpp"
#include "runner_config.hpp"
#include "session_store.hpp"

namespace sluice::plugins::route_runner {

/// The variable that carries the delegated credential to the child (the provider's env_key).
inline constexpr const char* kCredentialVariable = "SLUICE_RUNNER_API_KEY";

/// How one run starts `codex exec`: `<codex_bin> exec <json_flag> --color never
/// --skip-git-repo-check [--dangerously-bypass-approvals-and-sandbox] [-m model] [extra_args]
/// [resume <thread>] -` in the workspace, with an environment of the allow-listed gateway
/// variables, the request's `env`, NO_PROXY covering loopback, the session's CODEX_HOME and the
/// credential. Nothing secret is on the command line.
ExecSpec execSpec(const RunnerConfig& config, const RunRequest& request, const SessionView& session,
                  const std::filesystem::path& workspace, const std::string& credential,
                  std::chrono::steady_clock::time_point deadline);

}  // namespace sluice::plugins::route_runner

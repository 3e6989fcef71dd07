#include "exec_spec.hpp"

#include <cstdlib>

#include "sluice/plugins/common/child_environment.hpp"

namespace sluice::plugins::route_runner {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string loopbackNoProxy() {
    const char* existing = std::getenv("NO_PROXY");  // NOLINT(concurrency-mt-unsafe)
    const std::string ours = "127.0.0.1,localhost,::1";
    return existing != nullptr && *existing != '\0' ? std::string(existing) + "," + ours : ours;
}

}  // namespace

ExecSpec execSpec(const RunnerConfig& config, const RunRequest& request, const SessionView& session,
                  const fs::path& workspace, const std::string& credential,
                  std::chrono::steady_clock::time_point deadline) {
    std::vector<std::string> argv{config.codex_bin, "exec",  config.json_flag,
                                  "--color",        "never", "--skip-git-repo-check"};
    if (config.sandbox == "bypass") {
        argv.emplace_back("--dangerously-bypass-approvals-and-sandbox");
    }
    const std::string model = request.model.empty() ? config.default_model : request.model;
    if (!model.empty()) {
        argv.insert(argv.end(), {"-m", model});
    }
    argv.insert(argv.end(), config.extra_args.begin(), config.extra_args.end());
    const json thread = session.meta.value("codex_session_id", json());
    if (thread.is_string() && !thread.get<std::string>().empty()) {
        argv.insert(argv.end(), {"resume", thread.get<std::string>()});
    }
    argv.emplace_back("-");

    common::ChildEnvironment env(config.pass_env);
    for (const auto& [name, value] : request.env) {
        env.set(name, value);
    }
    env.set("NO_PROXY", loopbackNoProxy());
    env.set("CODEX_HOME", (session.dir / "codex-home").string());
    env.set(kCredentialVariable, credential);
    return {{std::move(argv), env.entries(), workspace.string()},
            request.prompt,
            deadline,
            config.kill_grace};
}

}  // namespace sluice::plugins::route_runner

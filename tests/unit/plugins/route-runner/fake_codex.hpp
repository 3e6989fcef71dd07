#pragma once

#include <filesystem>
#include <fstream>

namespace sluice::plugins::route_runner {

// A stand-in for `codex exec --json`: counts its runs in $CODEX_HOME/runs, fails the runs listed
// in $CODEX_HOME/fail, and reports thread-cumulative usage (10 input, 1 output per run so far).
inline constexpr const char* kFakeCodex = R"(#!/bin/sh
cat > /dev/null
n=$(( $(cat "$CODEX_HOME/runs" 2>/dev/null || echo 0) + 1 ))
echo $n > "$CODEX_HOME/runs"
if grep -qx "$n" "$CODEX_HOME/fail" 2>/dev/null; then echo "run $n failed" >&2; exit 1; fi
case " $* " in *" resume "*) ;; *) echo '{"type":"thread.started","thread_id":"thread-1"}' ;; esac
echo "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"answer $n\"}}"
echo "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":$((n*10)),\"output_tokens\":$n}}"
)";

/// Writes the stand-in as an executable `fake-codex` in `dir` and returns its path.
inline std::filesystem::path writeFakeCodex(const std::filesystem::path& dir) {
    const std::filesystem::path codex = dir / "fake-codex";
    std::ofstream(codex) << kFakeCodex;
    std::filesystem::permissions(codex, std::filesystem::perms::owner_all);
    return codex;
}

}  // namespace sluice::plugins::route_runner

#include "token_ledger.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

std::uint64_t count(const json& breakdown, const char* key) {
    const auto found = breakdown.find(key);
    return found != breakdown.end() && found->is_number_unsigned() ? found->get<std::uint64_t>()
                                                                   : 0;
}

/// The growth of one counter, or nullopt when it shrank.
std::optional<std::uint64_t> growth(std::uint64_t now, std::uint64_t before) {
    return now >= before ? std::optional(now - before) : std::nullopt;
}

}  // namespace

std::optional<sdk::ProjectTokens> threadTotal(const json& params) {
    const auto usage = params.find("tokenUsage");
    if (usage == params.end() || !usage->is_object()) {
        return std::nullopt;
    }
    const auto total = usage->find("total");
    if (total == usage->end() || !total->is_object()) {
        return std::nullopt;
    }
    return sdk::ProjectTokens{count(*total, "inputTokens"), count(*total, "cachedInputTokens"),
                              count(*total, "outputTokens"), count(*total, "reasoningOutputTokens"),
                              count(*total, "totalTokens")};
}

void adoptThread(sdk::ProjectRecord& project, const std::string& thread_id) {
    if (project.thread_id != thread_id) {
        project.thread_id = thread_id;
        project.accounted_snapshot = {};
    }
}

sdk::ProjectTokens accountThreadTotal(sdk::ProjectRecord& project, const std::string& thread_id,
                                      const sdk::ProjectTokens& total) {
    if (thread_id.empty() || project.thread_id != thread_id) {
        return {};
    }
    const sdk::ProjectTokens& before = project.accounted_snapshot;
    const auto input = growth(total.input_tokens, before.input_tokens);
    const auto cached = growth(total.cached_input_tokens, before.cached_input_tokens);
    const auto output = growth(total.output_tokens, before.output_tokens);
    const auto reasoning = growth(total.reasoning_tokens, before.reasoning_tokens);
    const auto all = growth(total.total_tokens, before.total_tokens);
    project.accounted_snapshot = total;
    if (!input || !cached || !output || !reasoning || !all) {
        return {};
    }
    const sdk::ProjectTokens delta{*input, *cached, *output, *reasoning, *all};
    sdk::ProjectTokens& sum = project.accounted_total;
    sum.input_tokens += delta.input_tokens;
    sum.cached_input_tokens += delta.cached_input_tokens;
    sum.output_tokens += delta.output_tokens;
    sum.reasoning_tokens += delta.reasoning_tokens;
    sum.total_tokens += delta.total_tokens;
    return delta;
}

bool isZero(const sdk::ProjectTokens& tokens) noexcept {
    return tokens.input_tokens == 0 && tokens.cached_input_tokens == 0 &&
           tokens.output_tokens == 0 && tokens.reasoning_tokens == 0 && tokens.total_tokens == 0;
}

json tokensJson(const sdk::ProjectTokens& tokens) {
    return {{"inputTokens", tokens.input_tokens},
            {"cachedInputTokens", tokens.cached_input_tokens},
            {"outputTokens", tokens.output_tokens},
            {"reasoningOutputTokens", tokens.reasoning_tokens},
            {"totalTokens", tokens.total_tokens}};
}

}  // namespace sluice::plugins::route_appserver

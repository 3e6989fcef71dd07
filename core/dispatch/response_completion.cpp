#include "core/dispatch/response_completion.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

std::uint64_t count(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

sdk::TokenUsage usageFrom(const json& usage) {
    sdk::TokenUsage out;
    if (!usage.is_object()) {
        return out;
    }
    out.input_tokens = count(usage, "input_tokens");
    out.output_tokens = count(usage, "output_tokens");
    out.total_tokens = count(usage, "total_tokens");
    if (const auto details = usage.find("input_tokens_details"); details != usage.end() && details->is_object()) {
        out.cached_input_tokens = count(*details, "cached_tokens");
    }
    if (const auto details = usage.find("output_tokens_details"); details != usage.end() && details->is_object()) {
        out.reasoning_tokens = count(*details, "reasoning_tokens");
    }
    if (out.total_tokens == 0) {
        out.total_tokens = out.input_tokens + out.output_tokens;
    }
    return out;
}

}  // namespace

ResponseCompletion readCompletion(std::string_view json_text) {
    ResponseCompletion completion;
    const json document = json::parse(json_text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return completion;
    }
    const auto response = document.find("response");
    const json& holder = response != document.end() && response->is_object() ? *response : document;
    if (const auto usage = holder.find("usage"); usage != holder.end()) {
        completion.usage = usageFrom(*usage);
    }
    if (const auto id = holder.find("id"); id != holder.end() && id->is_string()) {
        completion.response_id = id->get<std::string>();
    }
    return completion;
}

void addUsage(sdk::TokenUsage& total, const sdk::TokenUsage& part) noexcept {
    total.input_tokens += part.input_tokens;
    total.cached_input_tokens += part.cached_input_tokens;
    total.output_tokens += part.output_tokens;
    total.reasoning_tokens += part.reasoning_tokens;
    total.total_tokens += part.total_tokens;
}

}  // namespace sluice::core::dispatch

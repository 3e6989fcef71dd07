#include "core/dispatch/response_completion.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/security/bounded_json.hpp"
#include "core/upstream/json_scan.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

// A count where one belongs; any other value (negative, fractional, a string) reads as 0.
std::uint64_t countAt(std::string_view object, std::string_view name) {
    const auto literal = upstream::topLevelLiteral(object, name);
    std::uint64_t value = 0;
    if (!literal ||
        std::from_chars(literal->data(), literal->data() + literal->size(), value).ptr !=
            literal->data() + literal->size()) {
        return 0;
    }
    return value;
}

std::string_view memberObject(std::string_view object, std::string_view name) {
    const auto member = upstream::topLevelValue(object, name);
    return member && member->front() == '{' ? *member : std::string_view();
}

sdk::TokenUsage usageOf(std::string_view usage) {
    sdk::TokenUsage out;
    out.input_tokens = countAt(usage, "input_tokens");
    out.output_tokens = countAt(usage, "output_tokens");
    out.total_tokens = countAt(usage, "total_tokens");
    out.cached_input_tokens = countAt(memberObject(usage, "input_tokens_details"), "cached_tokens");
    out.reasoning_tokens =
        countAt(memberObject(usage, "output_tokens_details"), "reasoning_tokens");
    return out;
}

std::string idOf(std::string_view holder) {
    const auto raw = upstream::topLevelString(holder, "id");
    if (!raw) {
        return {};
    }
    if (raw->find('\\') == std::string_view::npos) {
        return std::string(*raw);
    }
    const json unescaped = security::parseJson("\"" + std::string(*raw) + "\"");
    return unescaped.is_string() ? unescaped.get<std::string>() : std::string();
}

}  // namespace

// Every answer and every stream ends with a completion that carries the whole response, output
// text included. Parsing all of it cost about 90 instructions per byte, one of the largest costs
// of a request; the scanner reads the few members needed in a few instructions per byte.
ResponseCompletion readCompletion(std::string_view json_text) {
    if (!upstream::isFramedObject(json_text)) {
        return {};
    }
    const std::string_view response = memberObject(json_text, "response");
    const std::string_view holder = response.empty() ? json_text : response;
    ResponseCompletion completion;
    completion.response_id = idOf(holder);
    if (const std::string_view usage = memberObject(holder, "usage"); !usage.empty()) {
        completion.usage = usageOf(usage);
    }
    if (completion.usage.total_tokens == 0) {
        completion.usage.total_tokens =
            completion.usage.input_tokens + completion.usage.output_tokens;
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

#include "sluice/plugins/common/input_tokens.hpp"

#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::common {

namespace {

using json = nlohmann::json;

constexpr std::uint64_t kImageTokens = 1600;
constexpr std::uint64_t kItemFraming = 4;

// Keys whose strings are identifiers or tags rather than text the model reads as such.
bool isTag(std::string_view key) {
    return key == "type" || key == "role" || key == "call_id" || key == "detail" || key == "id" ||
           key == "status" || key == "file_id" || key == "file_url";
}

void walk(const json& value, std::string_view key, const O200kTokenizer& tokenizer,
          std::uint64_t& total) {
    if (value.is_string()) {
        if (key == "image_url") {
            total += kImageTokens;
        } else if (!isTag(key)) {
            total += tokenizer.count(value.get_ref<const std::string&>());
        }
    } else if (value.is_object()) {
        total += kItemFraming;
        for (const auto& [name, member] : value.items()) {
            walk(member, name, tokenizer, total);
        }
    } else if (value.is_array()) {
        for (const json& element : value) {
            walk(element, key, tokenizer, total);
        }
    }
}

}  // namespace

std::uint64_t countInputTokens(const json& responses_body, const O200kTokenizer& tokenizer) {
    std::uint64_t total = 0;
    if (!responses_body.is_object()) {
        return total;
    }
    for (const char* part : {"instructions", "input", "tools"}) {
        if (responses_body.contains(part)) {
            walk(responses_body[part], part, tokenizer, total);
        }
    }
    return total;
}

sdk::ConfigField o200kRanksField() {
    return sdk::field::string(
               "o200k_ranks_path",
               "o200k_base ranks (.tiktoken) for exact count_tokens answers, which "
               "the build fetches (packaging/o200k) and the package installs; without "
               "the file count_tokens is unavailable")
        .defaultsTo("/usr/share/sluice/o200k_base.tiktoken");
}

O200kTokenizerPtr loadO200kTokenizer(const sdk::ConfigNode& config, std::string_view key) {
    const std::string path = sdk::config::getString(config, key);
    std::error_code error;
    if (path.empty() || !std::filesystem::exists(path, error)) {
        return nullptr;
    }
    try {
        return O200kTokenizer::load(path);
    } catch (const std::runtime_error& e) {
        refuseConfig(config, key, e.what());
    }
}

sdk::ErrorInfo tokenizerUnavailable() {
    sdk::ErrorInfo error;
    error.http_status = 500;
    error.type = "server_error";
    error.code = "tokenizer_unavailable";
    error.message = "Token counting is unavailable: the gateway was started without its tokenizer.";
    return error;
}

}  // namespace sluice::plugins::common

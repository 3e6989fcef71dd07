#include "tests/emulator/model_catalog.hpp"

#include <cstdint>
#include <cstdio>

namespace sluice::emulator {
namespace {

/// FNV-1a: the ETag only has to change when the body does.
std::string etagOf(const std::string& body) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char c : body) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char text[32];
    std::snprintf(text, sizeof text, "\"emu-%016llx\"", static_cast<unsigned long long>(hash));
    return text;
}

nlohmann::json reasoningLevels() {
    return nlohmann::json::array({
        {{"effort", "low"}, {"description", "Fast responses with lighter reasoning"}},
        {{"effort", "medium"}, {"description", "Balances speed and reasoning depth"}},
        {{"effort", "high"}, {"description", "Greater reasoning depth for complex problems"}},
    });
}

nlohmann::json model(const char* slug, const char* display_name, const char* visibility,
                     int priority, bool responses_lite) {
    nlohmann::json entry = {
        {"slug", slug},
        {"display_name", display_name},
        {"description", std::string("Emulated ") + display_name},
        {"supported_reasoning_levels", reasoningLevels()},
        {"default_reasoning_level", "medium"},
        {"shell_type", "shell_command"},
        {"visibility", visibility},
        {"supported_in_api", true},
        {"priority", priority},
        {"support_verbosity", !responses_lite},
        {"default_verbosity", "low"},
        {"truncation_policy", {{"mode", "tokens"}, {"limit", 10000}}},
        {"experimental_supported_tools", nlohmann::json::array()},
        {"apply_patch_tool_type", "freeform"},
        {"context_window", 272000},
        {"max_context_window", 272000},
        {"effective_context_window_percent", 95},
        {"input_modalities", {"text", "image"}},
        {"default_reasoning_summary", "none"},
        {"base_instructions", "You are Codex, emulated by the Sluice upstream emulator."},
    };
    if (responses_lite)
        entry["use_responses_lite"] = true;
    return entry;
}

}  // namespace

ModelCatalog::ModelCatalog() {
    restoreDefault();
}

nlohmann::json ModelCatalog::defaultModels() {
    return nlohmann::json::array({
        model("gpt-5.5", "GPT-5.5", "list", 1, false),
        model("gpt-6-sol", "GPT-6 Sol", "list", 2, true),
        model("codex-auto-review", "Codex Auto Review", "hide", 99, false),
    });
}

void ModelCatalog::set(const nlohmann::json& models) {
    auto next = std::make_shared<Snapshot>();
    next->body = nlohmann::json{{"models", models}}.dump();
    next->etag = etagOf(next->body);
    next->count = models.is_array() ? models.size() : 0;
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(next);
}

void ModelCatalog::restoreDefault() {
    set(defaultModels());
}

std::shared_ptr<const ModelCatalog::Snapshot> ModelCatalog::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

}  // namespace sluice::emulator

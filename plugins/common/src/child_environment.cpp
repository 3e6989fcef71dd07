#include "sluice/plugins/common/child_environment.hpp"

#include <array>
#include <cstdlib>

namespace sluice::plugins::common {

namespace {

struct RefusalRule {
    std::string_view pattern;
    bool prefix;
    std::string_view reason;
};

// Variables that decide which code runs, where it is found, or which identity the child has.
constexpr std::array<RefusalRule, 22> kRefused{{
    {"LD_", true, "changes how the dynamic loader finds code"},
    {"DYLD_", true, "changes how the dynamic loader finds code"},
    {"GCONV_PATH", false, "changes how the C library loads code"},
    {"PATH", false, "changes where programs are found"},
    {"IFS", false, "changes how shells split words"},
    {"BASH_ENV", false, "runs code in every shell"},
    {"ENV", false, "runs code in every shell"},
    {"BASH_FUNC_", true, "defines shell functions"},
    {"SHELLOPTS", false, "changes how shells run"},
    {"PS4", false, "runs code in traced shells"},
    {"NODE_OPTIONS", false, "changes how Node loads code"},
    {"NODE_PATH", false, "changes where Node finds modules"},
    {"PYTHONPATH", false, "changes where Python finds modules"},
    {"PYTHONSTARTUP", false, "runs code when Python starts"},
    {"PYTHONHOME", false, "changes where Python finds modules"},
    {"PERL5LIB", false, "changes where Perl finds modules"},
    {"PERL5OPT", false, "changes how Perl loads code"},
    {"RUBYOPT", false, "changes how Ruby loads code"},
    {"HOME", false, "changes where configuration is read"},
    {"CODEX_", true, "is reserved for the gateway's Codex setup"},
    {"SLUICE_", true, "is reserved for the gateway"},
    {"OPENAI_", true, "changes which credential or endpoint the child uses"},
}};

constexpr std::array<std::string_view, 7> kAlwaysInherited{"PATH", "HOME",   "LANG", "LC_ALL",
                                                           "TZ",   "TMPDIR", "USER"};

}  // namespace

std::optional<std::string> refusedVariable(std::string_view name) {
    for (const RefusalRule& rule : kRefused) {
        const bool hit = rule.prefix ? name.substr(0, rule.pattern.size()) == rule.pattern
                                     : name == rule.pattern;
        if (hit) {
            return std::string(name) + " " + std::string(rule.reason);
        }
    }
    return std::nullopt;
}

bool validVariableName(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    for (const char c : name) {
        const bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

ChildEnvironment::ChildEnvironment(const std::vector<std::string>& names) {
    auto inherit = [this](const std::string& name) {
        if (const char* value = std::getenv(name.c_str())) {
            vars_[name] = value;
        }
    };
    for (const std::string_view name : kAlwaysInherited) {
        inherit(std::string(name));
    }
    for (const std::string& name : names) {
        inherit(name);
    }
}

std::vector<std::string> ChildEnvironment::entries() const {
    std::vector<std::string> out;
    out.reserve(vars_.size());
    for (const auto& [name, value] : vars_) {
        out.push_back(name + "=" + value);
    }
    return out;
}

}  // namespace sluice::plugins::common

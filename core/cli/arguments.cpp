#include "core/cli/arguments.hpp"

namespace sluice::core::cli {

namespace {

// Options that never take a value; everything else starting with "--" expects one.
const std::set<std::string> kFlags{"--json",    "--help",     "--all",
                                   "--verbose", "--markdown", "--replace-target"};
// Accepted by every command without each declaring them.
const std::set<std::string> kGlobalFlags{"--verbose"};

}  // namespace

Arguments::Arguments(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            words_.push_back(std::move(arg));
            continue;
        }
        const auto equals = arg.find('=');
        if (equals != std::string::npos) {
            options_[arg.substr(0, equals)] = arg.substr(equals + 1);
        } else if (kFlags.count(arg) != 0) {
            flags_.insert(arg);
        } else if (i + 1 < argc) {
            options_[arg] = argv[++i];
        } else {
            throw UsageError("option " + arg + " needs a value");
        }
    }
}

const std::string& Arguments::word(std::size_t index, const std::string& what) const {
    if (index >= words_.size()) {
        throw UsageError("missing " + what);
    }
    return words_[index];
}

std::optional<std::string> Arguments::option(const std::string& name) const {
    const auto it = options_.find(name);
    if (it == options_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Arguments::required(const std::string& name) const {
    auto value = option(name);
    if (!value || value->empty()) {
        throw UsageError("missing required option " + name);
    }
    return *value;
}

bool Arguments::flag(const std::string& name) const {
    return flags_.count(name) != 0;
}

void Arguments::expect(const std::set<std::string>& known, std::size_t max_words) const {
    for (const auto& [name, value] : options_) {
        if (known.count(name) == 0) {
            throw UsageError("unknown option " + name);
        }
    }
    for (const auto& name : flags_) {
        if (known.count(name) == 0 && kGlobalFlags.count(name) == 0) {
            throw UsageError("unknown option " + name);
        }
    }
    if (words_.size() > max_words) {
        throw UsageError("unexpected argument '" + words_[max_words] + "'");
    }
}

}  // namespace sluice::core::cli

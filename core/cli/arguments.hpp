#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::core::cli {

/// A command line was malformed; printed with the usage and exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `words` are positional; `--name value` and `--flag` are options. Commands declare what they
/// accept, so an unknown or missing option is a UsageError naming it.
class Arguments final {
public:
    Arguments(int argc, const char* const* argv);

    const std::vector<std::string>& words() const noexcept { return words_; }
    /// The i-th positional word, or a UsageError saying `what` is missing.
    const std::string& word(std::size_t index, const std::string& what) const;

    std::optional<std::string> option(const std::string& name) const;
    std::string required(const std::string& name) const;
    bool flag(const std::string& name) const;

    /// Throws UsageError if any option given is not in `known` (flags and valued options), or a
    /// positional word beyond `max_words`.
    void expect(const std::set<std::string>& known, std::size_t max_words) const;

private:
    std::vector<std::string> words_;
    std::map<std::string, std::string> options_;
    std::set<std::string> flags_;
};

}  // namespace sluice::core::cli

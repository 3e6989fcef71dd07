#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

#include <algorithm>
#include <stdexcept>

#include "plugins/strategy-builtin/hashing.hpp"
#include "plugins/strategy-builtin/strategy_builtin_factory.hpp"

namespace sluice::plugins::strategy_builtin::testing {

sdk::TimePoint now() {
    return sdk::TimePoint(std::chrono::seconds(1'800'000'000));
}

sdk::RoutingStrategyPtr makeStrategy(const std::string& type,
                                     const sdk::testing::ConfigValues& values) {
    static sdk::testing::FakeHost host;
    for (const auto& factory : builtinStrategyFactories()) {
        if (factory->name() == type) {
            return factory->create(*sdk::testing::configFromSchema(factory->schema(), values),
                                   host);
        }
    }
    throw std::invalid_argument("no built-in strategy '" + type + "'");
}

Accounts::Accounts(const std::vector<std::string>& ids) {
    candidates_.reserve(ids.size());
    for (const std::string& id : ids) {
        add(id);
    }
}

sdk::Candidate& Accounts::operator[](const std::string& id) {
    for (sdk::Candidate& candidate : candidates_) {
        if (candidate.id == id) {
            return candidate;
        }
    }
    throw std::invalid_argument("no account '" + id + "'");
}

sdk::Candidate& Accounts::add(const std::string& id) {
    const std::string& name = names_.emplace_back(id);
    sdk::Candidate candidate;
    candidate.id = name;
    candidate.label = name;
    candidate.id_hash = hashText(name);
    return candidates_.emplace_back(candidate);
}

void Accounts::remove(const std::string& id) {
    const auto it = std::find_if(candidates_.begin(), candidates_.end(),
                                 [&](const sdk::Candidate& c) { return c.id == id; });
    if (it == candidates_.end()) {
        throw std::invalid_argument("no account '" + id + "'");
    }
    candidates_.erase(it);
}

std::vector<std::string> Accounts::order(sdk::RoutingStrategy& strategy, std::size_t limit,
                                         std::optional<std::uint64_t> seed) const {
    sdk::PickContext context;
    context.pool = "team";
    context.model = "gpt-5.5";
    context.has_affinity_seed = seed.has_value();
    context.affinity_seed = seed.value_or(0);
    context.limit = limit;
    context.now = now();
    context.candidates = candidates_.data();
    context.candidate_count = candidates_.size();
    std::vector<std::uint32_t> picked;
    strategy.order(context, picked);
    std::vector<std::string> out;
    out.reserve(picked.size());
    for (const std::uint32_t index : picked) {
        out.emplace_back(candidates_.at(index).id);
    }
    return out;
}

std::string Accounts::lead(sdk::RoutingStrategy& strategy,
                           std::optional<std::uint64_t> seed) const {
    const auto ids = order(strategy, 1, seed);
    return ids.empty() ? std::string() : ids.front();
}

std::map<std::string, int> Accounts::leads(sdk::RoutingStrategy& strategy, int requests) const {
    std::map<std::string, int> out;
    for (int i = 0; i < requests; ++i) {
        ++out[lead(strategy)];
    }
    return out;
}

sdk::QuotaWindow window(double used, std::chrono::seconds reset_in) {
    sdk::QuotaWindow out;
    out.known = true;
    out.used_percent = used;
    out.window_minutes = 300;
    out.resets_at = now() + reset_in;
    return out;
}

}  // namespace sluice::plugins::strategy_builtin::testing

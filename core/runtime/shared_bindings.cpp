#include "core/runtime/shared_bindings.hpp"

#include <chrono>

#include "core/routing/affinity_table.hpp"

namespace sluice::core::runtime {

SharedBindings::SharedBindings(sdk::SharedStateV2& state, sdk::BindingKind kind,
                               const std::atomic<std::uint64_t>& generation, sdk::Metrics& metrics)
    : state_(state),
      kind_(kind),
      generation_(generation),
      fallbacks_(metrics.counter(
          "sluice_affinity_shared_fallbacks_total",
          "Affinity and response-owner reads and writes decided on this replica's own table "
          "because the shared state did not answer",
          {{"kind", kind == sdk::BindingKind::Response ? "response" : "conversation"}})) {}

sdk::Result<std::optional<std::string>> SharedBindings::find(std::string_view pool,
                                                             std::string_view key) {
    auto found = state_.findBinding(kind_, pool, key);
    if (!found.ok()) {
        fallbacks_.add(1);
    }
    return found;
}

bool SharedBindings::share(std::string_view pool, std::string_view key,
                           const std::string& account_id, bool moved) {
    const sdk::AccountBinding binding{
        kind_, std::string(pool), std::string(key), account_id,
        std::chrono::duration_cast<std::chrono::milliseconds>(routing::AffinityTable::kTimeToLive)};
    const sdk::Status stored = state_.shareBinding(
        binding, moved ? sdk::BindingChange::Moved : sdk::BindingChange::Renewed);
    if (!stored.ok()) {
        fallbacks_.add(1);
    }
    return stored.ok();
}

}  // namespace sluice::core::runtime

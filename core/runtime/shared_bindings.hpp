#pragma once

#include <atomic>
#include <cstdint>

#include "core/routing/affinity_mirror.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::runtime {

/// One kind of account binding (conversations or response owners) mirrored through the shared
/// state's SDK 2.6 calls, each bounded by the plugin's call budget; the bindings live as long as
/// the local table's entries. Calls that fail are counted in
/// `sluice_affinity_shared_fallbacks_total{kind}`. Thread-safe; `generation` is the link's,
/// owned by the ReplicaLink.
class SharedBindings final : public routing::AffinityMirror {
public:
    SharedBindings(sdk::SharedStateV2& state, sdk::BindingKind kind,
                   const std::atomic<std::uint64_t>& generation, sdk::Metrics& metrics);

    std::uint64_t generation() const noexcept override { return generation_.load(); }
    sdk::Result<std::optional<std::string>> find(std::string_view pool,
                                                 std::string_view key) override;
    bool share(std::string_view pool, std::string_view key, const std::string& account_id,
               bool moved) override;

private:
    sdk::SharedStateV2& state_;
    const sdk::BindingKind kind_;
    const std::atomic<std::uint64_t>& generation_;
    sdk::Counter& fallbacks_;
};

}  // namespace sluice::core::runtime

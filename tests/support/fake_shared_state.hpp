#pragma once

// An in-memory stand-in for a shared-state server (ADR 0012) in unit tests: every replica made
// from one FakeSharedServer sees the others' account bindings and usage-limit blocks, hears the
// bindings they move and the blocks they share, and loses its link when the server is taken
// down. Locks are held until released; blocks do not expire (the replicas' own clocks drop the
// lapsed ones); notifications and windows are not modelled (their own tests script them).

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sluice/sdk/shared_state.hpp"

namespace sluice::tests {

class FakeSharedState;

/// The server. Its methods run on the test thread; the replicas' calls may come from any.
class FakeSharedServer final {
public:
    /// A replica's connection set; it must not outlive the server.
    std::unique_ptr<FakeSharedState> replica();
    /// Takes the server down or brings it back (empty when `forget`, as after a restart); each
    /// started replica's listener hears it.
    void setUp(bool up, bool forget = false);
    /// What the server holds for a key, for assertions.
    std::optional<std::string> binding(sdk::BindingKind kind, const std::string& pool,
                                       const std::string& key) const;
    /// The end of the block the server holds for an account, for assertions.
    std::optional<sdk::TimePoint> block(const std::string& account_id) const;

private:
    friend class FakeSharedState;
    using Key = std::tuple<sdk::BindingKind, std::string, std::string>;

    bool up() const;
    void attach(FakeSharedState& replica);
    void detach(FakeSharedState& replica);
    /// Takes `name` for `holder` unless another holds it (locks do not expire in the fake).
    sdk::Result<bool> lock(const FakeSharedState& holder, std::string_view name);
    void unlock(const FakeSharedState& holder, std::string_view name);
    /// Stores the binding; when moved, hands it to every other started replica's listener.
    void store(const FakeSharedState& from, const sdk::AccountBinding& binding, bool moved);
    std::optional<std::string> find(const Key& key) const;
    /// Stores the block unless a later one is held, and hands it to the other started replicas.
    void storeBlock(const FakeSharedState& from, const sdk::AccountBlock& block);
    std::vector<sdk::AccountBlock> blocks() const;

    mutable std::mutex mutex_;
    bool up_ = true;                                                    // guarded by mutex_
    std::map<Key, std::string> bindings_;                               // guarded by mutex_
    std::map<std::string, sdk::TimePoint> blocks_;                      // guarded by mutex_
    std::map<std::string, const FakeSharedState*, std::less<>> locks_;  // guarded by mutex_
    std::vector<FakeSharedState*> started_;                             // guarded by mutex_
};

/// One replica's view of the server. Thread-safe as SharedState requires.
class FakeSharedState final : public sdk::SharedStateV3 {
public:
    explicit FakeSharedState(FakeSharedServer& server) : server_(server) {}
    ~FakeSharedState() override { stop(); }

    sdk::Status announce(std::string_view topic) noexcept override;
    sdk::Result<sdk::WindowSlot> takeWindowSlot(std::string_view name, std::uint32_t limit,
                                                std::chrono::milliseconds window) noexcept override;
    sdk::Result<bool> tryLock(std::string_view name,
                              std::chrono::milliseconds ttl) noexcept override;
    void releaseLock(std::string_view name) noexcept override;
    sdk::Status shareBinding(const sdk::AccountBinding& binding,
                             sdk::BindingChange change) noexcept override;
    sdk::Result<std::optional<std::string>> findBinding(sdk::BindingKind kind,
                                                        std::string_view pool,
                                                        std::string_view key) noexcept override;
    sdk::Status shareBlock(const sdk::AccountBlock& block) noexcept override;
    sdk::Result<std::vector<sdk::AccountBlock>> blocks() noexcept override;
    void start(sdk::SharedStateListener& listener) override;
    void stop() noexcept override;

    /// The listener given to start(), or null.
    sdk::SharedStateListener* listener() const noexcept { return listener_; }

private:
    FakeSharedServer& server_;
    sdk::SharedStateListener* listener_ = nullptr;
};

}  // namespace sluice::tests

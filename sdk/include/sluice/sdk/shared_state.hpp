#pragma once
// Hot state shared by gateway replicas (ADR 0012, SDK 2.5; account bindings SDK 2.6; usage-limit
// blocks SDK 2.7): a `state` plugin kind, configured by the pipeline's optional `shared_state:`
// section. A request waits on it only in the bounded calls ADR 0012 lists; when its server is
// unreachable the gateway serves on local state.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/export.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/status.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

/// What the host hears from a SharedState. Called on the plugin's own thread, one call at a
/// time; implementations return quickly and never call back into the SharedState.
class SLUICE_SDK_API SharedStateListener {
public:
    virtual ~SharedStateListener() = default;
    /// Another replica announced a change of `topic` (e.g. "directory").
    virtual void onChange(std::string_view topic) noexcept = 0;
    /// The link to the shared server came up (`up`) or went down, with a reason when down.
    /// After a down, changes announced meanwhile may have been missed: reconcile on the next up.
    virtual void onLinkChange(bool up, std::string_view reason) noexcept = 0;
};

/// The outcome of asking for a slot of a shared rolling window.
struct WindowSlot {
    bool taken = false;
    std::int64_t retry_after_seconds = 0;  ///< not taken: until the window's oldest slot frees
};

/// One connection set to the shared-state server. Thread-safe.
class SLUICE_SDK_API SharedState {
public:
    virtual ~SharedState() = default;
    /// Tells every other replica that `topic` changed. Bounded by the plugin's call budget;
    /// Unavailable at once while the link is down. Any thread except the listener's.
    virtual Status announce(std::string_view topic) noexcept = 0;
    /// Takes one slot of the rolling window `name` (e.g. a key's requests per minute) when fewer
    /// than `limit` slots were taken in the last `window`, in one atomic step on the server, so
    /// all replicas together never take more than `limit`. Request thread: waits at most the
    /// plugin's call budget; Unavailable, with nothing taken, while the link is down or when
    /// the server did not answer in time (the caller then decides on its own counts).
    virtual Result<WindowSlot> takeWindowSlot(std::string_view name, std::uint32_t limit,
                                              std::chrono::milliseconds window) noexcept = 0;
    /// Takes the lock `name` for at most `ttl` unless another replica holds it, for work one
    /// replica should do for all (a token refresh). Waits at most the plugin's call budget;
    /// true: taken (give it back with releaseLock), false: another replica holds it,
    /// Unavailable while the link is down (the caller goes on alone). Any thread; a lock
    /// belongs to the replica, not to the thread.
    virtual Result<bool> tryLock(std::string_view name, std::chrono::milliseconds ttl) noexcept = 0;
    /// Gives back a lock this replica holds; nothing when it expired or was taken since.
    virtual void releaseLock(std::string_view name) noexcept = 0;
    /// Starts delivering to `listener` (which must outlive stop()) and keeping the link up,
    /// reconnecting behind. Called once, on the host's main thread.
    virtual void start(SharedStateListener& listener) = 0;
    /// Stops delivering and joins the plugin's threads. Idempotent.
    virtual void stop() noexcept = 0;
};

using SharedStatePtr = std::unique_ptr<SharedState>;

class SLUICE_SDK_API SharedStateFactory {
public:
    virtual ~SharedStateFactory() = default;
    /// Stable id used as `shared_state.type` in YAML, e.g. "redis".
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual ConfigSchema schema() const = 0;
    /// Parses the config (config time; may throw ConfigError). Does not connect: a server that
    /// is down at start is a degraded link, not a refusal.
    virtual SharedStatePtr create(const ConfigNode& config, HostServices& host) const = 0;
};

/// What an account binding ties to an account (SDK 2.6).
enum class BindingKind : std::uint8_t {
    Conversation,  ///< a session or prompt cache key: soft affinity, moves when it must
    Response,      ///< a response id: its continuations are pinned to the account that made it
};

/// One key of a pool bound to the account serving it (SDK 2.6). Plain value.
struct AccountBinding {
    BindingKind kind = BindingKind::Conversation;
    std::string pool;
    std::string key;
    std::string account_id;
    std::chrono::milliseconds ttl{0};  ///< how long the binding holds after this write
};

/// Whether a shared binding is news for the other replicas.
enum class BindingChange : std::uint8_t {
    Renewed,  ///< same account as this replica knew: stored (its ttl restarts), nobody told
    Moved,    ///< new or another account: stored, and replicas holding the key are told
};

/// The listener of SDK 2.6 hosts. A plugin finds it with dynamic_cast from the listener given to
/// start(); the same thread rules as SharedStateListener apply.
class SLUICE_SDK_API SharedStateListenerV2 : public SharedStateListener {
public:
    /// Another replica moved `binding` (BindingChange::Moved).
    virtual void onBinding(const AccountBinding& binding) noexcept = 0;
};

/// Account bindings shared by replicas (SDK 2.6, ADR 0012): which account serves a
/// conversation, which produced a response. The host finds it with dynamic_cast from the
/// SharedState a factory created. Thread-safe.
class SLUICE_SDK_API SharedStateV2 : public SharedState {
public:
    /// Stores `binding` for its ttl and, when Moved, tells the other replicas. Request thread:
    /// waits at most the plugin's call budget; Unavailable at once while the link is down.
    virtual Status shareBinding(const AccountBinding& binding, BindingChange change) noexcept = 0;
    /// The account bound to `key` of `pool`, nullopt when none is. Request thread: waits at most
    /// the plugin's call budget; Unavailable at once while the link is down.
    virtual Result<std::optional<std::string>> findBinding(BindingKind kind, std::string_view pool,
                                                           std::string_view key) noexcept = 0;
};

/// An account its upstream refused for a used-up quota (429 usage_limit_reached, a probe's
/// limit_reached), not to be used before `until` (SDK 2.7). Plain value.
struct AccountBlock {
    std::string account_id;
    TimePoint until;  ///< the reset the upstream named, or the host's default block
};

/// The listener of SDK 2.7 hosts. A plugin finds it with dynamic_cast from the listener given to
/// start(); the same thread rules as SharedStateListener apply.
class SLUICE_SDK_API SharedStateListenerV3 : public SharedStateListenerV2 {
public:
    /// Another replica shared `block` (shareBlock stored it).
    virtual void onBlock(const AccountBlock& block) noexcept = 0;
};

/// Usage-limit blocks shared by replicas (SDK 2.7, ADR 0012), so an account one replica found
/// exhausted is not tried by the others before its reset. The host finds it with dynamic_cast
/// from the SharedState a factory created. Thread-safe; the host calls it from its own writer
/// thread, never from a request's.
class SLUICE_SDK_API SharedStateV3 : public SharedStateV2 {
public:
    /// Stores `block` until its `until` and tells the other replicas, unless a block of the
    /// account lasting as long or longer is stored already (a block is only ever extended).
    /// Waits at most the plugin's call budget; Unavailable at once while the link is down.
    virtual Status shareBlock(const AccountBlock& block) noexcept = 0;
    /// Every block still in force. Waits at most the plugin's call budget; Unavailable at once
    /// while the link is down.
    virtual Result<std::vector<AccountBlock>> blocks() noexcept = 0;
};

/// The registrar of SDK 2.5 hosts. A plugin reaches it with dynamic_cast from the Registrar it
/// is given (on the host's main thread, during registration).
class SLUICE_SDK_API RegistrarV2 : public Registrar {
public:
    virtual void addSharedState(std::unique_ptr<SharedStateFactory> factory) = 0;
};

}  // namespace sluice::sdk

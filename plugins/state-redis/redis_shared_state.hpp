#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "redis_commands.hpp"
#include "redis_config.hpp"
#include "redis_subscriber.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::plugins::state_redis {

/// Change notifications over Redis pub/sub, shared rolling windows, locks and account bindings. One
/// subscriber connection lives on the plugin's thread and reconnects every `reconnect_interval`
/// while the server is unreachable; its state is the link's. Commands (announcements, window slots)
/// run on pooled connections, only while the link is up. A message is `<instance> <topic>`; a
/// replica ignores its own. Window keys are `<channel>:window:<name>`, locks
/// `<channel>:lock:<name>` holding the instance id, bindings `bindingKey()` holding the account
/// id, and moved bindings are published on `<channel>:bindings` (redis_bindings.hpp). A usage-limit
/// block is `<channel>:block:<account>` holding its end, expiring then, listed in the set
/// `<channel>:blocked`, and published on `<channel>:blocks` when stored (redis_blocks.hpp).
class RedisSharedState final : public sdk::SharedStateV3 {
public:
    /// Does not connect (start() does). `host` outlives this object.
    RedisSharedState(RedisConfig config, sdk::HostServices& host);
    ~RedisSharedState() override;
    RedisSharedState(const RedisSharedState&) = delete;
    RedisSharedState& operator=(const RedisSharedState&) = delete;

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

private:
    enum class Link { Unknown, Up, Down };

    /// The subscriber thread: connect, subscribe, deliver, and on failure wait and start over.
    void run(sdk::SharedStateListener& listener);
    /// Delivers messages until the connection fails (throws) or stop() is called.
    void listen(RedisSubscriber& subscriber, sdk::SharedStateListener& listener);
    /// Hands a message of any channel to the listener, unless it is this replica's own.
    void deliver(const RedisMessage& message, sdk::SharedStateListener& listener);
    void report(sdk::SharedStateListener& listener, Link link, const std::string& reason);
    /// Sleeps `reconnect_interval` unless stop() comes first; false when stopping.
    bool pause();
    bool stopping();

    const RedisConfig config_;
    const std::string instance_;  ///< this replica's id in messages
    const std::string bindings_channel_;
    const std::string blocks_channel_;
    sdk::Logger& logger_;

    RedisCommands commands_;
    std::atomic<std::uint64_t> slots_taken_{0};  ///< makes this replica's slot ids unique

    std::atomic<bool> up_{false};
    Link reported_ = Link::Unknown;  // subscriber thread only
    std::mutex stop_mutex_;
    std::condition_variable stop_wake_;
    bool stopping_ = false;  // guarded by stop_mutex_
    std::thread subscriber_;
};

}  // namespace sluice::plugins::state_redis

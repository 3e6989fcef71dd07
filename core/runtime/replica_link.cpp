#include "core/runtime/replica_link.hpp"

namespace sluice::core::runtime {

namespace {

constexpr std::string_view kDirectoryTopic = "directory";

}  // namespace

ReplicaLink::ReplicaLink(std::shared_ptr<sdk::SharedState> state, Directory& directory,
                         sdk::Metrics& metrics, sdk::Logger& logger)
    : state_(std::move(state)),
      directory_(directory),
      metrics_(metrics),
      connected_(metrics.gauge("sluice_shared_state_connected",
                               "1 while the link to the replicas' shared state is up", {})),
      logger_(logger),
      down_reason_("not connected yet") {
    connected_.set(0);
}

ReplicaLink::~ReplicaLink() {
    stop();
}

void ReplicaLink::shareBindings(routing::AffinityTable& conversations,
                                routing::AffinityTable& responses, const sdk::Clock& clock) {
    auto* shared = dynamic_cast<sdk::SharedStateV2*>(state_.get());
    if (shared == nullptr) {
        logger_.warn("shared_state_without_bindings",
                     {{"detail", "the state plugin predates SDK 2.6: affinity stays per replica"}});
        return;
    }
    bindings_ = std::make_unique<Bindings>(
        Bindings{conversations, responses, clock,
                 SharedBindings(*shared, sdk::BindingKind::Conversation, generation_, metrics_),
                 SharedBindings(*shared, sdk::BindingKind::Response, generation_, metrics_)});
    conversations.shareThrough(bindings_->conversation_mirror);
    responses.shareThrough(bindings_->response_mirror);
}

void ReplicaLink::shareBlocks(routing::RoutingTable& routing, const sdk::Clock& clock) {
    auto* shared = dynamic_cast<sdk::SharedStateV3*>(state_.get());
    if (shared == nullptr) {
        logger_.warn(
            "shared_state_without_blocks",
            {{"detail", "the state plugin predates SDK 2.7: usage-limit blocks stay per replica"}});
        return;
    }
    blocks_ = std::make_unique<SharedBlocks>(*shared, routing, clock, metrics_, logger_);
    routing.shareBlocksThrough(*blocks_);
    // After the routing table's own listener (registered first), which rebuilt it.
    directory_.onChange([this](const DirectorySnapshot&) { blocks_->directoryChanged(); });
}

void ReplicaLink::start() {
    if (blocks_) {
        blocks_->start();
    }
    state_->start(*this);
}

void ReplicaLink::stop() noexcept {
    state_->stop();
    if (blocks_) {
        blocks_->stop();
    }
}

void ReplicaLink::announceDirectoryChange() noexcept {
    const sdk::Status sent = state_->announce(kDirectoryTopic);
    if (!sent.ok()) {
        logger_.warn("shared_state_announce_failed",
                     {{"topic", std::string(kDirectoryTopic)}, {"reason", sent.message()}});
    }
}

std::optional<std::string> ReplicaLink::degraded() const {
    std::lock_guard guard(mutex_);
    return down_reason_;
}

void ReplicaLink::onChange(std::string_view topic) noexcept {
    if (topic == kDirectoryTopic) {
        directory_.requestRefresh();
    }
}

void ReplicaLink::onLinkChange(bool up, std::string_view reason) noexcept {
    bool reconnected = false;
    {
        std::lock_guard guard(mutex_);
        if (up) {
            generation_.fetch_add(1);  // bindings held here are checked again on their next use
            reconnected = was_up_;
            was_up_ = true;
            down_reason_.reset();
        } else {
            down_reason_ = std::string(reason);
        }
    }
    connected_.set(up ? 1 : 0);
    if (up) {
        logger_.info("shared_state_connected", {{"reconnect", reconnected ? "true" : "false"}});
        // What the others announced while this replica was away is lost: reconcile by reloading.
        directory_.requestRefresh();
        if (blocks_) {
            blocks_->linkUp();
        }
    } else {
        logger_.warn("shared_state_degraded", {{"reason", std::string(reason)}});
    }
}

void ReplicaLink::onBinding(const sdk::AccountBinding& binding) noexcept {
    if (!bindings_) {
        return;
    }
    routing::AffinityTable& table = binding.kind == sdk::BindingKind::Response
                                        ? bindings_->responses
                                        : bindings_->conversations;
    table.adopt(binding.pool, binding.key, binding.account_id, bindings_->clock.now());
}

void ReplicaLink::onBlock(const sdk::AccountBlock& block) noexcept {
    if (blocks_) {
        blocks_->adopt(block);
    }
}

}  // namespace sluice::core::runtime

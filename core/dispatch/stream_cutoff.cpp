#include "core/dispatch/stream_cutoff.hpp"

#include <Poco/Exception.h>

namespace sluice::core::dispatch {

StreamCutoff::Hold::Hold(StreamCutoff& owner, const Poco::Net::Socket& socket) : owner_(owner) {
    std::lock_guard lock(owner_.mutex_);
    entry_ = owner_.held_.insert(owner_.held_.end(), socket);
    if (owner_.isCut()) {
        shutReceive(*entry_);
    }
}

StreamCutoff::Hold::~Hold() {
    std::lock_guard lock(owner_.mutex_);
    owner_.held_.erase(entry_);
}

void StreamCutoff::cut() {
    std::lock_guard lock(mutex_);
    cut_.store(true, std::memory_order_release);
    for (Poco::Net::Socket& socket : held_) {
        shutReceive(socket);
    }
}

void StreamCutoff::shutReceive(Poco::Net::Socket& socket) noexcept {
    try {
        // Only the read side: the relay still writes its client's last event.
        socket.impl()->shutdownReceive();
    } catch (const Poco::Exception&) {
        // Not connected yet or already closed: the relay checks isCut() before it waits.
    }
}

}  // namespace sluice::core::dispatch

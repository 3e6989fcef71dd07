#include "core/dispatch/key_sockets.hpp"

#include <Poco/Exception.h>

namespace sluice::core::dispatch {

KeySockets::Watch::~Watch() {
    std::lock_guard lock(owner_.mutex_);
    owner_.watches_.erase(entry_);
}

std::optional<sdk::ErrorInfo> KeySockets::Watch::refusal() const {
    if (auto found = swept()) {
        return found;
    }
    return owner_.check_(kind_, credential_);
}

std::optional<sdk::ErrorInfo> KeySockets::Watch::swept() const {
    std::lock_guard lock(owner_.mutex_);
    return swept_;
}

std::unique_ptr<KeySockets::Watch> KeySockets::watch(sdk::CredentialKind kind,
                                                     const sdk::Headers& client_headers,
                                                     Poco::Net::WebSocket& client) {
    sdk::Headers credential;
    for (const sdk::Header& header : client_headers) {
        if (sdk::equalsIgnoreCase(header.name, "authorization") ||
            sdk::equalsIgnoreCase(header.name, "x-api-key")) {
            credential.push_back(header);
        }
    }
    std::unique_ptr<Watch> watch(new Watch(*this, kind, std::move(credential), client));
    std::lock_guard lock(mutex_);
    watch->entry_ = watches_.insert(watches_.end(), watch.get());
    return watch;
}

void KeySockets::sweep() {
    std::lock_guard lock(mutex_);
    for (Watch* watch : watches_) {
        if (watch->swept_) {
            continue;
        }
        watch->swept_ = check_(watch->kind_, watch->credential_);
        if (watch->swept_) {
            try {
                // Only the read side: the relay still sends the refusal and the close frame.
                watch->client_.shutdownReceive();
            } catch (const Poco::Exception&) {
                // Already gone: the relay is ending anyway.
            }
        }
    }
}

}  // namespace sluice::core::dispatch

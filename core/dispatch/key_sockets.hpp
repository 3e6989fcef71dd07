#pragma once

#include <Poco/Net/WebSocket.h>

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::dispatch {

/// The open client websockets and the credential each was opened with, so that a key revoked,
/// paused or rotated loses its sockets: checked again on every turn, and all at once when the
/// directory changes. Thread-safe: relays watch from request threads, sweep() runs on the
/// directory's refresher thread.
class KeySockets final {
public:
    /// The refusal a credential (the client's Authorization / x-api-key headers) gets now from
    /// the in-memory directory, or none; never touches storage.
    using Check =
        std::function<std::optional<sdk::ErrorInfo>(sdk::CredentialKind, const sdk::Headers&)>;

    explicit KeySockets(Check check) : check_(std::move(check)) {}

    /// One open client socket; unregisters when destroyed, before its socket is.
    class Watch final {
    public:
        ~Watch();
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;

        /// Why the key may no longer use the socket (checked now), or none.
        std::optional<sdk::ErrorInfo> refusal() const;
        /// The refusal a sweep found, or none; cheap enough for every loop turn.
        std::optional<sdk::ErrorInfo> swept() const;

    private:
        friend class KeySockets;
        Watch(KeySockets& owner, sdk::CredentialKind kind, sdk::Headers credential,
              Poco::Net::WebSocket& client)
            : owner_(owner), kind_(kind), credential_(std::move(credential)), client_(client) {}

        KeySockets& owner_;
        sdk::CredentialKind kind_;
        sdk::Headers credential_;
        Poco::Net::WebSocket& client_;
        std::optional<sdk::ErrorInfo> swept_;  // guarded by owner_.mutex_
        std::list<Watch*>::iterator entry_;
    };

    /// Starts watching `client`, opened with the credential in `client_headers`.
    std::unique_ptr<Watch> watch(sdk::CredentialKind kind, const sdk::Headers& client_headers,
                                 Poco::Net::WebSocket& client);
    /// Checks every watched socket's credential; a refused socket has its read side shut down,
    /// which wakes its relay to send the refusal and close.
    void sweep();

private:
    Check check_;
    mutable std::mutex mutex_;
    std::list<Watch*> watches_;
};

}  // namespace sluice::core::dispatch

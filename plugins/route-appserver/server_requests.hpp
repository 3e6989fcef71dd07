#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sluice/sdk/time.hpp"

namespace sluice::plugins::route_appserver {

/// A request the app-server sent us (an approval, a question) that no one has answered yet.
struct PendingRequest {
    std::string id;  ///< ours, unique across every app-server: what clients resolve
    std::string owner;
    nlohmann::json rpc_id;  ///< the app-server's own JSON-RPC id (per process)
    std::string method;
    nlohmann::json params;
    std::string thread_id;
    std::string turn_id;
    sdk::TimePoint received_at{};

    /// {requestId, rpcId, method, params, threadId, turnId, receivedAt (Unix seconds)}
    nlohmann::json toJson() const;
};

/// Seconds since the Unix epoch, as every timestamp of the family's answers.
std::int64_t unixSeconds(sdk::TimePoint time);

/// The unanswered server requests of every app-server. Thread-safe.
class ServerRequests final {
public:
    /// Records a server request under the id given (unique per table).
    PendingRequest add(std::string id, std::string owner, const nlohmann::json& message,
                       sdk::TimePoint now);
    /// Removes and returns a request; nullopt when unknown or already answered.
    std::optional<PendingRequest> take(const std::string& id);
    /// Puts back a request whose answer could not be delivered.
    void restore(PendingRequest request);
    /// The app-server says a request was resolved (answered, or void with its turn).
    void resolved(const std::string& owner, const nlohmann::json& rpc_id);
    /// Every request of an owner's process, which has ended; they are gone.
    std::vector<PendingRequest> dropOwner(const std::string& owner);
    /// Pending requests, oldest first; `owner` / `thread_id` filter when not empty.
    std::vector<PendingRequest> list(const std::string& owner, const std::string& thread_id) const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, PendingRequest> pending_;
};

}  // namespace sluice::plugins::route_appserver

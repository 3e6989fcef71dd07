#include "server_requests.hpp"

#include <algorithm>

#include "event_log.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

std::int64_t unixSeconds(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

json PendingRequest::toJson() const {
    return {{"requestId", id},
            {"rpcId", rpc_id},
            {"method", method},
            {"params", params},
            {"threadId", thread_id},
            {"turnId", turn_id},
            {"receivedAt", unixSeconds(received_at)}};
}

PendingRequest ServerRequests::add(std::string id, std::string owner, const json& message,
                                   sdk::TimePoint now) {
    PendingRequest request;
    request.id = std::move(id);
    request.owner = std::move(owner);
    request.rpc_id = message.value("id", json());
    request.method = message.value("method", "");
    request.params = message.value("params", json::object());
    request.thread_id = messageThreadId(message);
    if (request.params.is_object()) {
        request.turn_id = request.params.value("turnId", "");
    }
    request.received_at = now;
    std::lock_guard lock(mutex_);
    pending_[request.id] = request;
    return request;
}

std::optional<PendingRequest> ServerRequests::take(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto found = pending_.find(id);
    if (found == pending_.end()) {
        return std::nullopt;
    }
    PendingRequest request = std::move(found->second);
    pending_.erase(found);
    return request;
}

void ServerRequests::restore(PendingRequest request) {
    std::lock_guard lock(mutex_);
    pending_[request.id] = std::move(request);
}

void ServerRequests::resolved(const std::string& owner, const json& rpc_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(pending_, [&](const auto& entry) {
        return entry.second.owner == owner && entry.second.rpc_id == rpc_id;
    });
}

std::vector<PendingRequest> ServerRequests::dropOwner(const std::string& owner) {
    std::vector<PendingRequest> dropped;
    std::lock_guard lock(mutex_);
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->second.owner == owner) {
            dropped.push_back(std::move(it->second));
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

std::vector<PendingRequest> ServerRequests::list(const std::string& owner,
                                                 const std::string& thread_id) const {
    std::vector<PendingRequest> found;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, request] : pending_) {
            if ((owner.empty() || request.owner == owner) &&
                (thread_id.empty() || request.thread_id == thread_id)) {
                found.push_back(request);
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::tie(a.received_at, a.id) < std::tie(b.received_at, b.id);
    });
    return found;
}

std::size_t ServerRequests::size() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

}  // namespace sluice::plugins::route_appserver

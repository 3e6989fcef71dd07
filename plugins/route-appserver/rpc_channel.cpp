#include "rpc_channel.hpp"

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

RpcChannel::RpcChannel(Writer writer, Inbound inbound)
    : writer_(std::move(writer)), inbound_(std::move(inbound)) {}

CallOutcome RpcChannel::call(std::string_view method, json params,
                             std::chrono::milliseconds timeout) {
    auto pending = std::make_shared<Pending>();
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        if (closed_) {
            return closed_outcome_;
        }
        id = next_id_++;
        pending_[id] = pending;
    }
    json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    if (!writer_(request.dump(-1, ' ', false, json::error_handler_t::replace))) {
        settle(id, {CallFailure::Exited, {}, 0, "the app-server is not accepting input", {}});
    }
    std::unique_lock lock(mutex_);
    if (!answered_.wait_for(lock, timeout, [&] { return pending->done; })) {
        pending_.erase(id);
        return {CallFailure::Timeout,
                {},
                0,
                "the app-server did not answer " + std::string(method) + " in time",
                {}};
    }
    return std::move(pending->outcome);
}

bool RpcChannel::notify(std::string_view method, json params) {
    json message{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
    return writer_(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool RpcChannel::respond(const json& id, json result) {
    json message{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
    return writer_(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void RpcChannel::onLine(std::string_view line) {
    json message = common::parseJson(line);
    const bool has_method =
        message.is_object() && message.contains("method") && message["method"].is_string();
    if (!message.is_object()) {
        std::lock_guard lock(mutex_);
        ++dropped_;
        return;
    }
    if (has_method) {
        inbound_(message);
        return;
    }
    const auto id = message.find("id");
    if (id == message.end() || !id->is_number_integer()) {
        std::lock_guard lock(mutex_);
        ++dropped_;
        return;
    }
    if (const auto error = message.find("error"); error != message.end() && error->is_object()) {
        settle(id->get<std::int64_t>(), {CallFailure::Remote,
                                         {},
                                         error->value("code", 0),
                                         error->value("message", std::string("app-server error")),
                                         error->value("data", json())});
        return;
    }
    settle(id->get<std::int64_t>(),
           {CallFailure::None, message.value("result", json()), 0, {}, {}});
}

void RpcChannel::settle(std::int64_t id, CallOutcome outcome) {
    {
        std::lock_guard lock(mutex_);
        const auto found = pending_.find(id);
        if (found == pending_.end()) {
            ++dropped_;  // answered after its caller gave up, or never asked
            return;
        }
        found->second->outcome = std::move(outcome);
        found->second->done = true;
        pending_.erase(found);
    }
    answered_.notify_all();
}

void RpcChannel::close(CallFailure failure, const std::string& message) {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        closed_outcome_ = {failure, {}, 0, message, {}};
        for (auto& [id, pending] : pending_) {
            pending->outcome = closed_outcome_;
            pending->done = true;
        }
        pending_.clear();
    }
    answered_.notify_all();
}

std::size_t RpcChannel::pendingCalls() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

std::uint64_t RpcChannel::droppedLines() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

}  // namespace sluice::plugins::route_appserver

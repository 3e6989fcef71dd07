#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sluice::plugins::route_appserver {

/// Why a call produced no result.
enum class CallFailure {
    None,
    Remote,       ///< the app-server answered with a JSON-RPC error (`code`, `message`)
    Timeout,      ///< no answer within the call's timeout
    Exited,       ///< the app-server exited (or was stopped) before answering
    Unavailable,  ///< the app-server is not running and could not be started
};

/// The answer to one JSON-RPC call: a result, or why there is none.
struct CallOutcome {
    CallFailure failure = CallFailure::None;
    nlohmann::json result;
    int code = 0;         ///< Remote: the JSON-RPC error code
    std::string message;  ///< every failure: a message safe to show the client
    nlohmann::json data;  ///< Remote: the error's data, when any

    bool ok() const noexcept { return failure == CallFailure::None; }
};

/// JSON-RPC error code the app-server answers when it is overloaded.
constexpr int kServerOverloaded = -32001;

/// One JSON-RPC 2.0 conversation over newline-delimited JSON: ids for our requests, the table of
/// calls waiting for answers, and hand-off of what the peer sends unasked (notifications, and
/// requests of its own) to `Inbound`. call() blocks its caller; onLine() runs on the reader
/// thread; everything is thread-safe.
class RpcChannel final {
public:
    using Writer = std::function<bool(std::string_view line)>;
    /// Receives a notification ({"method","params"}) or a server request ({"id","method",
    /// "params"}) on the reader thread.
    using Inbound = std::function<void(const nlohmann::json& message)>;

    RpcChannel(Writer writer, Inbound inbound);

    /// Sends a request and waits for its answer.
    CallOutcome call(std::string_view method, nlohmann::json params,
                     std::chrono::milliseconds timeout);
    /// Sends a notification (no answer).
    bool notify(std::string_view method, nlohmann::json params);
    /// Answers the peer's request `id` with `result`.
    bool respond(const nlohmann::json& id, nlohmann::json result);
    /// One line from the peer. Lines that are not JSON-RPC messages are counted and dropped.
    void onLine(std::string_view line);
    /// Ends every waiting call with `failure`; later calls fail the same way at once.
    void close(CallFailure failure, const std::string& message);

    std::size_t pendingCalls() const;
    std::uint64_t droppedLines() const;

private:
    struct Pending {
        bool done = false;
        CallOutcome outcome;
    };

    void settle(std::int64_t id, CallOutcome outcome);

    Writer writer_;
    Inbound inbound_;
    mutable std::mutex mutex_;
    std::condition_variable answered_;
    std::int64_t next_id_ = 1;
    std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
    bool closed_ = false;
    CallOutcome closed_outcome_;
    std::uint64_t dropped_ = 0;
};

}  // namespace sluice::plugins::route_appserver

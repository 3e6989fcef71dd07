#pragma once

#include <Poco/Net/HTTPRequest.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::emulator {

/// Metadata of one request as an account received it. Never a token, a cookie or a body:
/// only the selected headers below and facts parsed from the body (counts, ids, flags).
struct RecordedRequest {
    std::uint64_t seq = 0;
    std::int64_t time_ms = 0;
    std::string account_id;  ///< empty when authentication failed
    std::string method;
    std::string path;
    std::string transport = "http";  ///< http | websocket
    int status = 0;                  ///< what the emulator decided to answer (101 for upgrades)
    std::string outcome;             ///< the behaviour mode or handler verdict
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::string> model;
    std::optional<std::size_t> input_items;
    std::optional<std::string> last_input_type;
    std::optional<bool> stream;
    std::optional<bool> generate;
    std::optional<std::string> previous_response_id;
    std::optional<std::string> reasoning_effort;
    bool has_function_call_output = false;
    bool has_encrypted_content = false;  ///< an input item carries encrypted_content (reasoning)
    std::optional<std::size_t> history_items;  ///< websocket: items known after this frame
    std::optional<std::string> request_kind;   ///< turn, prewarm, compaction, ... when said
    std::optional<std::string> turn_state;     ///< websocket: the frame's client_metadata value
    std::size_t body_bytes = 0;                ///< as received (compressed size if encoded)
    std::optional<std::string> content_encoding;
    std::optional<std::string> grant_type;  ///< oauth
    /// Files a request concerns: those a Responses input references, or the one a files
    /// endpoint created, finalized or received bytes for.
    std::vector<std::string> file_ids;
};

nlohmann::json toJson(const RecordedRequest& record);

/// The request headers worth asserting on in gateway tests; authorization is deliberately absent.
const std::vector<std::string>& recordedHeaderNames();

/// Bounded in-memory log of requests for the control API. Thread-safe; a full log drops the
/// oldest entry, so a long benchmark run cannot grow it without limit.
class RequestRecorder final {
public:
    explicit RequestRecorder(std::size_t capacity);

    /// Copies the selected headers of `request` into `record`.
    static void captureHeaders(const Poco::Net::HTTPRequest& request, RecordedRequest& record);

    void record(RecordedRequest record);
    /// Entries in arrival order, optionally only one account's or one path's.
    std::vector<RecordedRequest> snapshot(const std::string& account_id = {},
                                          const std::string& path = {}) const;
    void clear();
    std::uint64_t total() const;

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<RecordedRequest> entries_;
    std::uint64_t next_seq_ = 1;
};

}  // namespace sluice::emulator

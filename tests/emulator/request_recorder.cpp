#include "tests/emulator/request_recorder.hpp"

#include <chrono>

namespace sluice::emulator {

const std::vector<std::string>& recordedHeaderNames() {
    static const std::vector<std::string> names = {
        "chatgpt-account-id",
        "originator",
        "user-agent",
        "version",
        "session-id",
        "thread-id",
        "x-client-request-id",
        "x-codex-window-id",
        "x-codex-turn-state",
        "x-codex-turn-metadata",
        "x-codex-beta-features",
        "x-codex-routing-hint",
        "x-openai-internal-codex-responses-lite",
        "openai-beta",
        "content-type",
        "content-encoding",
        "accept",
    };
    return names;
}

nlohmann::json toJson(const RecordedRequest& record) {
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [name, value] : record.headers)
        headers[name] = value;
    nlohmann::json out = {
        {"seq", record.seq},
        {"time_ms", record.time_ms},
        {"account_id", record.account_id},
        {"method", record.method},
        {"path", record.path},
        {"transport", record.transport},
        {"status", record.status},
        {"outcome", record.outcome},
        {"headers", std::move(headers)},
        {"has_function_call_output", record.has_function_call_output},
        {"has_encrypted_content", record.has_encrypted_content},
        {"body_bytes", record.body_bytes},
        {"file_ids", record.file_ids},
    };
    const auto optional = [&out](const char* key, const auto& value) {
        out[key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    optional("model", record.model);
    optional("input_items", record.input_items);
    optional("last_input_type", record.last_input_type);
    optional("stream", record.stream);
    optional("generate", record.generate);
    optional("previous_response_id", record.previous_response_id);
    optional("reasoning_effort", record.reasoning_effort);
    optional("history_items", record.history_items);
    optional("content_encoding", record.content_encoding);
    optional("grant_type", record.grant_type);
    optional("request_kind", record.request_kind);
    optional("turn_state", record.turn_state);
    return out;
}

RequestRecorder::RequestRecorder(std::size_t capacity) : capacity_(capacity) {}

void RequestRecorder::captureHeaders(const Poco::Net::HTTPRequest& request,
                                     RecordedRequest& record) {
    for (const auto& name : recordedHeaderNames()) {
        const auto it = request.find(name);
        if (it != request.end())
            record.headers.emplace_back(name, it->second);
    }
}

void RequestRecorder::record(RecordedRequest record) {
    if (capacity_ == 0)
        return;
    record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(mutex_);
    record.seq = next_seq_++;
    if (entries_.size() >= capacity_)
        entries_.pop_front();
    entries_.push_back(std::move(record));
}

std::vector<RecordedRequest> RequestRecorder::snapshot(const std::string& account_id,
                                                       const std::string& path) const {
    std::lock_guard lock(mutex_);
    std::vector<RecordedRequest> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) {
        if (!account_id.empty() && entry.account_id != account_id)
            continue;
        if (!path.empty() && entry.path != path)
            continue;
        out.push_back(entry);
    }
    return out;
}

void RequestRecorder::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

std::uint64_t RequestRecorder::total() const {
    std::lock_guard lock(mutex_);
    return next_seq_ - 1;
}

}  // namespace sluice::emulator

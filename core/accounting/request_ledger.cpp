#include "core/accounting/request_ledger.hpp"

#include "core/accounting/utc_time.hpp"
#include "core/dispatch/response_completion.hpp"
#include "core/security/identifiers.hpp"

namespace sluice::core::accounting {

void RequestLedger::refused(std::string_view model, const sdk::ErrorInfo& error) {
    if (!model.empty()) {
        trace_.model = std::string(model);
    }
    trace_.error_code = error.code;
}

void RequestLedger::charge(admission::AdmissionTicket ticket,
                           const sdk::DispatchOutcome& outcome) noexcept {
    ticket.settle(outcome.usage);
    dispatch::addUsage(usage_, outcome.usage);
}

void RequestLedger::settleTurn(const SettledTurn& turn) noexcept {
    dispatch::addUsage(usage_, turn.usage);
    if (charges_ == nullptr) {
        return;
    }
    try {
        SettledRequest settled;
        settled.record = originRow(turn.usage);
        settled.record.model = turn.model;
        settled.trace.response_id = turn.response_id;
        settled.trace.conversation_key = turn.conversation_key;
        charges_->charge(settled);
    } catch (const std::exception&) {
        // Out of memory building the turn's charge: the books cannot be written either.
    }
}

sdk::RequestLogRecord RequestLedger::originRow(const sdk::TokenUsage& usage) const {
    sdk::RequestLogRecord record;
    record.started_at = origin_.started_at;
    record.id = security::newRecordId("req", origin_.started_at);
    record.pool = origin_.pool;
    record.key_prefix = origin_.key_prefix;
    record.method = origin_.method;
    record.route_path = origin_.route_path;
    record.route = origin_.operation;
    record.route_class = origin_.route_class;
    record.account_id = trace_.account_id;
    record.account_label = trace_.account_label;
    record.input_tokens = usage.input_tokens;
    record.cached_input_tokens = usage.cached_input_tokens;
    record.output_tokens = usage.output_tokens;
    record.reasoning_tokens = usage.reasoning_tokens;
    return record;
}

sdk::RequestLogRecord RequestLedger::row(const TransportFacts& facts) const {
    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    sdk::RequestLogRecord record = originRow(usage_);
    record.model = trace_.model;
    record.status = facts.status;
    record.error_code = trace_.error_code;
    record.attempts = static_cast<std::uint32_t>(trace_.attempts.size());
    record.latency_us = duration_cast<microseconds>(facts.finished - origin_.started).count();
    if (facts.first_byte_at) {
        record.first_byte_us =
            duration_cast<microseconds>(*facts.first_byte_at - origin_.started).count();
    }
    return record;
}

sdk::UsageBucket RequestLedger::usageOf(const sdk::RequestLogRecord& row) {
    sdk::UsageBucket bucket;
    bucket.day = utcDay(row.started_at);
    bucket.pool = row.pool;
    bucket.key_prefix = row.key_prefix;
    bucket.account_id = row.account_id;
    bucket.model = row.model;
    bucket.requests = 1;
    bucket.errors = row.status >= 400 || !row.error_code.empty() ? 1 : 0;
    bucket.input_tokens = row.input_tokens;
    bucket.cached_input_tokens = row.cached_input_tokens;
    bucket.output_tokens = row.output_tokens;
    bucket.reasoning_tokens = row.reasoning_tokens;
    return bucket;
}

void RequestLedger::settle(const TransportFacts& facts) {
    if (settled_) {
        return;
    }
    settled_ = true;
    sdk::RequestLogRecord record = row(facts);
    sdk::UsageBucket usage = usageOf(record);
    SettledRequest settled{std::move(record), std::move(usage), std::move(trace_)};
    if (charges_ != nullptr && !charged_by_turns_) {
        charges_->charge(settled);
    }
    sink_.submit(std::move(settled));
}

}  // namespace sluice::core::accounting

#include "collected_turn.hpp"

#include "collecting_event_sink.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

Translated<nlohmann::json> collectTurn(sdk::Gateway& gateway, const sdk::DispatchRequest& request,
                                       std::uint64_t max_bytes, sdk::DispatchOutcome& outcome,
                                       sdk::Headers& kept) {
    CollectingEventSink sink(max_bytes);
    outcome = gateway.dispatch(request, sink);
    kept = sink.kept();
    if (sink.overflowed()) {
        return upstreamError("upstream_answer_too_large");
    }
    switch (outcome.status) {
        case sdk::DispatchStatus::Rejected:
            return redactedFailure(outcome);
        case sdk::DispatchStatus::Interrupted:
        case sdk::DispatchStatus::ClientGone:
            return upstreamError("upstream_stream_interrupted");
        case sdk::DispatchStatus::Completed:
            break;
    }
    const ResponseCollector& collector = sink.collector();
    switch (collector.state()) {
        case ResponseCollector::State::Completed:
        case ResponseCollector::State::Incomplete:
            return collector.response();
        case ResponseCollector::State::Failed:
            return failureFromEvent(collector.failureCode());
        case ResponseCollector::State::Pending:
            break;
    }
    return upstreamError("upstream_stream_incomplete");
}

}  // namespace sluice::plugins::route_openai

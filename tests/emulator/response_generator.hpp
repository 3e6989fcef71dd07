#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/emulator/event_sink.hpp"
#include "tests/emulator/script.hpp"
#include "tests/emulator/turn_request.hpp"

namespace sluice::emulator {

/// Which answer a request gets (§10's scenario switch).
enum class Scenario { kPrewarm, kText, kToolCall, kCompaction, kImage };

/// Prewarm for generate:false; a compaction item for a trailing compaction_trigger; a final
/// text after a trailing function_call_output; an image_generation_call when the request
/// offers the image_generation tool; a tool call in tool_call mode; else text.
Scenario chooseScenario(const TurnRequest& turn, Mode mode);

/// The id prefix of a scenario's output item (msg, fc, cmp, ig).
const char* itemPrefix(Scenario scenario);

/// Identifiers of one response, unique within an emulator run.
struct ResponseIds {
    std::string response;  ///< resp_...
    std::string item;      ///< msg_... / fc_... / cmp_... / ig_...
    std::string call;      ///< call_... (tool calls)
};

/// Builds the Responses events of one successful answer (§3.2, §3.3, §7) and its final
/// response object. One instance per response; not shared between threads.
class ResponseGenerator final {
public:
    ResponseGenerator(Scenario scenario, const Behaviour& behaviour, ResponseIds ids,
                      std::string model, std::int64_t created_at);

    /// Sent right after response.in_progress when set (codex.rate_limits).
    void setRateLimitsEvent(EventJson event) { rate_limits_event_ = std::move(event); }

    /// Emits the whole stream; false when the sink stopped it early.
    bool stream(EventSink& sink);
    /// What response.completed carries; also the body of a `"stream": false` answer.
    EventJson finalResponse() const;
    /// A response.failed event as the first event of a stream.
    EventJson failedEvent(const std::string& code, const std::string& message) const;

    const ResponseIds& ids() const noexcept { return ids_; }

private:
    EventJson responseObject(const char* status, EventJson output) const;
    EventJson outputItem() const;
    EventJson usageJson() const;
    EventJson event(const char* type);
    bool streamText(EventSink& sink);
    bool streamToolCall(EventSink& sink);
    bool streamCompaction(EventSink& sink);
    bool streamImage(EventSink& sink);

    Scenario scenario_;
    const Behaviour& behaviour_;
    std::vector<std::string> deltas_;  ///< text answers: the parts, split once
    std::string text_;                 ///< their concatenation
    ResponseIds ids_;
    std::string model_;
    std::int64_t created_at_;
    std::optional<EventJson> rate_limits_event_;
    std::int64_t sequence_ = 0;
};

/// Splits `text` into `parts` byte ranges without cutting a UTF-8 sequence; later parts may be
/// empty when the text is shorter than the number of parts.
std::vector<std::string> splitIntoDeltas(const std::string& text, int parts);

}  // namespace sluice::emulator

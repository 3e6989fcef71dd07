#include "tests/emulator/response_generator.hpp"

#include "tests/emulator/token_minter.hpp"

namespace sluice::emulator {
namespace {

/// A 1x1 PNG: a real image that decoders accept, small enough for every test.
constexpr const char* kPixelPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
    "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

}  // namespace

Scenario chooseScenario(const TurnRequest& turn, Mode mode) {
    if (!turn.generate)
        return Scenario::kPrewarm;
    if (turn.last_input_type == "compaction_trigger")
        return Scenario::kCompaction;
    if (turn.last_input_type == "function_call_output")
        return Scenario::kText;
    if (turn.image_generation)
        return Scenario::kImage;
    if (mode == Mode::kToolCall)
        return Scenario::kToolCall;
    return Scenario::kText;
}

const char* itemPrefix(Scenario scenario) {
    switch (scenario) {
        case Scenario::kToolCall:
            return "fc";
        case Scenario::kCompaction:
            return "cmp";
        case Scenario::kImage:
            return "ig";
        case Scenario::kPrewarm:
        case Scenario::kText:
            break;
    }
    return "msg";
}

std::vector<std::string> splitIntoDeltas(const std::string& text, int parts) {
    std::vector<std::string> out;
    if (parts <= 0)
        return out;
    out.reserve(static_cast<std::size_t>(parts));
    const auto is_continuation = [&text](std::size_t at) {
        return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
    };
    std::size_t begin = 0;
    for (int i = 1; i <= parts; ++i) {
        std::size_t end =
            text.size() * static_cast<std::size_t>(i) / static_cast<std::size_t>(parts);
        while (is_continuation(end))
            ++end;
        end = std::max(end, begin);
        out.push_back(text.substr(begin, end - begin));
        begin = end;
    }
    return out;
}

ResponseGenerator::ResponseGenerator(Scenario scenario, const Behaviour& behaviour, ResponseIds ids,
                                     std::string model, std::int64_t created_at)
    : scenario_(scenario),
      behaviour_(behaviour),
      ids_(std::move(ids)),
      model_(std::move(model)),
      created_at_(created_at) {
    if (scenario_ == Scenario::kText) {
        deltas_ = splitIntoDeltas(behaviour_.text, behaviour_.deltas);
        for (const auto& part : deltas_)
            text_ += part;
    }
}

EventJson ResponseGenerator::event(const char* type) {
    return {{"type", type}, {"sequence_number", sequence_++}};
}

EventJson ResponseGenerator::usageJson() const {
    if (scenario_ == Scenario::kPrewarm) {
        return {{"input_tokens", 0},
                {"input_tokens_details", {{"cached_tokens", 0}}},
                {"output_tokens", 0},
                {"output_tokens_details", {{"reasoning_tokens", 0}}},
                {"total_tokens", 0}};
    }
    const auto& usage = behaviour_.usage;
    return {{"input_tokens", usage.input_tokens},
            {"input_tokens_details", {{"cached_tokens", usage.cached_tokens}}},
            {"output_tokens", usage.output_tokens},
            {"output_tokens_details", {{"reasoning_tokens", usage.reasoning_tokens}}},
            {"total_tokens", usage.input_tokens + usage.output_tokens}};
}

EventJson ResponseGenerator::responseObject(const char* status, EventJson output) const {
    return {{"id", ids_.response},
            {"object", "response"},
            {"created_at", created_at_},
            {"status", status},
            {"model", model_},
            {"output", std::move(output)},
            {"parallel_tool_calls", true},
            {"store", false}};
}

EventJson ResponseGenerator::outputItem() const {
    switch (scenario_) {
        case Scenario::kPrewarm:
            return nullptr;
        case Scenario::kToolCall:
            return {
                {"type", "function_call"},
                {"id", ids_.item},
                {"status", "completed"},
                {"name", behaviour_.tool},
                {"call_id", ids_.call},
                {"arguments", EventJson{{behaviour_.tool_argument, behaviour_.command}}.dump()}};
        case Scenario::kCompaction:
            return {{"type", "compaction"},
                    {"id", ids_.item},
                    {"encrypted_content", "emu-compaction." + base64UrlEncode(ids_.response)}};
        case Scenario::kImage:
            return {{"type", "image_generation_call"},
                    {"id", ids_.item},
                    {"status", "completed"},
                    {"background", "opaque"},
                    {"output_format", "png"},
                    {"quality", "low"},
                    {"size", "1024x1024"},
                    {"revised_prompt", "An emulated image."},
                    {"result", kPixelPng}};
        case Scenario::kText:
            break;
    }
    return {{"type", "message"},
            {"id", ids_.item},
            {"status", "completed"},
            {"role", "assistant"},
            {"content",
             {{{"type", "output_text"}, {"text", text_}, {"annotations", EventJson::array()}}}}};
}

EventJson ResponseGenerator::finalResponse() const {
    auto output = EventJson::array();
    if (auto item = outputItem(); !item.is_null())
        output.push_back(std::move(item));
    auto response = responseObject("completed", std::move(output));
    response["usage"] = usageJson();
    return response;
}

EventJson ResponseGenerator::failedEvent(const std::string& code,
                                         const std::string& message) const {
    auto response = responseObject("failed", EventJson::array());
    response["error"] = {{"code", code}, {"message", message}};
    return {{"type", "response.failed"}, {"sequence_number", 0}, {"response", std::move(response)}};
}

bool ResponseGenerator::stream(EventSink& sink) {
    auto created = event("response.created");
    created["response"] = responseObject("in_progress", EventJson::array());
    if (!sink.emit(created))
        return false;
    if (scenario_ != Scenario::kPrewarm) {
        auto progress = event("response.in_progress");
        progress["response"] = std::move(created["response"]);
        if (!sink.emit(progress))
            return false;
        if (rate_limits_event_ && !sink.emit(*rate_limits_event_))
            return false;
    }
    bool ok = true;
    switch (scenario_) {
        case Scenario::kPrewarm:
            break;
        case Scenario::kText:
            ok = streamText(sink);
            break;
        case Scenario::kToolCall:
            ok = streamToolCall(sink);
            break;
        case Scenario::kCompaction:
            ok = streamCompaction(sink);
            break;
        case Scenario::kImage:
            ok = streamImage(sink);
            break;
    }
    if (!ok)
        return false;
    auto completed = event("response.completed");
    completed["response"] = finalResponse();
    return sink.emit(completed);
}

bool ResponseGenerator::streamText(EventSink& sink) {
    const auto part_with = [](const std::string& value) {
        return EventJson{
            {"type", "output_text"}, {"text", value}, {"annotations", EventJson::array()}};
    };
    const auto with_position = [this](EventJson e) {
        e["item_id"] = ids_.item;
        e["output_index"] = 0;
        e["content_index"] = 0;
        return e;
    };

    auto added = event("response.output_item.added");
    added["output_index"] = 0;
    added["item"] = {{"type", "message"},
                     {"id", ids_.item},
                     {"status", "in_progress"},
                     {"role", "assistant"},
                     {"content", EventJson::array()}};
    if (!sink.emit(added))
        return false;
    auto part_added = with_position(event("response.content_part.added"));
    part_added["part"] = part_with("");
    if (!sink.emit(part_added))
        return false;
    for (const auto& delta : deltas_) {
        auto e = with_position(event("response.output_text.delta"));
        e["delta"] = delta;
        if (!sink.emit(e))
            return false;
    }
    auto text_done = with_position(event("response.output_text.done"));
    text_done["text"] = text_;
    if (!sink.emit(text_done))
        return false;
    auto part_done = with_position(event("response.content_part.done"));
    part_done["part"] = part_with(text_);
    if (!sink.emit(part_done))
        return false;
    auto item_done = event("response.output_item.done");
    item_done["output_index"] = 0;
    item_done["item"] = outputItem();
    return sink.emit(item_done);
}

bool ResponseGenerator::streamToolCall(EventSink& sink) {
    auto item = outputItem();
    const auto arguments = item["arguments"].get<std::string>();
    auto added = event("response.output_item.added");
    added["output_index"] = 0;
    added["item"] = item;
    added["item"]["status"] = "in_progress";
    added["item"]["arguments"] = "";
    if (!sink.emit(added))
        return false;
    auto delta = event("response.function_call_arguments.delta");
    delta["item_id"] = ids_.item;
    delta["output_index"] = 0;
    delta["delta"] = arguments;
    if (!sink.emit(delta))
        return false;
    auto done = event("response.function_call_arguments.done");
    done["item_id"] = ids_.item;
    done["output_index"] = 0;
    done["arguments"] = arguments;
    if (!sink.emit(done))
        return false;
    auto item_done = event("response.output_item.done");
    item_done["output_index"] = 0;
    item_done["item"] = std::move(item);
    return sink.emit(item_done);
}

bool ResponseGenerator::streamCompaction(EventSink& sink) {
    auto item = outputItem();
    auto added = event("response.output_item.added");
    added["output_index"] = 0;
    added["item"] = item;
    if (!sink.emit(added))
        return false;
    auto item_done = event("response.output_item.done");
    item_done["output_index"] = 0;
    item_done["item"] = std::move(item);
    return sink.emit(item_done);
}

bool ResponseGenerator::streamImage(EventSink& sink) {
    auto item = outputItem();
    auto added = event("response.output_item.added");
    added["output_index"] = 0;
    added["item"] = {
        {"type", "image_generation_call"}, {"id", ids_.item}, {"status", "in_progress"}};
    if (!sink.emit(added))
        return false;
    for (const char* stage :
         {"response.image_generation_call.in_progress", "response.image_generation_call.generating",
          "response.image_generation_call.completed"}) {
        auto progress = event(stage);
        progress["output_index"] = 0;
        progress["item_id"] = ids_.item;
        if (!sink.emit(progress))
            return false;
    }
    auto item_done = event("response.output_item.done");
    item_done["output_index"] = 0;
    item_done["item"] = std::move(item);
    return sink.emit(item_done);
}

}  // namespace sluice::emulator

#include "core/dispatch/response_completion.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

/// Reads the id and usage of a completion without building a document: every answer and every
/// stream ends with one, and the full response object it carries (output text included) made
/// a DOM parse one of the largest per-request costs.
class CompletionReader final : public nlohmann::json_sax<json> {
public:
    /// Where an answer keeps its id and usage: at the top, or inside "response".
    enum Holder : std::size_t { kTop, kResponse };

    ResponseCompletion result() const {
        const Found& found = response_is_object_ ? found_[kResponse] : found_[kTop];
        ResponseCompletion completion{found.id, found.usage};
        if (completion.usage.total_tokens == 0) {
            completion.usage.total_tokens = completion.usage.input_tokens + completion.usage.output_tokens;
        }
        return completion;
    }

    bool start_object(std::size_t) override {
        frames_.push_back(objectFrame());
        if (frames_.back().kind == Kind::Holder && frames_.back().holder == kResponse) {
            response_is_object_ = true;
            found_[kResponse] = {};
        } else if (frames_.back().kind == Kind::Usage) {
            found_[frames_.back().holder].usage = {};
        }
        return true;
    }
    bool start_array(std::size_t) override {
        frames_.push_back({Kind::Other, kTop});
        return true;
    }
    bool end_object() override { return pop(); }
    bool end_array() override { return pop(); }
    bool key(string_t& name) override {
        key_ = name;
        return true;
    }

    bool string(string_t& value) override {
        if (const Frame* frame = parent(); frame != nullptr && frame->kind == Kind::Holder && key_ == "id") {
            found_[frame->holder].id = value;
            return true;
        }
        return count(0);
    }
    bool number_unsigned(number_unsigned_t value) override {
        count(value);
        return true;
    }
    // Any other value where a count belongs reads as 0, and where the id belongs as no id.
    bool number_integer(number_integer_t) override { return count(0); }
    bool number_float(number_float_t, const string_t&) override { return count(0); }
    bool boolean(bool) override { return count(0); }
    bool null() override { return count(0); }
    bool binary(binary_t&) override { return count(0); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    enum class Kind { Holder, Usage, InputDetails, OutputDetails, Other };
    struct Frame {
        Kind kind;
        Holder holder;
    };
    struct Found {
        std::string id;
        sdk::TokenUsage usage;
    };

    const Frame* parent() const { return frames_.empty() ? nullptr : &frames_.back(); }

    Frame objectFrame() const {
        const Frame* frame = parent();
        if (frame == nullptr) {
            return {Kind::Holder, kTop};
        }
        switch (frame->kind) {
            case Kind::Holder:
                if (frame->holder == kTop && key_ == "response") {
                    return {Kind::Holder, kResponse};
                }
                return {key_ == "usage" ? Kind::Usage : Kind::Other, frame->holder};
            case Kind::Usage:
                if (key_ == "input_tokens_details") {
                    return {Kind::InputDetails, frame->holder};
                }
                return {key_ == "output_tokens_details" ? Kind::OutputDetails : Kind::Other, frame->holder};
            default: return {Kind::Other, frame->holder};
        }
    }

    bool pop() {
        frames_.pop_back();
        return true;
    }

    bool count(std::uint64_t value) {
        const Frame* frame = parent();
        if (frame == nullptr) {
            return true;
        }
        sdk::TokenUsage& usage = found_[frame->holder].usage;
        if (frame->kind == Kind::Usage) {
            if (key_ == "input_tokens") {
                usage.input_tokens = value;
            } else if (key_ == "output_tokens") {
                usage.output_tokens = value;
            } else if (key_ == "total_tokens") {
                usage.total_tokens = value;
            }
        } else if (frame->kind == Kind::InputDetails && key_ == "cached_tokens") {
            usage.cached_input_tokens = value;
        } else if (frame->kind == Kind::OutputDetails && key_ == "reasoning_tokens") {
            usage.reasoning_tokens = value;
        } else if (frame->kind == Kind::Holder && key_ == "id") {
            found_[frame->holder].id.clear();  // an id that is not a string reads as none
        }
        return true;
    }

    std::vector<Frame> frames_;
    std::string key_;
    Found found_[2];
    bool response_is_object_ = false;
};

}  // namespace

ResponseCompletion readCompletion(std::string_view json_text) {
    CompletionReader reader;
    if (!json::sax_parse(json_text, &reader)) {
        return {};
    }
    return reader.result();
}

void addUsage(sdk::TokenUsage& total, const sdk::TokenUsage& part) noexcept {
    total.input_tokens += part.input_tokens;
    total.cached_input_tokens += part.cached_input_tokens;
    total.output_tokens += part.output_tokens;
    total.reasoning_tokens += part.reasoning_tokens;
    total.total_tokens += part.total_tokens;
}

}  // namespace sluice::core::dispatch

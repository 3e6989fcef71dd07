#include "core/upstream/sse_parser.hpp"

#include <algorithm>

#include "core/upstream/json_scan.hpp"

namespace sluice::core::upstream {

namespace {

// Index just past the blank line ending the block that starts at `from`, or npos.
std::size_t blockEnd(const std::string& buffer, std::size_t from) {
    for (std::size_t i = from; i < buffer.size(); ++i) {
        if (buffer[i] != '\n') {
            continue;
        }
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
            return i + 2;
        }
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            return i + 3;
        }
    }
    return std::string::npos;
}

}  // namespace

std::size_t SseParser::nextBlockEnd() {
    // A terminator may straddle the previous scan's end ("\n|\r\n"), so back up two bytes.
    const std::size_t from = std::max(consumed_, scanned_ >= 2 ? scanned_ - 2 : 0);
    const std::size_t end = blockEnd(buffer_, from);
    scanned_ = end == std::string::npos ? buffer_.size() : end;
    return end;
}

void SseParser::feed(std::string_view bytes) {
    if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
        buffer_.erase(0, consumed_);
        scanned_ -= std::min(scanned_, consumed_);
        consumed_ = 0;
    }
    buffer_.append(bytes);
    if (pending() > kMaxEventBytes && nextBlockEnd() == std::string::npos) {
        overflowed_ = true;
    }
}

bool SseParser::take(sdk::SseEvent& event) {
    while (true) {
        const std::size_t end = nextBlockEnd();
        if (end == std::string::npos) {
            return false;
        }
        const std::string_view block(buffer_.data() + consumed_, end - consumed_);
        consumed_ = end;
        data_.clear();
        bool has_data = false;
        std::size_t line_start = 0;
        while (line_start < block.size()) {
            std::size_t line_end = block.find('\n', line_start);
            if (line_end == std::string_view::npos) {
                line_end = block.size();
            }
            std::string_view line = block.substr(line_start, line_end - line_start);
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            line_start = line_end + 1;
            if (line.rfind("data:", 0) == 0) {
                std::string_view value = line.substr(5);
                if (!value.empty() && value.front() == ' ') {
                    value.remove_prefix(1);
                }
                if (has_data) {
                    data_.push_back('\n');
                }
                data_.append(value);
                has_data = true;
            }
        }
        if (!has_data) {
            continue;  // comments, bare `event:` lines, retry hints
        }
        event.raw = block;
        event.data = data_;
        event.type = topLevelString(data_, "type").value_or(std::string_view());
        return true;
    }
}

}  // namespace sluice::core::upstream

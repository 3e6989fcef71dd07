#include "redis_blocks.hpp"

#include <charconv>
#include <cstdint>

namespace sluice::plugins::state_redis {

std::string blockKey(std::string_view prefix, std::string_view account_id) {
    return std::string(prefix).append(":block:").append(account_id);
}

std::string blockIndexKey(std::string_view prefix) {
    return std::string(prefix).append(":blocked");
}

std::int64_t unixMilliseconds(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string encodeBlock(std::string_view instance, const sdk::AccountBlock& block) {
    std::string text(instance);
    text.append(" ").append(std::to_string(unixMilliseconds(block.until))).append(" ");
    return text.append(block.account_id);
}

std::optional<PublishedBlock> decodeBlock(std::string_view payload) {
    const auto space = payload.find(' ');
    if (space == std::string_view::npos || space == 0) {
        return std::nullopt;
    }
    PublishedBlock published;
    published.instance = std::string(payload.substr(0, space));
    payload.remove_prefix(space + 1);
    std::int64_t until = 0;
    const auto [end, error] =
        std::from_chars(payload.data(), payload.data() + payload.size(), until);
    if (error != std::errc() || until <= 0 || end == payload.data() + payload.size() ||
        *end != ' ' || end + 1 == payload.data() + payload.size()) {
        return std::nullopt;
    }
    published.block.until = sdk::TimePoint(std::chrono::milliseconds(until));
    published.block.account_id = std::string(end + 1, payload.data() + payload.size());
    return published;
}

}  // namespace sluice::plugins::state_redis

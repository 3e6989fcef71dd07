#include "redis_bindings.hpp"

#include <charconv>
#include <cstdint>

namespace sluice::plugins::state_redis {

namespace {

std::string_view kindName(sdk::BindingKind kind) {
    return kind == sdk::BindingKind::Response ? "response" : "conversation";
}

// Reads a decimal number and the space after it from the front of `text`.
template <class T>
std::optional<T> takeNumber(std::string_view& text) {
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end == text.data() + text.size() || *end != ' ') {
        return std::nullopt;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
    return value;
}

}  // namespace

std::string bindingKey(std::string_view prefix, sdk::BindingKind kind, std::string_view pool,
                       std::string_view key) {
    std::string text(prefix);
    text.append(":binding:").append(kindName(kind)).append(":");
    text.append(std::to_string(pool.size())).append(":").append(pool).append(":").append(key);
    return text;
}

std::string encodeBinding(std::string_view instance, const sdk::AccountBinding& binding) {
    std::string text(instance);
    text.append(binding.kind == sdk::BindingKind::Response ? " r " : " c ");
    text.append(std::to_string(binding.ttl.count())).append(" ");
    text.append(std::to_string(binding.pool.size())).append(" ");
    text.append(std::to_string(binding.account_id.size())).append(" ");
    return text.append(binding.pool).append(binding.account_id).append(binding.key);
}

std::optional<PublishedBinding> decodeBinding(std::string_view payload) {
    PublishedBinding published;
    const auto space = payload.find(' ');
    if (space == std::string_view::npos || space == 0 || payload.size() < space + 3 ||
        payload[space + 2] != ' ') {
        return std::nullopt;
    }
    published.instance = std::string(payload.substr(0, space));
    const char kind = payload[space + 1];
    if (kind != 'c' && kind != 'r') {
        return std::nullopt;
    }
    published.binding.kind =
        kind == 'r' ? sdk::BindingKind::Response : sdk::BindingKind::Conversation;
    payload.remove_prefix(space + 3);
    const auto ttl = takeNumber<std::int64_t>(payload);
    const auto pool = takeNumber<std::size_t>(payload);
    const auto account = takeNumber<std::size_t>(payload);
    if (!ttl || !pool || !account || *ttl <= 0 || *pool == 0 || *account == 0 ||
        payload.size() <= *pool + *account) {
        return std::nullopt;
    }
    published.binding.ttl = std::chrono::milliseconds(*ttl);
    published.binding.pool = std::string(payload.substr(0, *pool));
    published.binding.account_id = std::string(payload.substr(*pool, *account));
    published.binding.key = std::string(payload.substr(*pool + *account));
    return published;
}

}  // namespace sluice::plugins::state_redis

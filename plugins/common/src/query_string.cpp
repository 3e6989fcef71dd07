#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::common {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Malformed escapes are kept literally rather than refused: a filter value that does not
// match is a clearer answer than an error about encoding.
std::string decode(std::string_view raw) {
    std::string value;
    value.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
            value += ' ';
        } else if (raw[i] == '%' && i + 2 < raw.size() && hexValue(raw[i + 1]) >= 0 &&
                   hexValue(raw[i + 2]) >= 0) {
            value += static_cast<char>(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2]));
            i += 2;
        } else {
            value += raw[i];
        }
    }
    return value;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!query.empty()) {
        const std::size_t end = query.find('&');
        const std::string_view pair = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
        if (pair.empty()) {
            continue;
        }
        const std::size_t equals = pair.find('=');
        const std::string_view value =
            equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
        pairs.emplace_back(decode(pair.substr(0, equals)), decode(value));
    }
    return pairs;
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
    for (auto& [key, value] : parseQuery(query)) {
        if (key == name) {
            return std::move(value);
        }
    }
    return std::nullopt;
}

}  // namespace sluice::plugins::common

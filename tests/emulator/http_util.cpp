#include "tests/emulator/http_util.hpp"

#include <Poco/URI.h>

namespace sluice::emulator {

void sendJsonText(Poco::Net::HTTPServerResponse& response, int status, const std::string& body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

void sendJson(Poco::Net::HTTPServerResponse& response, int status, const nlohmann::json& body) {
    sendJsonText(response, status, body.dump());
}

nlohmann::json errorBody(std::string_view type, std::string_view code, std::string_view message) {
    return {{"error", {{"type", type}, {"code", code}, {"message", message}, {"param", nullptr}}}};
}

std::string bearerToken(const Poco::Net::HTTPRequest& request) {
    // A copy: with a missing header get() returns a reference to its temporary default.
    const std::string value = request.get("Authorization", "");
    constexpr std::string_view kPrefix = "bearer ";
    if (value.size() <= kPrefix.size())
        return {};
    for (std::size_t i = 0; i < kPrefix.size(); ++i) {
        if (static_cast<char>(std::tolower(static_cast<unsigned char>(value[i]))) != kPrefix[i]) {
            return {};
        }
    }
    auto token = value.substr(kPrefix.size());
    while (!token.empty() && token.front() == ' ')
        token.erase(token.begin());
    while (!token.empty() && token.back() == ' ')
        token.pop_back();
    return token;
}

std::string requestPath(const Poco::Net::HTTPRequest& request) {
    const auto& uri = request.getURI();
    const auto query = uri.find('?');
    return query == std::string::npos ? uri : uri.substr(0, query);
}

std::string queryParameter(const Poco::Net::HTTPRequest& request, std::string_view name) {
    try {
        const Poco::URI uri(request.getURI());
        for (const auto& [key, value] : uri.getQueryParameters()) {
            if (key == name)
                return value;
        }
    } catch (const Poco::Exception&) {
    }
    return {};
}

std::vector<std::string> queryParameters(const Poco::Net::HTTPRequest& request,
                                         std::string_view name) {
    std::vector<std::string> values;
    try {
        const Poco::URI uri(request.getURI());
        for (const auto& [key, value] : uri.getQueryParameters()) {
            if (key == name)
                values.push_back(value);
        }
    } catch (const Poco::Exception&) {
    }
    return values;
}

std::optional<std::string> readBody(std::istream& in, std::size_t limit) {
    std::string body;
    char chunk[16384];
    while (in) {
        in.read(chunk, sizeof chunk);
        body.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit)
            return std::nullopt;
    }
    return body;
}

nlohmann::json parseFormBody(const std::string& body) {
    auto out = nlohmann::json::object();
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('&', start);
        if (end == std::string::npos)
            end = body.size();
        const auto pair = body.substr(start, end - start);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            std::string key;
            std::string value;
            auto plus_to_space = [](std::string text) {
                for (auto& c : text)
                    c = c == '+' ? ' ' : c;
                return text;
            };
            try {
                Poco::URI::decode(plus_to_space(pair.substr(0, eq)), key);
                if (eq != std::string::npos)
                    Poco::URI::decode(plus_to_space(pair.substr(eq + 1)), value);
            } catch (const Poco::Exception&) {
                key.clear();
            }
            if (!key.empty())
                out[key] = value;
        }
        start = end + 1;
    }
    return out;
}

}  // namespace sluice::emulator

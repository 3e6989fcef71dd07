#include "tests/emulator/unit/emulator_fixture.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <ctime>
#include <sstream>

#include "tests/emulator/script_loader.hpp"

namespace sluice::emulator::testing {

std::vector<nlohmann::json> parseSse(const std::string& body) {
    std::vector<nlohmann::json> events;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("data: ", 0) == 0) {
            events.push_back(nlohmann::json::parse(line.substr(6), nullptr, false));
        }
    }
    return events;
}

std::vector<std::string> eventTypes(const std::vector<nlohmann::json>& events) {
    std::vector<std::string> types;
    for (const auto& event : events)
        types.push_back(event.value("type", "?"));
    return types;
}

void EmulatorTest::TearDown() {
    if (server_)
        server_->stop();
    server_.reset();
}

void EmulatorTest::startWith(const std::string& yaml) {
    server_ = std::make_unique<EmulatorServer>(parseScript(yaml, std::time(nullptr)));
    server_->start("127.0.0.1", 0);
}

HttpReply EmulatorTest::call(const HttpCall& request) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setTimeout(Poco::Timespan(request.timeout.count() * 1000));
    Poco::Net::HTTPRequest http(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : request.headers)
        http.set(name, value);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        http.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    session.sendRequest(http) << request.body;
    Poco::Net::HTTPResponse response;
    auto& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response)
        reply.headers[Poco::toLower(name)] = value;
    // A cut stream ends without its terminating chunk; keep whatever arrived before it.
    try {
        char chunk[4096];
        while (in) {
            in.read(chunk, sizeof chunk);
            reply.body.append(chunk, static_cast<std::size_t>(in.gcount()));
        }
    } catch (const Poco::Exception&) {
    }
    return reply;
}

HttpReply EmulatorTest::postResponses(
    const nlohmann::json& body, const std::string& account, const std::string& token,
    std::vector<std::pair<std::string, std::string>> extra) const {
    HttpCall request{"POST", "/backend-api/codex/responses", body.dump()};
    request.headers = {{"Authorization", "Bearer " + token},
                       {"chatgpt-account-id", account},
                       {"Content-Type", "application/json"},
                       {"Accept", "text/event-stream"}};
    for (auto& header : extra)
        request.headers.push_back(std::move(header));
    return call(request);
}

HttpReply EmulatorTest::get(const std::string& path, const std::string& account,
                            const std::string& token) const {
    HttpCall request{"GET", path};
    request.headers = {{"Authorization", "Bearer " + token}, {"chatgpt-account-id", account}};
    return call(request);
}

HttpReply EmulatorTest::control(const std::string& method, const std::string& path,
                                const std::string& body) const {
    HttpCall request{method, "/__emulator/" + path, body};
    if (!body.empty())
        request.headers = {{"Content-Type", "application/json"}};
    return call(request);
}

std::vector<nlohmann::json> EmulatorTest::recorded(const std::string& account) const {
    const auto reply = control("GET", account.empty() ? "requests" : "requests?account=" + account);
    const auto json = reply.json();
    return json.value("requests", std::vector<nlohmann::json>{});
}

nlohmann::json EmulatorTest::turnBody(const std::string& prompt) {
    return {{"model", "gpt-5.5"},
            {"stream", true},
            {"input",
             {{{"type", "message"},
               {"role", "developer"},
               {"content", {{{"type", "input_text"}, {"text", "You are Codex."}}}}},
              {{"type", "message"},
               {"role", "user"},
               {"content", {{{"type", "input_text"}, {"text", prompt}}}}}}},
            {"tools", nlohmann::json::array()},
            {"tool_choice", "auto"},
            {"parallel_tool_calls", true},
            {"store", false},
            {"prompt_cache_key", "thread-1"}};
}

}  // namespace sluice::emulator::testing

#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/emulator/emulator_server.hpp"

namespace sluice::emulator::testing {

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;

    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpCall {
    std::string method = "GET";
    std::string path;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds timeout{10000};
};

/// The `data:` payloads of an SSE body, in order.
std::vector<nlohmann::json> parseSse(const std::string& body);
/// The `type` of each event.
std::vector<std::string> eventTypes(const std::vector<nlohmann::json>& events);

/// Starts an emulator on 127.0.0.1:0 per test, from a YAML script, and offers small HTTP
/// helpers (Poco::Net::HTTPClientSession) to talk to it.
class EmulatorTest : public ::testing::Test {
protected:
    void TearDown() override;

    void startWith(const std::string& yaml);

    HttpReply call(const HttpCall& request) const;
    /// POST /backend-api/codex/responses as `account` with `token`.
    HttpReply postResponses(const nlohmann::json& body, const std::string& account = "acct-a",
                            const std::string& token = "tok-a",
                            std::vector<std::pair<std::string, std::string>> extra = {}) const;
    HttpReply get(const std::string& path, const std::string& account = "acct-a",
                  const std::string& token = "tok-a") const;
    HttpReply control(const std::string& method, const std::string& path,
                      const std::string& body = "") const;
    std::vector<nlohmann::json> recorded(const std::string& account = {}) const;

    /// A minimal Codex-like request body.
    static nlohmann::json turnBody(const std::string& prompt = "say hello");

    std::unique_ptr<EmulatorServer> server_;
};

}  // namespace sluice::emulator::testing

// A scripted stand-in for `codex app-server` over stdio, for the supervisor's unit tests. It
// speaks newline-delimited JSON-RPC like the real one and obeys test methods:
//   initialize            -> {userAgent, codexHome}; FAKE_HELLO=fail answers an error instead
//   test/echo             -> its params
//   test/overloaded       -> -32001 the first FAKE_OVERLOADS times (counted in a file under
//                            FAKE_STATE_DIR so restarts keep counting), then {"attempts":N}
//   test/slow {ms}        -> {} after ms
//   test/exit {code}      -> exits without answering
//   test/notify {method, params} -> sends that notification, then answers {}
//   test/ask {method, params}    -> sends a server request (id 0), answers {}; the client's
//                                   answer comes back as notification test/answered {id, result}
//   test/env {name}       -> {"value": getenv(name)}
//   anything else         -> -32600 unknown variant
// Every start appends a line to $FAKE_STATE_DIR/starts so tests can count restarts.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

using json = nlohmann::json;

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

void send(const json& message) {
    std::cout << message.dump() << '\n' << std::flush;
}

void answer(const json& id, json result) {
    send({{"id", id}, {"result", std::move(result)}});
}

void fail(const json& id, int code, const std::string& message) {
    send({{"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

int bumpCounter(const std::string& name) {
    const std::string path = env("FAKE_STATE_DIR") + "/" + name;
    int count = 0;
    std::ifstream(path) >> count;
    std::ofstream(path, std::ios::trunc) << ++count;
    return count;
}

void handle(const json& message) {
    const json id = message.value("id", json());
    const std::string method = message.value("method", "");
    const json params = message.value("params", json::object());
    if (method.empty()) {
        send({{"method", "test/answered"},
              {"params", {{"id", id}, {"result", message.value("result", json())}}}});
    } else if (method == "initialize") {
        if (env("FAKE_HELLO") == "fail") {
            fail(id, -32603, "initialization refused");
            return;
        }
        answer(id, {{"userAgent", "fake/1.0"}, {"codexHome", env("CODEX_HOME")}});
    } else if (method == "initialized") {
    } else if (method == "test/echo") {
        answer(id, params);
    } else if (method == "test/overloaded") {
        const int attempts = bumpCounter("overloaded");
        if (attempts <= std::atoi(env("FAKE_OVERLOADS").c_str())) {
            fail(id, -32001, "Server overloaded; retry later.");
            return;
        }
        answer(id, {{"attempts", attempts}});
    } else if (method == "test/slow") {
        std::this_thread::sleep_for(std::chrono::milliseconds(params.value("ms", 0)));
        answer(id, json::object());
    } else if (method == "test/exit") {
        std::exit(params.value("code", 3));
    } else if (method == "test/notify") {
        send({{"method", params.value("method", "")}, {"params", params.value("params", json())}});
        answer(id, json::object());
    } else if (method == "test/ask") {
        send({{"id", 0},
              {"method", params.value("method", "")},
              {"params", params.value("params", json())}});
        answer(id, json::object());
    } else if (method == "test/env") {
        answer(id, {{"value", env(params.value("name", "").c_str())}});
    } else {
        fail(id, -32600, "Invalid request: unknown variant `" + method + "`");
    }
}

}  // namespace

int main() {
    if (!env("FAKE_STATE_DIR").empty()) {
        bumpCounter("starts");
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        const json message = json::parse(line, nullptr, false);
        if (message.is_object()) {
            handle(message);
        }
    }
    return 0;
}

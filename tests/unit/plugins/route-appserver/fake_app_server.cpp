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
// and a small Codex: threads per cwd kept in $CODEX_HOME/threads.json (so a restart can resume
// them), thread/list|start|resume|read, turn/start and turn/interrupt. A turn whose text
// contains "approve" asks item/commandExecution/requestApproval first and completes once
// answered; one containing "slow" runs until interrupted; one containing "model" first makes a
// streamed Responses request, as the real one would, to the provider the family wrote into
// $CODEX_HOME/config.toml, with the credential of $SLUICE_POOL_CREDENTIAL and the thread id as
// its session-id (a failed request fails the turn); others complete at once. Every
// completed turn adds 100 input / 10 output tokens to the thread's total, reported twice (as the
// real one does), and thread/resume reports the total again.
//   anything else         -> -32600 unknown variant
// Every start appends a line to $FAKE_STATE_DIR/starts so tests can count restarts.
#include <unistd.h>

#include <algorithm>
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

// --- the small Codex ---------------------------------------------------------------------

json threads = json::object();  // id -> {id, cwd, updated, input, output, turns:[...]}
json loaded = json::array();
json waiting = json::object();  // server request id (as string) -> {threadId, turnId}
int next_request = 0;

std::string threadsFile() {
    return env("CODEX_HOME") + "/threads.json";
}

void loadThreads() {
    std::ifstream in(threadsFile());
    if (in) {
        threads = json::parse(in, nullptr, false);
        if (!threads.is_object()) {
            threads = json::object();
        }
    }
}

void saveThreads() {
    std::ofstream(threadsFile(), std::ios::trunc) << threads.dump();
}

bool isLoaded(const std::string& id) {
    return std::find(loaded.begin(), loaded.end(), id) != loaded.end();
}

void reportUsage(const std::string& thread_id, const std::string& turn_id) {
    const json& thread = threads[thread_id];
    const json total{{"inputTokens", thread["input"]},
                     {"cachedInputTokens", 0},
                     {"outputTokens", thread["output"]},
                     {"reasoningOutputTokens", 0},
                     {"totalTokens", thread["input"].get<int>() + thread["output"].get<int>()}};
    send({{"method", "thread/tokenUsage/updated"},
          {"params",
           {{"threadId", thread_id}, {"turnId", turn_id}, {"tokenUsage", {{"total", total}}}}}});
}

bool askModel(const std::string& thread_id) {
    const std::string command =
        "base=$(sed -n 's/^base_url = \"\\(.*\\)\"$/\\1/p' \"$CODEX_HOME/config.toml\") && "
        "curl -sSf -o /dev/null -X POST \"$base/responses\" "
        "-H \"Authorization: Bearer $SLUICE_POOL_CREDENTIAL\" "
        "-H 'Content-Type: application/json' -H 'session-id: " +
        thread_id +
        "' -d '{\"model\":\"gpt-5.5\",\"stream\":true,\"input\":[{\"type\":\"message\","
        "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}' >&2";
    return std::system(command.c_str()) == 0;
}

void endTurn(const std::string& thread_id, const std::string& turn_id, const std::string& status) {
    json& thread = threads[thread_id];
    if (status == "completed") {
        thread["input"] = thread["input"].get<int>() + 100;
        thread["output"] = thread["output"].get<int>() + 10;
        reportUsage(thread_id, turn_id);
        reportUsage(thread_id, turn_id);
    }
    for (auto& turn : thread["turns"]) {
        if (turn["id"] == turn_id) {
            turn["status"] = status;
        }
    }
    thread["updated"] = thread["updated"].get<int>() + 1;
    saveThreads();
    send({{"method", "turn/completed"},
          {"params", {{"threadId", thread_id}, {"turn", {{"id", turn_id}, {"status", status}}}}}});
}

bool handleCodex(const json& id, const std::string& method, const json& params) {
    static int counter = 0;
    if (method == "thread/list") {
        json data = json::array();
        for (const auto& [key, thread] : threads.items()) {
            if (thread["cwd"] == params.value("cwd", "")) {
                data.push_back({{"id", key}, {"updated", thread["updated"]}});
            }
        }
        std::sort(data.begin(), data.end(),
                  [](const json& a, const json& b) { return a["updated"] > b["updated"]; });
        answer(id, {{"data", data}});
    } else if (method == "thread/start") {
        const std::string thread_id =
            "thr-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        threads[thread_id] = {{"cwd", params.value("cwd", "")},
                              {"updated", counter},
                              {"input", 0},
                              {"output", 0},
                              {"turns", json::array()}};
        saveThreads();
        loaded.push_back(thread_id);
        send({{"method", "thread/started"}, {"params", {{"thread", {{"id", thread_id}}}}}});
        answer(id, {{"thread", {{"id", thread_id}}}, {"model", params.value("model", "")}});
    } else if (method == "thread/resume") {
        const std::string thread_id = params.value("threadId", "");
        if (!threads.contains(thread_id)) {
            fail(id, -32600, "no rollout found for thread id " + thread_id);
            return true;
        }
        loaded.push_back(thread_id);
        reportUsage(thread_id, "");
        answer(id, {{"thread", {{"id", thread_id}}}});
    } else if (method == "thread/read") {
        const std::string thread_id = params.value("threadId", "");
        if (!threads.contains(thread_id)) {
            fail(id, -32600, "invalid thread id");
            return true;
        }
        json thread{{"id", thread_id}};
        if (params.value("includeTurns", false)) {
            thread["turns"] = threads[thread_id]["turns"];
        }
        answer(id, {{"thread", thread}});
    } else if (method == "turn/start") {
        const std::string thread_id = params.value("threadId", "");
        if (!isLoaded(thread_id)) {
            fail(id, -32600, "thread not found: " + thread_id);
            return true;
        }
        const std::string turn_id = "turn-" + std::to_string(++counter);
        threads[thread_id]["turns"].push_back({{"id", turn_id}, {"status", "inProgress"}});
        answer(id, {{"turn", {{"id", turn_id}, {"status", "inProgress"}}}});
        send({{"method", "turn/started"},
              {"params", {{"threadId", thread_id}, {"turn", {{"id", turn_id}}}}}});
        const std::string text = params["input"][0].value("text", "");
        if (text.find("approve") != std::string::npos) {
            const int request = next_request++;
            waiting[std::to_string(request)] = {{"threadId", thread_id}, {"turnId", turn_id}};
            send({{"id", request},
                  {"method", "item/commandExecution/requestApproval"},
                  {"params",
                   {{"threadId", thread_id}, {"turnId", turn_id}, {"command", "touch x"}}}});
        } else if (text.find("model") != std::string::npos) {
            endTurn(thread_id, turn_id, askModel(thread_id) ? "completed" : "failed");
        } else if (text.find("slow") == std::string::npos) {
            endTurn(thread_id, turn_id, "completed");
        }
    } else if (method == "turn/interrupt") {
        const std::string thread_id = params.value("threadId", "");
        const std::string turn_id = params.value("turnId", "");
        bool running = false;
        for (const auto& turn : threads[thread_id]["turns"]) {
            running = running || (turn["id"] == turn_id && turn["status"] == "inProgress");
        }
        if (!running) {
            fail(id, -32600, "no active turn to interrupt");
            return true;
        }
        answer(id, json::object());
        endTurn(thread_id, turn_id, "interrupted");
    } else {
        return false;
    }
    return true;
}

void answered(const json& message) {
    const std::string key = message["id"].dump();
    if (!waiting.contains(key)) {
        return;
    }
    const json turn = waiting[key];
    waiting.erase(key);
    send({{"method", "serverRequest/resolved"},
          {"params", {{"threadId", turn["threadId"]}, {"requestId", message["id"]}}}});
    if (message.value("result", json::object()).value("decision", "") == "accept") {
        endTurn(turn["threadId"], turn["turnId"], "completed");
    } else {
        endTurn(turn["threadId"], turn["turnId"], "failed");
    }
}

void handle(const json& message) {
    const json id = message.value("id", json());
    const std::string method = message.value("method", "");
    const json params = message.value("params", json::object());
    if (method.empty()) {
        send({{"method", "test/answered"},
              {"params", {{"id", id}, {"result", message.value("result", json())}}}});
        answered(message);
    } else if (handleCodex(id, method, params)) {
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
    loadThreads();
    std::string line;
    while (std::getline(std::cin, line)) {
        const json message = json::parse(line, nullptr, false);
        if (message.is_object()) {
            handle(message);
        }
    }
    return 0;
}

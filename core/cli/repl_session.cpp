#include "core/cli/repl_session.hpp"

#include <sstream>

namespace sluice::core::cli {

using json = nlohmann::json;

namespace {

constexpr const char* kHelp = R"(Commands:
  run <prompt>                 call /completion (continues the pinned session, if any)
  list                         list sessions
  show <id> [events|triggers]  session details (events: the raw event stream)
  search <id> <phrase> [--f]   search a session's log (--f: fuzzy)
  prompt <id> <text>           continue a session
  use <id>                     pin a session for later runs (use clear: unpin)
  timeout <seconds>            default run timeout
  mode <full|compact>          full JSON, or messages and command output only
  watch <keys...>              also show these keys in compact mode (watch clear: none)
  setenv <KEY> <VALUE>         add an env override for later runs (setenv clear: none)
  help | clear | exit | quit
)";

std::vector<std::string> split(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) {
        words.push_back(word);
    }
    return words;
}

// The text after the first `skip` words of `line`.
std::string rest(const std::string& line, std::size_t skip) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < skip; ++i) {
        at = line.find_first_not_of(" \t", at);
        at = at == std::string::npos ? line.size() : line.find_first_of(" \t", at);
        at = at == std::string::npos ? line.size() : at;
    }
    const std::size_t start = line.find_first_not_of(" \t", at);
    return start == std::string::npos ? std::string() : line.substr(start);
}

std::string encode(const std::string& text) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

}  // namespace

ReplSession::ReplSession(ReplTransport transport, std::ostream& out)
    : transport_(std::move(transport)), out_(out) {}

void ReplSession::run(std::istream& in) {
    std::string line;
    out_ << "codex> " << std::flush;
    while (std::getline(in, line) && execute(line)) {
        out_ << "codex> " << std::flush;
    }
}

bool ReplSession::execute(const std::string& line) {
    const std::vector<std::string> words = split(line);
    if (words.empty()) {
        return true;
    }
    const std::string& command = words.front();
    if (command == "exit" || command == "quit") {
        return false;
    }
    if (command == "help") {
        out_ << kHelp;
    } else if (command == "clear") {
        out_ << "\x1b[2J\x1b[H";
    } else if (command == "run" && words.size() > 1) {
        runPrompt(rest(line, 1));
    } else if (command == "list") {
        print(transport_("GET", "/sessions", ""));
    } else if (command == "show" && words.size() > 1) {
        show(words);
    } else if (command == "search" && words.size() > 2) {
        search(words);
    } else if (command == "prompt" && words.size() > 2) {
        continueSession(words[1], rest(line, 2));
    } else if (command == "use" && words.size() == 2) {
        pinned_session_ = words[1] == "clear" ? "" : words[1];
        out_ << (pinned_session_.empty() ? "no session pinned" : "pinned " + pinned_session_)
             << '\n';
    } else if (command == "timeout" && words.size() == 2) {
        try {
            timeout_seconds_ = std::max(1, std::stoi(words[1]));
            out_ << "timeout " << timeout_seconds_ << "s\n";
        } catch (const std::exception&) {
            out_ << "timeout needs a number of seconds\n";
        }
    } else if (command == "mode" && words.size() == 2 &&
               (words[1] == "full" || words[1] == "compact")) {
        compact_ = words[1] == "compact";
        out_ << "mode " << words[1] << '\n';
    } else if (command == "watch" && words.size() > 1) {
        watched_ = words[1] == "clear" ? std::vector<std::string>{}
                                       : std::vector<std::string>(words.begin() + 1, words.end());
        out_ << "watching " << watched_.size() << " keys\n";
    } else if (command == "setenv" && words.size() > 1) {
        setEnv(words);
    } else {
        out_ << "unknown or incomplete command; try help\n";
    }
    return true;
}

json ReplSession::runBody(const std::string& prompt) const {
    json body = {{"messages", json::array({{{"role", "user"}, {"content", prompt}}})},
                 {"timeout_ms", timeout_seconds_ * 1000},
                 {"include_events", compact_}};
    if (!env_.empty()) {
        body["env"] = env_;
    }
    return body;
}

void ReplSession::runPrompt(const std::string& prompt) {
    if (!pinned_session_.empty()) {
        continueSession(pinned_session_, prompt);
        return;
    }
    print(transport_("POST", "/completion", runBody(prompt).dump()));
}

void ReplSession::continueSession(const std::string& id, const std::string& text) {
    json body = runBody(text);
    body.erase("messages");
    body["prompt"] = text;
    print(transport_("POST", "/sessions/" + encode(id) + "/prompt", body.dump()));
}

void ReplSession::show(const std::vector<std::string>& words) {
    std::string path = "/sessions/" + encode(words[1]) + "?tail_lines=200";
    if (words.size() > 2 && words[2] == "events") {
        path += "&include_events=true";
    }
    const ReplReply reply = transport_("GET", path, "");
    if (words.size() > 2 && words[2] == "triggers" && reply.status == 200) {
        print(transport_("GET", "/triggers", ""));
        return;
    }
    print(reply);
}

void ReplSession::search(const std::vector<std::string>& words) {
    std::string phrase;
    bool fuzzy = false;
    for (std::size_t i = 2; i < words.size(); ++i) {
        if (words[i] == "--f") {
            fuzzy = true;
        } else {
            phrase += (phrase.empty() ? "" : " ") + words[i];
        }
    }
    print(transport_("GET",
                     "/sessions/" + encode(words[1]) + "/search?q=" + encode(phrase) +
                         (fuzzy ? "&fuzzy=true" : ""),
                     ""));
}

void ReplSession::setEnv(const std::vector<std::string>& words) {
    if (words[1] == "clear") {
        env_.clear();
        out_ << "env cleared\n";
    } else if (words.size() == 2) {
        env_.erase(words[1]);
        out_ << "unset " << words[1] << '\n';
    } else {
        env_[words[1]] = words[2];
        out_ << "set " << words[1] << '\n';
    }
}

void ReplSession::print(const ReplReply& reply) {
    if (reply.status == 0) {
        out_ << "error: " << reply.body << '\n';
        return;
    }
    const json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded()) {
        out_ << reply.status << ' ' << reply.body << '\n';
        return;
    }
    if (reply.status >= 400) {
        out_ << "error " << reply.status << ": " << body.value("error", reply.body) << '\n';
        return;
    }
    if (compact_ && body.is_object()) {
        printCompact(body);
        return;
    }
    out_ << body.dump(2) << '\n';
}

void ReplSession::printCompact(const json& body) {
    for (const json& event : body.value("events", json::array())) {
        const json item = event.value("item", json::object());
        const std::string type = item.value("type", "");
        if (event.value("type", "") != "item.completed") {
            continue;
        }
        if (type == "agent_message" || type == "reasoning") {
            out_ << '[' << type << "] " << item.value("text", "") << '\n';
        } else if (type == "command_execution") {
            out_ << "$ " << item.value("command", "") << '\n'
                 << item.value("aggregated_output", "");
        }
    }
    if (!body.contains("events") && body.contains("output")) {
        out_ << body["output"].get<std::string>() << '\n';
    }
    for (const std::string& key : watched_) {
        if (body.contains(key)) {
            out_ << key << ": " << body[key].dump() << '\n';
        }
    }
    if (body.contains("session_id")) {
        out_ << "session: " << body["session_id"].get<std::string>() << '\n';
    }
}

}  // namespace sluice::core::cli

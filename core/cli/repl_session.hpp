#pragma once

// `sluice repl URL`: the seed's codex-repl.py, an interactive client of the Codex runner
// (plugins/route-runner). The session logic is separate from the terminal and the network so
// tests drive it with scripted input and a fake transport.

#include <functional>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace sluice::core::cli {

/// One HTTP exchange with the runner: method, path (with query) and JSON body in, status and
/// body text out (status 0: the runner could not be reached; the body then says why).
struct ReplReply {
    int status = 0;
    std::string body;
};
using ReplTransport = std::function<ReplReply(const std::string& method, const std::string& path,
                                              const std::string& body)>;

/// Reads commands line by line until `exit`, `quit` or end of input. Not thread-safe.
class ReplSession final {
public:
    ReplSession(ReplTransport transport, std::ostream& out);

    /// Runs the loop over `in`, printing a prompt before each line.
    void run(std::istream& in);
    /// Executes one command line; false when it asks to leave.
    bool execute(const std::string& line);

private:
    void runPrompt(const std::string& prompt);
    void continueSession(const std::string& id, const std::string& text);
    void show(const std::vector<std::string>& words);
    void search(const std::vector<std::string>& words);
    void setEnv(const std::vector<std::string>& words);
    void print(const ReplReply& reply);
    void printCompact(const nlohmann::json& body);
    nlohmann::json runBody(const std::string& prompt) const;

    ReplTransport transport_;
    std::ostream& out_;
    std::string pinned_session_;
    int timeout_seconds_ = 120;
    bool compact_ = false;
    std::vector<std::string> watched_;
    std::map<std::string, std::string> env_;
};

}  // namespace sluice::core::cli

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "core/cli/commands.hpp"
#include "core/cli/repl_session.hpp"

namespace sluice::core::cli {

namespace {

// A transport to the runner at `base` (scheme, host, port and mount path), one connection per
// request; the key and the secure token ride as headers, never in a URL.
ReplTransport httpTransport(const Poco::URI& base, std::string key, std::string secure_token,
                            std::chrono::seconds read_timeout) {
    return [base, key = std::move(key), token = std::move(secure_token), read_timeout](
               const std::string& method, const std::string& path,
               const std::string& body) -> ReplReply {
        try {
            std::unique_ptr<Poco::Net::HTTPClientSession> session;
            if (base.getScheme() == "https") {
                static const Poco::Net::Context::Ptr context =
                    new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                           Poco::Net::Context::VERIFY_RELAXED, 9, true);
                session = std::make_unique<Poco::Net::HTTPSClientSession>(base.getHost(),
                                                                          base.getPort(), context);
            } else {
                session =
                    std::make_unique<Poco::Net::HTTPClientSession>(base.getHost(), base.getPort());
            }
            session->setTimeout(Poco::Timespan(read_timeout.count(), 0));
            std::string prefix = base.getPath();
            if (!prefix.empty() && prefix.back() == '/') {
                prefix.pop_back();
            }
            Poco::Net::HTTPRequest request(method, prefix + path, Poco::Net::HTTPMessage::HTTP_1_1);
            if (!key.empty()) {
                request.set("Authorization", "Bearer " + key);
            }
            if (!token.empty()) {
                request.set("x-codex-secure-token", token);
            }
            if (!body.empty()) {
                request.setContentType("application/json");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
            }
            session->sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session->receiveResponse(response);
            std::string text;
            Poco::StreamCopier::copyToString(in, text);
            return {static_cast<int>(response.getStatus()), text};
        } catch (const std::exception& e) {
            return {0, e.what()};
        }
    };
}

std::string fromEnvironment(const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
    return value != nullptr ? value : "";
}

}  // namespace

int replCommand(CommandContext& context) {
    context.args.expect({"--key", "--secure-token", "--config", "--json"}, 2);
    const Poco::URI base(
        context.args.word(1, "the runner's URL, e.g. http://127.0.0.1:4000/runner"));
    if (base.getScheme() != "http" && base.getScheme() != "https") {
        throw UsageError("the URL must start with http:// or https://");
    }
    std::string key = context.args.option("--key").value_or(fromEnvironment("SLUICE_API_KEY"));
    std::string token = context.args.option("--secure-token")
                            .value_or(fromEnvironment("CODEX_GATEWAY_SECURE_TOKEN"));
    // A run may take the runner's whole budget (30 minutes at most).
    ReplSession session(
        httpTransport(base, std::move(key), std::move(token), std::chrono::minutes(31)),
        context.out);
    session.run(std::cin);
    return 0;
}

}  // namespace sluice::core::cli

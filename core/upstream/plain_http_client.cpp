#include "core/upstream/plain_http_client.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include "core/upstream/connection_pool.hpp"
#include "core/upstream/upstream_origin.hpp"
#include "sluice/sdk/upstream_path.hpp"

namespace sluice::core::upstream {

sdk::Result<sdk::HttpReply> PlainHttpClient::send(const sdk::HttpCall& call) noexcept {
    try {
        const auto origin = UpstreamOrigin::parse(call.url);
        if (!origin) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "not an http(s) URL");
        }
        ConnectionPool connections(*origin, call.timeout, call.timeout, 0);
        UpstreamConnectionPtr connection = connections.open();
        const Poco::URI uri(call.url);
        const std::string target = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
        if (!sdk::isSafeRequestTarget(target)) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "the URL's path cannot be sent in a request line");
        }
        Poco::Net::HTTPRequest request(call.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const sdk::Header& header : call.headers) {
            request.add(header.name, header.value);
        }
        if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
            request.setContentLength64(static_cast<Poco::Int64>(call.body.size()));
        }
        connection->session().sendRequest(request).write(
            call.body.data(), static_cast<std::streamsize>(call.body.size()));
        Poco::Net::HTTPResponse response;
        std::istream& in = connection->session().receiveResponse(response);
        sdk::HttpReply reply;
        reply.status = static_cast<int>(response.getStatus());
        for (const auto& [name, value] : response) {
            reply.headers.push_back({name, value});
        }
        char block[16 * 1024];
        while (in.read(block, sizeof block) || in.gcount() > 0) {
            reply.body.append(block, static_cast<std::size_t>(in.gcount()));
            if (reply.body.size() > max_body_bytes_) {
                return sdk::Status(sdk::StatusCode::Unavailable, "answer larger than allowed");
            }
        }
        return reply;
    } catch (const std::exception& e) {
        return sdk::Status(sdk::StatusCode::Unavailable, e.what());
    }
}

}  // namespace sluice::core::upstream

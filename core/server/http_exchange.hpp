#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "core/server/route_table.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::core::server {

/// The client response over a Poco response object. Tracks what was sent for logs and metrics.
class HttpResponseWriter final : public sdk::ResponseWriter {
public:
    /// `connection` is the client socket when known (to abort a started response).
    HttpResponseWriter(Poco::Net::HTTPServerResponse& response, Poco::Net::StreamSocket* connection)
        : response_(response), connection_(connection) {}

    bool started() const noexcept override { return started_; }
    int status() const noexcept override { return status_; }
    void send(int status, const sdk::Headers& headers, std::string_view body) noexcept override;
    void sendError(const sdk::ErrorInfo& error) noexcept override;
    void start(int status, const sdk::Headers& headers) noexcept override;
    bool write(std::string_view bytes) noexcept override;
    bool flush() noexcept override;
    void abort() noexcept override;
    /// The connection was switched to another protocol (a websocket upgrade was answered).
    void markSwitched(int status) noexcept;

    /// Time of the first byte handed to the socket, if any.
    std::optional<std::chrono::steady_clock::time_point> firstByteAt() const noexcept {
        return first_byte_;
    }
    bool clientGone() const noexcept { return client_gone_; }

private:
    void applyHeaders(int status, const sdk::Headers& headers);

    Poco::Net::HTTPServerResponse& response_;
    Poco::Net::StreamSocket* connection_;
    std::ostream* stream_ = nullptr;
    bool started_ = false;
    bool client_gone_ = false;
    int status_ = 0;
    std::optional<std::chrono::steady_clock::time_point> first_byte_;
};

/// One request as a route family sees it, over Poco's request/response.
class HttpExchange final : public sdk::Exchange {
public:
    HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                 std::string path, std::string query, const CompiledRoute& route, PathParams params,
                 sdk::Headers headers, const sdk::Principal& principal,
                 std::uint64_t max_body_bytes, sdk::Gateway& gateway);

    std::string_view method() const noexcept override { return request_.getMethod(); }
    std::string_view path() const noexcept override { return path_; }
    std::string_view query() const noexcept override { return query_; }
    std::string_view operation() const noexcept override { return route_.spec.operation; }
    std::optional<std::string_view> pathParam(std::string_view name) const noexcept override;
    std::optional<std::string_view> header(std::string_view name) const noexcept override;
    const sdk::Headers& headers() const noexcept override { return headers_; }
    const sdk::Principal& principal() const noexcept override { return principal_; }
    std::optional<std::string_view> readBody() noexcept override;
    sdk::ResponseWriter& response() noexcept override { return writer_; }
    sdk::Gateway& gateway() noexcept override { return gateway_; }

    /// The underlying Poco objects, for the host's own protocol switches (websockets).
    Poco::Net::HTTPServerRequest& pocoRequest() noexcept { return request_; }
    Poco::Net::HTTPServerResponse& pocoResponse() noexcept { return response_; }

    HttpResponseWriter& writer() noexcept { return writer_; }
    const HttpResponseWriter& writer() const noexcept { return writer_; }
    /// Reads and drops a request body nobody read, so the next request on this keep-alive
    /// connection starts where it should. False when it was too large to drain: the connection
    /// must then not be reused.
    bool discardUnreadBody() noexcept;
    const CompiledRoute& route() const noexcept { return route_; }

private:
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    std::string path_;
    std::string query_;
    const CompiledRoute& route_;
    PathParams params_;
    const sdk::Principal& principal_;
    sdk::Headers headers_;
    std::uint64_t max_body_bytes_;
    sdk::Gateway& gateway_;
    HttpResponseWriter writer_;
    std::optional<std::string> body_;
    bool body_read_ = false;
    bool body_failed_ = false;
};

/// Reads and drops the request body (up to `limit` bytes); false when it was larger or broken.
bool drainRequestBody(Poco::Net::HTTPServerRequest& request, std::uint64_t limit) noexcept;

/// Copies Poco's request headers into the SDK's header list.
sdk::Headers copyHeaders(const Poco::Net::HTTPServerRequest& request);

}  // namespace sluice::core::server

#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/dispatch/websocket_handshake.hpp"
#include "core/server/request_head.hpp"
#include "core/server/route_table.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::core::server {

/// The client connection as the worker serving one request holds it. The connection is then in
/// its Handling phase: the event loop leaves the socket alone until the worker is done, so the
/// worker writes to it directly.
class ClientConnection {
public:
    virtual ~ClientConnection() = default;
    /// Sends all of `bytes`, blocking at most the send timeout per stall; false once the client
    /// is gone.
    virtual bool send(std::string_view bytes) noexcept = 0;
    /// Shuts the connection down both ways: the client sees it broken.
    virtual void abort() noexcept = 0;
    /// Bytes the client sent past the current request, already read.
    virtual std::size_t unreadBytes() const noexcept = 0;
    /// Takes the socket out of the server for a protocol switch: a blocking descriptor the
    /// caller then owns, or -1.
    virtual int takeOver() noexcept = 0;
};

/// How one request's answer is framed on its connection.
struct AnswerFraming {
    bool head_only = false;   ///< a HEAD request: no body bytes
    bool http10 = false;      ///< an HTTP/1.0 client: no chunks
    bool keep_alive = false;  ///< the connection may carry another request afterwards
};

/// The client response, written straight to the connection. Tracks what was sent for logs and
/// metrics. The worker serving the request only.
class HttpResponseWriter final : public sdk::ResponseWriter {
public:
    HttpResponseWriter(ClientConnection& client, AnswerFraming framing)
        : client_(client), framing_(framing) {}

    bool started() const noexcept override { return started_; }
    int status() const noexcept override { return status_; }
    void send(int status, const sdk::Headers& headers, std::string_view body) noexcept override;
    void sendError(const sdk::ErrorInfo& error) noexcept override;
    void start(int status, const sdk::Headers& headers) noexcept override;
    bool write(std::string_view bytes) noexcept override;
    bool flush() noexcept override;
    void abort() noexcept override;

    /// Answers 101 with `headers`: the connection leaves HTTP. False when the client is gone.
    bool switchProtocols(const sdk::Headers& headers) noexcept;
    /// A field every answer through this writer carries (e.g. Allow beside a 405).
    void addHeader(sdk::Header header) { extra_.push_back(std::move(header)); }
    /// The connection carries no other request after this answer.
    void closeAfter() noexcept { framing_.keep_alive = false; }
    /// Ends the answer: sends a complete one, or the last chunk of a chunked one. Whether the
    /// connection may carry another request.
    bool finish() noexcept;

    /// Time of the first byte handed to the socket, if any.
    std::optional<std::chrono::steady_clock::time_point> firstByteAt() const noexcept {
        return first_byte_;
    }
    bool clientGone() const noexcept { return client_gone_; }

    /// The bytes of a complete error answer in the default dialect, closing its connection.
    static std::string closingError(const sdk::ErrorInfo& error, bool http10);

private:
    std::string head(int status, const sdk::Headers& headers, std::string_view framing) const;
    bool transmit(std::string_view bytes) noexcept;
    void begin(int status) noexcept;

    ClientConnection& client_;
    AnswerFraming framing_;
    sdk::Headers extra_;
    bool started_ = false;
    bool chunked_ = false;
    bool client_gone_ = false;
    bool switched_ = false;
    std::optional<std::string> complete_;     ///< a whole answer from send(), until finish()
    std::optional<std::uint64_t> remaining_;  ///< of a started answer with a declared length
    int status_ = 0;
    std::optional<std::chrono::steady_clock::time_point> first_byte_;
};

/// One request as a route family sees it: the head and the body the host has read.
class HttpExchange final : public sdk::Exchange, public dispatch::ClientUpgrade {
public:
    HttpExchange(const RequestHead& head, std::string path, std::string query,
                 const CompiledRoute& route, PathParams params, const sdk::Principal& principal,
                 std::string body, sdk::Gateway& gateway, HttpResponseWriter& writer,
                 ClientConnection& client);

    std::string_view method() const noexcept override { return head_.method; }
    std::string_view path() const noexcept override { return path_; }
    std::string_view query() const noexcept override { return query_; }
    std::string_view operation() const noexcept override { return route_.spec.operation; }
    std::optional<std::string_view> pathParam(std::string_view name) const noexcept override;
    std::optional<std::string_view> header(std::string_view name) const noexcept override;
    const sdk::Headers& headers() const noexcept override { return head_.headers; }
    const sdk::Principal& principal() const noexcept override { return principal_; }
    /// The body the host read and decoded before calling the family: always there.
    std::optional<std::string_view> readBody() noexcept override { return body_; }
    sdk::ResponseWriter& response() noexcept override { return writer_; }
    sdk::Gateway& gateway() noexcept override { return gateway_; }

    // dispatch::ClientUpgrade: the websocket relay switches this connection.
    const dispatch::ClientHandshake& handshake() const noexcept override { return handshake_; }
    std::unique_ptr<Poco::Net::WebSocket> accept(const sdk::Headers& headers,
                                                 int max_frame_bytes) override;

    HttpResponseWriter& writer() noexcept { return writer_; }
    const HttpResponseWriter& writer() const noexcept { return writer_; }
    const CompiledRoute& route() const noexcept { return route_; }

private:
    const RequestHead& head_;
    std::string path_;
    std::string query_;
    const CompiledRoute& route_;
    PathParams params_;
    const sdk::Principal& principal_;
    std::string body_;
    sdk::Gateway& gateway_;
    HttpResponseWriter& writer_;
    ClientConnection& client_;
    dispatch::ClientHandshake handshake_;
};

}  // namespace sluice::core::server

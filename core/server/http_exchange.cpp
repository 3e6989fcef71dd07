#include "core/server/http_exchange.hpp"

#include <Poco/Net/NetException.h>

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <ctime>

#include "core/server/error_envelope.hpp"

namespace sluice::core::server {

namespace {

// Fields the writer sets itself from how it frames the answer.
bool isFramingField(std::string_view name) noexcept {
    return sdk::equalsIgnoreCase(name, "content-length") ||
           sdk::equalsIgnoreCase(name, "transfer-encoding") ||
           sdk::equalsIgnoreCase(name, "connection");
}

// RFC 9110 §5.6.7 IMF-fixdate, formatted once a second per thread.
std::string_view httpDate() {
    thread_local std::time_t formatted_at = 0;
    thread_local char text[40] = {};
    const std::time_t now = std::time(nullptr);
    if (now != formatted_at) {
        std::tm utc{};
        gmtime_r(&now, &utc);
        std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
        formatted_at = now;
    }
    return text;
}

std::optional<std::uint64_t> declaredLength(const sdk::Headers& headers) {
    const auto value = sdk::findHeader(headers, "content-length");
    std::uint64_t length = 0;
    if (!value || value->empty() ||
        std::from_chars(value->data(), value->data() + value->size(), length).ec != std::errc()) {
        return std::nullopt;
    }
    return length;
}

sdk::Headers errorHeaders(const sdk::ErrorInfo& error) {
    sdk::Headers headers{{"Content-Type", "application/json"}};
    if (error.retry_after_seconds > 0) {
        headers.push_back({"Retry-After", std::to_string(error.retry_after_seconds)});
    }
    if (error.http_status == 401) {
        headers.push_back({"WWW-Authenticate", "Bearer"});
    }
    if (!error.recovery_kind.empty()) {
        headers.push_back({"x-codex-recovery-kind", error.recovery_kind});
    }
    return headers;
}

// Collects what a writer sends, for answers the event loop writes itself.
class CollectedAnswer final : public ClientConnection {
public:
    bool send(std::string_view bytes) noexcept override {
        bytes_.append(bytes);
        return true;
    }
    void abort() noexcept override {}
    std::size_t unreadBytes() const noexcept override { return 0; }
    int takeOver() noexcept override { return -1; }
    std::string& bytes() noexcept { return bytes_; }

private:
    std::string bytes_;
};

}  // namespace

std::string HttpResponseWriter::closingError(const sdk::ErrorInfo& error, bool http10) {
    CollectedAnswer answer;
    HttpResponseWriter writer(answer, {false, http10, false});
    writer.sendError(error);
    writer.finish();
    return std::move(answer.bytes());
}

std::string HttpResponseWriter::head(int status, const sdk::Headers& headers,
                                     std::string_view framing) const {
    const auto reason = boost::beast::http::obsolete_reason(
        boost::beast::http::int_to_status(static_cast<unsigned>(status)));
    std::string out;
    out.reserve(256);
    out.append(framing_.http10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(std::to_string(status))
        .append(" ")
        .append(reason.data(), reason.size())
        .append("\r\n");
    for (const sdk::Headers* list : {&headers, &extra_}) {
        for (const sdk::Header& header : *list) {
            if (!isFramingField(header.name)) {
                out.append(header.name).append(": ").append(header.value).append("\r\n");
            }
        }
    }
    out.append("Date: ").append(httpDate()).append("\r\n").append(framing);
    if (!framing_.keep_alive) {
        out.append("Connection: close\r\n");
    } else if (framing_.http10) {
        out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    return out;
}

bool HttpResponseWriter::transmit(std::string_view bytes) noexcept {
    if (client_gone_) {
        return false;
    }
    client_gone_ = !client_.send(bytes);
    return !client_gone_;
}

void HttpResponseWriter::begin(int status) noexcept {
    started_ = true;
    status_ = status;
    first_byte_ = std::chrono::steady_clock::now();
}

void HttpResponseWriter::send(int status, const sdk::Headers& headers,
                              std::string_view body) noexcept {
    if (started_) {
        return;
    }
    try {
        std::string answer =
            head(status, headers, "Content-Length: " + std::to_string(body.size()) + "\r\n");
        if (!framing_.head_only) {
            answer.append(body);
        }
        begin(status);
        // Sent by finish(), once the family is done: a client that has the whole answer can
        // count on the gateway having settled it (e.g. the response's owner remembered).
        complete_ = std::move(answer);
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

void HttpResponseWriter::sendError(const sdk::ErrorInfo& error) noexcept {
    try {
        send(error.http_status, errorHeaders(error), renderErrorJson(error));
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

void HttpResponseWriter::start(int status, const sdk::Headers& headers) noexcept {
    if (started_) {
        return;
    }
    try {
        // A relayed body of known length keeps it; anything else is sent in chunks, or to an
        // HTTP/1.0 client until the connection closes.
        std::string framing;
        remaining_ = declaredLength(headers);
        if (remaining_) {
            framing = "Content-Length: " + std::to_string(*remaining_) + "\r\n";
        } else if (framing_.http10) {
            framing_.keep_alive = false;
        } else {
            chunked_ = true;
            framing = "Transfer-Encoding: chunked\r\n";
        }
        begin(status);
        transmit(head(status, headers, framing));
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

bool HttpResponseWriter::write(std::string_view bytes) noexcept {
    if (!started_ || switched_ || complete_ || client_gone_) {
        return false;
    }
    if (framing_.head_only || bytes.empty()) {
        return true;
    }
    try {
        if (chunked_) {
            char size[20];
            const auto end = std::to_chars(size, size + sizeof size, bytes.size(), 16).ptr;
            std::string chunk;
            chunk.reserve(bytes.size() + 24);
            chunk.append(size, end).append("\r\n").append(bytes).append("\r\n");
            return transmit(chunk);
        }
        if (remaining_) {
            if (bytes.size() > *remaining_) {
                // More than the declared length: the client could not tell where it ends.
                abort();
                return false;
            }
            *remaining_ -= bytes.size();
        }
        return transmit(bytes);
    } catch (const std::exception&) {
        client_gone_ = true;
        return false;
    }
}

bool HttpResponseWriter::flush() noexcept {
    // Every write goes to the socket at once.
    return started_ && !client_gone_;
}

void HttpResponseWriter::abort() noexcept {
    client_gone_ = true;
    framing_.keep_alive = false;
    client_.abort();
}

bool HttpResponseWriter::switchProtocols(const sdk::Headers& headers) noexcept {
    if (started_) {
        return false;
    }
    try {
        std::string answer = "HTTP/1.1 101 Switching Protocols\r\n";
        for (const sdk::Header& header : headers) {
            answer.append(header.name).append(": ").append(header.value).append("\r\n");
        }
        answer.append("\r\n");
        begin(101);
        switched_ = true;
        framing_.keep_alive = false;
        return transmit(answer);
    } catch (const std::exception&) {
        client_gone_ = true;
        return false;
    }
}

bool HttpResponseWriter::finish() noexcept {
    if (!started_ || switched_ || client_gone_) {
        return false;
    }
    if (complete_) {
        transmit(*complete_);
        complete_.reset();
    } else if (chunked_ && !framing_.head_only) {
        transmit("0\r\n\r\n");
    } else if (remaining_ && *remaining_ > 0 && !framing_.head_only) {
        abort();  // shorter than declared: only a broken connection tells the client
    }
    return framing_.keep_alive && !client_gone_;
}

HttpExchange::HttpExchange(const RequestHead& head, std::string path, std::string query,
                           const CompiledRoute& route, PathParams params,
                           const sdk::Principal& principal, std::string body, sdk::Gateway& gateway,
                           HttpResponseWriter& writer, ClientConnection& client)
    : head_(head),
      path_(std::move(path)),
      query_(std::move(query)),
      route_(route),
      params_(std::move(params)),
      principal_(principal),
      body_(std::move(body)),
      gateway_(gateway),
      writer_(writer),
      client_(client),
      handshake_{head.method, head.version, head.headers, client.unreadBytes() > 0} {}

std::optional<std::string_view> HttpExchange::pathParam(std::string_view name) const noexcept {
    for (const auto& [key, value] : params_) {
        if (key == name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> HttpExchange::header(std::string_view name) const noexcept {
    return sdk::findHeader(head_.headers, name);
}

std::unique_ptr<Poco::Net::WebSocket> HttpExchange::accept(const sdk::Headers& headers,
                                                           int max_frame_bytes) {
    sdk::Headers answer = dispatch::acceptFields(handshake_);
    answer.insert(answer.end(), headers.begin(), headers.end());
    if (!writer_.switchProtocols(answer)) {
        throw Poco::Net::ConnectionResetException("the client left before its upgrade");
    }
    const int fd = client_.takeOver();
    if (fd < 0) {
        throw Poco::Net::ConnectionResetException("the client connection is gone");
    }
    return dispatch::serverWebSocket(fd, max_frame_bytes);
}

}  // namespace sluice::core::server

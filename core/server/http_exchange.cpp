#include "core/server/http_exchange.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>

#include <istream>

#include "core/server/body_decoder.hpp"
#include "core/server/error_envelope.hpp"

namespace sluice::core::server {

namespace {

// Read buffers live on the request thread's stack: a zero-filled heap buffer per request cost
// more than parsing the body.
constexpr std::size_t kReadChunk = 16 * 1024;

sdk::ErrorInfo bodyError(BodyDecodeError error, std::uint64_t limit) {
    switch (error) {
        case BodyDecodeError::TooLarge:
            return {413,
                    "invalid_request_error",
                    "request_too_large",
                    "request body exceeds " + std::to_string(limit) + " bytes",
                    "",
                    0,
                    ""};
        case BodyDecodeError::UnsupportedEncoding:
            return {415,
                    "invalid_request_error",
                    "unsupported_content_encoding",
                    "content-encoding must be identity, gzip, deflate or zstd",
                    "",
                    0,
                    ""};
        case BodyDecodeError::Corrupt:
        case BodyDecodeError::None:
            break;
    }
    return {400,
            "invalid_request_error",
            "invalid_body_encoding",
            "request body does not match its content-encoding",
            "",
            0,
            ""};
}

Poco::Net::StreamSocket* clientSocket(Poco::Net::HTTPServerRequest& request) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    return impl == nullptr ? nullptr : &impl->socket();
}

}  // namespace

sdk::Headers copyHeaders(const Poco::Net::HTTPServerRequest& request) {
    sdk::Headers headers;
    for (const auto& [name, value] : request) {
        headers.push_back({name, value});
    }
    return headers;
}

void HttpResponseWriter::applyHeaders(int status, const sdk::Headers& headers) {
    response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    for (const auto& header : headers) {
        response_.add(header.name, header.value);
    }
    status_ = status;
    started_ = true;
    first_byte_ = std::chrono::steady_clock::now();
}

void HttpResponseWriter::send(int status, const sdk::Headers& headers,
                              std::string_view body) noexcept {
    if (started_) {
        return;
    }
    try {
        applyHeaders(status, headers);
        response_.setContentLength64(static_cast<Poco::Int64>(body.size()));
        response_.sendBuffer(body.data(), body.size());
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

void HttpResponseWriter::sendError(const sdk::ErrorInfo& error) noexcept {
    try {
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
        send(error.http_status, headers, renderErrorJson(error));
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

void HttpResponseWriter::start(int status, const sdk::Headers& headers) noexcept {
    if (started_) {
        return;
    }
    try {
        applyHeaders(status, headers);
        // A relayed body of known length keeps it; anything else is sent in chunks.
        response_.setChunkedTransferEncoding(!response_.hasContentLength());
        stream_ = &response_.send();
    } catch (const std::exception&) {
        client_gone_ = true;
    }
}

bool HttpResponseWriter::write(std::string_view bytes) noexcept {
    if (stream_ == nullptr || client_gone_) {
        return false;
    }
    try {
        stream_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        client_gone_ = !stream_->good();
    } catch (const std::exception&) {
        client_gone_ = true;
    }
    return !client_gone_;
}

bool HttpResponseWriter::flush() noexcept {
    if (stream_ == nullptr || client_gone_) {
        return false;
    }
    try {
        stream_->flush();
        client_gone_ = !stream_->good();
    } catch (const std::exception&) {
        client_gone_ = true;
    }
    return !client_gone_;
}

void HttpResponseWriter::abort() noexcept {
    client_gone_ = true;
    if (connection_ == nullptr) {
        return;
    }
    try {
        connection_->shutdown();
    } catch (const std::exception&) {
        // Already gone.
    }
}

void HttpResponseWriter::markSwitched(int status) noexcept {
    started_ = true;
    status_ = status;
    first_byte_ = std::chrono::steady_clock::now();
}

HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response, std::string path,
                           std::string query, const CompiledRoute& route, PathParams params,
                           sdk::Headers headers, const sdk::Principal& principal,
                           std::uint64_t max_body_bytes, sdk::Gateway& gateway)
    : request_(request),
      response_(response),
      path_(std::move(path)),
      query_(std::move(query)),
      route_(route),
      params_(std::move(params)),
      principal_(principal),
      headers_(std::move(headers)),
      max_body_bytes_(max_body_bytes),
      gateway_(gateway),
      writer_(response, clientSocket(request)) {}

std::optional<std::string_view> HttpExchange::pathParam(std::string_view name) const noexcept {
    for (const auto& [key, value] : params_) {
        if (key == name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> HttpExchange::header(std::string_view name) const noexcept {
    return sdk::findHeader(headers_, name);
}

std::optional<std::string_view> HttpExchange::readBody() noexcept {
    if (body_) {
        return std::string_view(*body_);
    }
    if (body_failed_) {
        return std::nullopt;
    }
    BodyDecodeError failure = BodyDecodeError::None;
    try {
        if (request_.hasContentLength() &&
            static_cast<std::uint64_t>(request_.getContentLength64()) > max_body_bytes_) {
            failure = BodyDecodeError::TooLarge;
        } else {
            body_read_ = true;
            std::string raw;
            if (request_.hasContentLength()) {
                raw.reserve(static_cast<std::size_t>(request_.getContentLength64()));
            }
            std::istream& in = request_.stream();
            char chunk[kReadChunk];
            while (in) {
                in.read(chunk, static_cast<std::streamsize>(sizeof chunk));
                raw.append(chunk, static_cast<std::size_t>(in.gcount()));
                if (raw.size() > max_body_bytes_) {
                    failure = BodyDecodeError::TooLarge;
                    break;
                }
            }
            if (failure == BodyDecodeError::None) {
                DecodedBody decoded =
                    decodeBody(sdk::findHeader(headers_, "content-encoding").value_or(""),
                               std::move(raw), max_body_bytes_);
                failure = decoded.error;
                if (failure == BodyDecodeError::None) {
                    body_ = std::move(decoded.body);
                    return std::string_view(*body_);
                }
            }
        }
    } catch (const std::exception&) {
        failure = BodyDecodeError::Corrupt;
    }
    body_failed_ = true;
    if (failure == BodyDecodeError::TooLarge) {
        // The rest of the body stays unread: this connection cannot carry another request.
        response_.setKeepAlive(false);
    }
    route_.owner->instance->sendError(*this, bodyError(failure, max_body_bytes_));
    return std::nullopt;
}

bool HttpExchange::discardUnreadBody() noexcept {
    if (body_read_) {
        return true;
    }
    body_read_ = true;
    return drainRequestBody(request_, max_body_bytes_);
}

bool drainRequestBody(Poco::Net::HTTPServerRequest& request, std::uint64_t limit) noexcept {
    try {
        if (!request.getChunkedTransferEncoding() &&
            (!request.hasContentLength() || request.getContentLength64() == 0)) {
            return true;
        }
        if (request.hasContentLength() &&
            static_cast<std::uint64_t>(request.getContentLength64()) > limit) {
            return false;
        }
        std::istream& in = request.stream();
        char chunk[kReadChunk];
        std::uint64_t total = 0;
        while (in.read(chunk, static_cast<std::streamsize>(sizeof chunk)) || in.gcount() > 0) {
            total += static_cast<std::uint64_t>(in.gcount());
            if (total > limit) {
                return false;
            }
        }
        return !in.bad();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace sluice::core::server

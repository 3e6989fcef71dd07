#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::sdk {

/// Which credential a route accepts. Each works on its own surface only.
enum class CredentialKind { None, PoolKey, AdminToken, McpToken };

/// The authenticated caller. Never holds the raw credential.
struct Principal {
    CredentialKind kind = CredentialKind::None;
    std::string id;  ///< public prefix of the key or token
    std::string name;
    std::string pool;         ///< Pool API keys only
    std::string policy_json;  ///< Pool API keys only
};

/// The client response. Host owns it; valid during RouteFamily::handle().
class SLUICE_SDK_API ResponseWriter {
public:
    virtual ~ResponseWriter() = default;

    virtual bool started() const noexcept = 0;
    virtual int status() const noexcept = 0;
    /// A complete response with Content-Length.
    virtual void send(int status, const Headers& headers, std::string_view body) noexcept = 0;
    /// The default error envelope {"error":{"message","type","code","param"}}, with Retry-After.
    virtual void sendError(const ErrorInfo& error) noexcept = 0;
    /// Starts a streamed response, chunked unless `headers` give its Content-Length; continue
    /// with write() and flush().
    virtual void start(int status, const Headers& headers) noexcept = 0;
    /// Returns false once the client is gone.
    virtual bool write(std::string_view bytes) noexcept = 0;
    virtual bool flush() noexcept = 0;
    /// Ends a started response abnormally: the client sees a broken connection, never a clean
    /// end (for bodies that cannot carry a typed error, e.g. a cut JSON body).
    virtual void abort() noexcept = 0;
};

/// One client request as a route family sees it. Host owns it; valid during handle().
class SLUICE_SDK_API Exchange {
public:
    virtual ~Exchange() = default;

    virtual std::string_view method() const noexcept = 0;
    /// Decoded path, without the query string.
    virtual std::string_view path() const noexcept = 0;
    /// Raw query string without '?'.
    virtual std::string_view query() const noexcept = 0;
    /// The `operation` of the RouteSpec that matched.
    virtual std::string_view operation() const noexcept = 0;
    /// Value of a `{name}` segment of the matched route.
    virtual std::optional<std::string_view> pathParam(std::string_view name) const noexcept = 0;
    virtual std::optional<std::string_view> header(std::string_view name) const noexcept = 0;
    virtual const Headers& headers() const noexcept = 0;
    virtual const Principal& principal() const noexcept = 0;
    /// The whole request body, decoded from gzip/deflate/zstd, within the route's size limit.
    /// nullopt when it cannot be read: the host has then already answered the client (413 too
    /// large, 400 bad encoding) through RouteFamily::sendError, so the family just returns.
    virtual std::optional<std::string_view> readBody() noexcept = 0;
    virtual ResponseWriter& response() noexcept = 0;
    virtual Gateway& gateway() noexcept = 0;
};

}  // namespace sluice::sdk

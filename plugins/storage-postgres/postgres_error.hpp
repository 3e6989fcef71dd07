#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_postgres {

/// A failed libpq call: the server's SQLSTATE (empty when the connection itself failed) plus its
/// message. Thrown only inside the plugin; every repository method turns it into an sdk::Status.
class PostgresError final : public std::runtime_error {
public:
    PostgresError(std::string sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}

    /// Five-character SQLSTATE, e.g. "23505"; empty for a lost or refused connection.
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    std::string sqlstate_;
};

/// The SDK status code of a SQLSTATE (a table by class); empty means unreachable.
sdk::StatusCode statusCodeFor(std::string_view sqlstate) noexcept;

/// Maps a PostgreSQL failure onto an sdk::Status; `operation` prefixes the message.
sdk::Status toStatus(std::string_view operation, const PostgresError& error);

/// The NotFound status of a missing row, e.g. "pool 'team' not found".
sdk::Status notFound(std::string_view what, std::string_view key);

/// The AlreadyExists status of a row seen before, e.g. "charge 'resp_1' already exists".
sdk::Status alreadyExists(std::string_view what, std::string_view key);

/// Runs a repository operation behind the plugin's noexcept boundary: PostgreSQL and standard
/// exceptions become a Status (or a Result carrying it). Any thread.
template <class Fn>
auto guarded(std::string_view operation, Fn&& fn) noexcept -> decltype(fn()) {
    try {
        return fn();
    } catch (const PostgresError& error) {
        return toStatus(operation, error);
    } catch (const std::exception& error) {
        return sdk::Status(sdk::StatusCode::Internal, std::string(operation) + ": " + error.what());
    } catch (...) {
        return sdk::Status(sdk::StatusCode::Internal, std::string(operation) + ": unknown error");
    }
}

}  // namespace sluice::plugins::storage_postgres

#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_sqlite {

/// A failed SQLite call: the extended result code plus SQLite's message. Thrown only inside the
/// plugin; every repository method turns it into an sdk::Status before returning.
class SqliteError final : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}

    /// Extended result code, e.g. SQLITE_CONSTRAINT_UNIQUE.
    int code() const noexcept { return code_; }

private:
    int code_;
};

/// Maps a SQLite failure onto the SDK's status codes; `operation` prefixes the message.
sdk::Status toStatus(std::string_view operation, const SqliteError& error);

/// The NotFound status of a missing row, e.g. "pool 'team' not found".
sdk::Status notFound(std::string_view what, std::string_view key);

/// Runs a repository operation behind the plugin's noexcept boundary: SQLite and standard
/// exceptions become a Status (or a Result carrying it). Any thread; `fn` takes its own locks.
template <class Fn>
auto guarded(std::string_view operation, Fn&& fn) noexcept -> decltype(fn()) {
    try {
        return fn();
    } catch (const SqliteError& error) {
        return toStatus(operation, error);
    } catch (const std::exception& error) {
        return sdk::Status(sdk::StatusCode::Internal, std::string(operation) + ": " + error.what());
    } catch (...) {
        return sdk::Status(sdk::StatusCode::Internal, std::string(operation) + ": unknown error");
    }
}

}  // namespace sluice::plugins::storage_sqlite

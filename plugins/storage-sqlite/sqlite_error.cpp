#include "sqlite_error.hpp"

#include <sqlite3.h>

namespace sluice::plugins::storage_sqlite {

namespace {

sdk::StatusCode codeFor(int code) {
    switch (code) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_UNIQUE:
            return sdk::StatusCode::AlreadyExists;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return sdk::StatusCode::FailedPrecondition;
        default:
            break;
    }
    switch (code & 0xff) {
        case SQLITE_CONSTRAINT:
        case SQLITE_MISMATCH:
        case SQLITE_TOOBIG:
            return sdk::StatusCode::InvalidArgument;
        // Contention and I/O trouble are expected to pass (another process holds the lock, the
        // disk is full or briefly unreachable); callers may retry later.
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PROTOCOL:
            return sdk::StatusCode::Unavailable;
        default:
            return sdk::StatusCode::Internal;
    }
}

}  // namespace

sdk::Status toStatus(std::string_view operation, const SqliteError& error) {
    return {codeFor(error.code()), std::string(operation) + ": " + error.what()};
}

sdk::Status notFound(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::NotFound, std::string(what) + " '" + std::string(key) + "' not found"};
}

}  // namespace sluice::plugins::storage_sqlite

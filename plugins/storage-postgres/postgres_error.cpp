#include "postgres_error.hpp"

#include <array>
#include <utility>

namespace sluice::plugins::storage_postgres {

namespace {

// Exact SQLSTATEs first, then classes (the first two characters). Anything else is Internal.
constexpr std::array<std::pair<std::string_view, sdk::StatusCode>, 3> kExact{{
    {"23505", sdk::StatusCode::AlreadyExists},       // unique_violation
    {"23503", sdk::StatusCode::FailedPrecondition},  // foreign_key_violation
    {"57014", sdk::StatusCode::Unavailable},         // query_canceled (statement_timeout)
}};

// Contention and a server going away are expected to pass; callers may retry later.
constexpr std::array<std::pair<std::string_view, sdk::StatusCode>, 8> kClasses{{
    {"22", sdk::StatusCode::InvalidArgument},   // data exception
    {"23", sdk::StatusCode::InvalidArgument},   // integrity constraint violation
    {"08", sdk::StatusCode::Unavailable},       // connection exception
    {"40", sdk::StatusCode::Unavailable},       // serialization failure, deadlock
    {"53", sdk::StatusCode::Unavailable},       // insufficient resources
    {"55", sdk::StatusCode::Unavailable},       // lock not available
    {"57", sdk::StatusCode::Unavailable},       // operator intervention (shutdown)
    {"28", sdk::StatusCode::PermissionDenied},  // invalid authorization
}};

}  // namespace

sdk::StatusCode statusCodeFor(std::string_view sqlstate) noexcept {
    if (sqlstate.empty()) {
        return sdk::StatusCode::Unavailable;
    }
    for (const auto& [state, code] : kExact) {
        if (state == sqlstate) {
            return code;
        }
    }
    for (const auto& [prefix, code] : kClasses) {
        if (sqlstate.substr(0, 2) == prefix) {
            return code;
        }
    }
    return sdk::StatusCode::Internal;
}

sdk::Status toStatus(std::string_view operation, const PostgresError& error) {
    return {statusCodeFor(error.sqlstate()), std::string(operation) + ": " + error.what()};
}

sdk::Status notFound(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::NotFound, std::string(what) + " '" + std::string(key) + "' not found"};
}

sdk::Status alreadyExists(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::AlreadyExists,
            std::string(what) + " '" + std::string(key) + "' already exists"};
}

}  // namespace sluice::plugins::storage_postgres

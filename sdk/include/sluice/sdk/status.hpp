#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

enum class StatusCode {
    Ok,
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    PermissionDenied,
    Unavailable,
    Internal,
};

/// The outcome of an operation that can fail at request time. Cheap to copy when ok.
class SLUICE_SDK_API Status final {
public:
    Status() = default;
    Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

    static Status success() { return {}; }

    bool ok() const noexcept { return code_ == StatusCode::Ok; }
    StatusCode code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }

private:
    StatusCode code_ = StatusCode::Ok;
    std::string message_;
};

/// A value or the Status explaining why there is none.
template <class T>
class Result final {
public:
    Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    /// An ok status carries no value, so it becomes an Internal error rather than a result that
    /// is neither a value nor an error.
    Result(Status status)  // NOLINT(google-explicit-constructor)
        : status_(status.ok() ? Status(StatusCode::Internal, "no value") : std::move(status)) {}

    bool ok() const noexcept { return value_.has_value(); }
    const Status& status() const noexcept { return status_; }
    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

private:
    std::optional<T> value_;
    Status status_;
};

inline const char* statusCodeName(StatusCode code) noexcept {
    switch (code) {
        case StatusCode::Ok:
            return "ok";
        case StatusCode::NotFound:
            return "not_found";
        case StatusCode::AlreadyExists:
            return "already_exists";
        case StatusCode::InvalidArgument:
            return "invalid_argument";
        case StatusCode::FailedPrecondition:
            return "failed_precondition";
        case StatusCode::PermissionDenied:
            return "permission_denied";
        case StatusCode::Unavailable:
            return "unavailable";
        case StatusCode::Internal:
            return "internal";
    }
    return "unknown";
}

}  // namespace sluice::sdk

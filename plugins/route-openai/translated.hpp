#pragma once

#include <optional>
#include <utility>

#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_openai {

/// A translated value, or the client error that stopped the translation (rendered in the
/// OpenAI envelope by the family). Translation never throws at request time.
template <class T>
class Translated final {
public:
    Translated(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Translated(sdk::ErrorInfo error)
        : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const noexcept { return value_.has_value(); }
    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    const sdk::ErrorInfo& error() const noexcept { return error_; }

private:
    std::optional<T> value_;
    sdk::ErrorInfo error_;
};

}  // namespace sluice::plugins::route_openai

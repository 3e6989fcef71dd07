#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_memory {

/// "<what> '<key>' not found".
inline sdk::Status notFound(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::NotFound, std::string(what) + " '" + std::string(key) + "' not found"};
}

/// "<what> '<key>' already exists".
inline sdk::Status alreadyExists(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::AlreadyExists,
            std::string(what) + " '" + std::string(key) + "' already exists"};
}

/// Runs a repository operation behind the plugin's noexcept boundary; the only thing that can
/// throw in memory is allocation, which becomes Internal. Any thread.
template <class Fn>
auto guarded(std::string_view operation, Fn&& fn) noexcept -> decltype(fn()) {
    try {
        return fn();
    } catch (const std::exception& error) {
        return sdk::Status(sdk::StatusCode::Internal, std::string(operation) + ": " + error.what());
    }
}

}  // namespace sluice::plugins::storage_memory

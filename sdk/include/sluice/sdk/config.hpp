#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

/// Thrown at configuration time only (factory create, pipeline load); names the YAML path.
class SLUICE_SDK_API ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& path, const std::string& message)
        : std::runtime_error(path.empty() ? message : path + ": " + message),
          path_(path),
          message_(message) {}

    const std::string& path() const noexcept { return path_; }
    const std::string& message() const noexcept { return message_; }

private:
    std::string path_;
    std::string message_;
};

enum class ConfigKind { Null, Scalar, Sequence, Map };

/// Read-only view of one node of the validated pipeline. The host has already checked it against
/// the factory's schema and applied defaults, so a plugin reads values without re-validating.
/// Host owns it; valid only during the factory's create() call. Safe to read from one thread.
class SLUICE_SDK_API ConfigNode {
public:
    virtual ~ConfigNode() = default;

    virtual ConfigKind kind() const noexcept = 0;
    /// Dotted YAML path, e.g. "strategies.balanced.config.window".
    virtual const std::string& path() const noexcept = 0;
    /// Scalar text; empty for non-scalars.
    virtual const std::string& scalar() const noexcept = 0;
    /// Child of a map, or nullptr when absent.
    virtual const ConfigNode* get(std::string_view key) const noexcept = 0;
    /// Keys of a map in document order.
    virtual std::vector<std::string> keys() const = 0;
    /// Number of items of a sequence (or entries of a map).
    virtual std::size_t size() const noexcept = 0;
    /// Item of a sequence; nullptr when out of range.
    virtual const ConfigNode* at(std::size_t index) const noexcept = 0;
};

}  // namespace sluice::sdk

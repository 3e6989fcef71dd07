#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

/// The gateway operations a family's callers may run (`operations.list`), read once and kept:
/// the catalogue is fixed for the life of the process and depends only on the credential kind,
/// which a family's routes fix. Thread-safe.
class OperationCatalogue final {
public:
    /// The entries, {name, description, mutating, input_schema, output_schema} each; the
    /// array lives as long as the catalogue and never changes once read.
    sdk::Result<const nlohmann::json*> entries(sdk::Gateway& gateway);
    /// The entry named `operation`; NotFound when the caller may not run it.
    sdk::Result<const nlohmann::json*> find(sdk::Gateway& gateway, std::string_view operation);

private:
    std::mutex mutex_;
    nlohmann::json entries_;  ///< null until loaded
};

}  // namespace sluice::plugins::common

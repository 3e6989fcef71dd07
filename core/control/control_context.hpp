#pragma once

#include <functional>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/security/secret_box.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::control {

/// What the operator services work on. Shared by the CLI, the admin API and MCP so that every
/// surface applies the same rules and writes the same audit events.
struct ControlContext {
    sdk::StorageBackend& storage;
    /// The pipeline in force: a reload of the server replaces it.
    std::function<const config::Pipeline&()> pipeline;
    const security::SecretBox& secrets;
    const sdk::Clock& clock;
    /// Called after a successful mutation (the server refreshes its directory here).
    std::function<void()> on_change;
};

/// Who did it, for the audit log: "cli", "admin:<token prefix>", ...
using Actor = std::string;

/// Appends an audit event for an operator mutation. A failed audit write is reported but does
/// not undo the mutation that already happened.
sdk::Status recordAudit(ControlContext& context, const Actor& actor, const std::string& action,
                        const std::string& target, const sdk::Status& outcome,
                        const std::string& details_json = "{}");

/// Runs `on_change` when the status is ok; returns it unchanged.
sdk::Status notifyChange(ControlContext& context, sdk::Status status);

}  // namespace sluice::core::control

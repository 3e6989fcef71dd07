#pragma once

#include <functional>
#include <memory>
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
    /// The pipeline in force, held for as long as the caller keeps it: a reload of the server
    /// replaces it, and a replaced one is released when its last holder lets go.
    std::function<std::shared_ptr<const config::Pipeline>()> pipeline;
    const security::SecretBox& secrets;
    const sdk::Clock& clock;
    /// Called after a successful mutation (the server refreshes its directory here).
    std::function<void()> on_change;
    /// Called after a successful change of a wallet's balance, a key link or a rate card (the
    /// server reloads the wallet book its preflight and charges read here).
    std::function<void()> on_wallet_change;
};

/// A `pipeline` getter lending one its owner keeps for longer than the context (the CLI's).
std::function<std::shared_ptr<const config::Pipeline>()> borrowedPipeline(
    const config::Pipeline& pipeline);

/// Who did it, for the audit log: "cli", "admin:<token prefix>", ...
using Actor = std::string;

/// Appends an audit event for an operator mutation. A failed audit write is reported but does
/// not undo the mutation that already happened.
sdk::Status recordAudit(ControlContext& context, const Actor& actor, const std::string& action,
                        const std::string& target, const sdk::Status& outcome,
                        const std::string& details_json = "{}");

/// Runs `on_change` when the status is ok; returns it unchanged.
sdk::Status notifyChange(ControlContext& context, sdk::Status status);
/// Runs `on_wallet_change` when the status is ok.
void notifyWalletChange(ControlContext& context, const sdk::Status& status);

}  // namespace sluice::core::control

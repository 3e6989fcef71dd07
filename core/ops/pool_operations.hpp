#pragma once

#include "core/dispatch/quota_presenter.hpp"
#include "core/ops/operations.hpp"
#include "core/routing/file_owner_table.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::ops {

/// What the operations on a caller's own pool read.
struct PoolOperationsContext {
    sdk::StorageBackend& storage;
    routing::RoutingTable& routing;
    const routing::RoutePlanner& planner;
    const sdk::Clock& clock;
    const dispatch::QuotaPresenter& quota;
    routing::FileOwnerTable& file_owners;  ///< files.register records each file's owner here
};

/// Operations a Pool API key runs on its own pool (and that operators may run on any pool by
/// naming it): files.register|get|list, key.usage, pool.accounts, pool.usage.
void addPoolOperations(Operations& operations, PoolOperationsContext context);

}  // namespace sluice::core::ops

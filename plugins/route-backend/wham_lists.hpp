#pragma once

#include "backend_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_backend {

/// WHAM lists over a whole pool. Task lists (tasks/list and the tasks feed) are read from every
/// eligible account and merged newest first; their cursor is a composite of each account's
/// position (task_merge.hpp), so paging neither loses nor repeats items. Environment lists are
/// concatenated (an environment shared by a workspace appears once). Every id seen is
/// remembered against its account. The task quota (tasks/rate_limit) is read from every
/// eligible account and answered as the pool's view (pool_views.hpp).
class WhamLists final {
public:
    WhamLists(BackendContext& context, sdk::RouteFamily& family)
        : context_(context), family_(family) {}

    void tasks(sdk::Exchange& exchange);
    void environments(sdk::Exchange& exchange);
    void taskRateLimit(sdk::Exchange& exchange);

private:
    BackendContext& context_;
    sdk::RouteFamily& family_;
};

}  // namespace sluice::plugins::route_backend

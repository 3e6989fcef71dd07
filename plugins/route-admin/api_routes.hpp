#pragma once

#include <string_view>

namespace sluice::plugins::route_admin {

/// One REST route of /admin/api/v1 and the gateway operation behind it. Path parameters
/// ({pool}, {key}, ...) are named like the operation's parameters they fill.
struct ApiRoute {
    std::string_view method;
    std::string_view path;  ///< relative to the mount, e.g. "/api/v1/pools/{pool}"
    std::string_view operation;
    int success_status = 200;
};

inline constexpr ApiRoute kApiRoutes[] = {
    {"GET", "/api/v1/service", "service.status"},
    {"GET", "/api/v1/operations", "operations.list"},
    {"GET", "/api/v1/capacity", "pools.capacity"},
    {"GET", "/api/v1/alerts", "alerts.list"},

    {"GET", "/api/v1/pools", "pools.list"},
    {"POST", "/api/v1/pools", "pools.create", 201},
    {"GET", "/api/v1/pools/{pool}", "pools.get"},
    {"PATCH", "/api/v1/pools/{pool}", "pools.update"},
    {"DELETE", "/api/v1/pools/{pool}", "pools.delete"},
    {"POST", "/api/v1/pools/{pool}/route-preview", "route.explain"},
    {"GET", "/api/v1/pools/{pool}/usage", "pool.usage"},
    {"GET", "/api/v1/pools/{pool}/accounts", "pool.accounts"},
    {"GET", "/api/v1/pools/{pool}/files", "files.list"},
    {"GET", "/api/v1/pools/{pool}/files/{id}", "files.get"},

    {"GET", "/api/v1/accounts", "accounts.list"},
    {"POST", "/api/v1/accounts", "accounts.import", 201},
    {"GET", "/api/v1/accounts/{account}", "accounts.get"},
    {"DELETE", "/api/v1/accounts/{account}", "accounts.delete"},
    {"GET", "/api/v1/accounts/{account}/quotas", "accounts.quotas"},
    {"POST", "/api/v1/accounts/{account}/probe", "accounts.probe"},
    {"POST", "/api/v1/accounts/{account}/pause", "accounts.pause"},
    {"POST", "/api/v1/accounts/{account}/resume", "accounts.resume"},
    {"POST", "/api/v1/sign-ins", "sign_ins.start", 201},
    {"GET", "/api/v1/sign-ins/{sign_in}", "sign_ins.get"},

    {"GET", "/api/v1/keys", "keys.list"},
    {"POST", "/api/v1/keys", "keys.create", 201},
    {"GET", "/api/v1/keys/{key}", "keys.get"},
    {"PUT", "/api/v1/keys/{key}/policy", "keys.set_policy"},
    {"POST", "/api/v1/keys/{key}/rotate", "keys.rotate"},
    {"POST", "/api/v1/keys/{key}/pause", "keys.pause"},
    {"POST", "/api/v1/keys/{key}/resume", "keys.resume"},
    {"POST", "/api/v1/keys/{key}/revoke", "keys.revoke"},

    {"GET", "/api/v1/customers", "customers.list"},
    {"POST", "/api/v1/customers", "customers.create", 201},
    {"GET", "/api/v1/customers/{customer}/wallet", "wallets.get"},
    {"POST", "/api/v1/customers/{customer}/wallet/credit", "wallets.credit", 201},
    {"POST", "/api/v1/customers/{customer}/wallet/debit", "wallets.debit", 201},
    {"PUT", "/api/v1/customers/{customer}/username-bearer", "customers.set_username_bearer"},
    {"POST", "/api/v1/customers/{customer}/wallet/keys", "wallets.link_key"},
    {"DELETE", "/api/v1/customers/{customer}/wallet/keys/{key}", "wallets.unlink_key"},
    {"GET", "/api/v1/rate-cards", "rate_cards.list"},
    {"POST", "/api/v1/rate-cards", "rate_cards.set", 201},
    {"POST", "/api/v1/rate-cards/adjust-percent", "rate_cards.adjust_percent", 201},

    {"GET", "/api/v1/request-logs", "request_logs.list"},
    {"GET", "/api/v1/request-logs/{id}", "request_logs.get"},
    {"GET", "/api/v1/audit-events", "audit.list"},
    {"GET", "/api/v1/audit-events/{id}", "audit.get"},
    {"GET", "/api/v1/usage", "usage.rollup"},

    {"GET", "/api/v1/mcp-tokens", "mcp_tokens.list"},
    {"POST", "/api/v1/mcp-tokens", "mcp_tokens.create", 201},
    {"POST", "/api/v1/mcp-tokens/{token}/revoke", "mcp_tokens.revoke"},
};

/// The route whose operation id is `operation`, or nullptr.
const ApiRoute* findApiRoute(std::string_view operation) noexcept;

}  // namespace sluice::plugins::route_admin

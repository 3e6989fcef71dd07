#pragma once

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_admin {

/// GET /admin/api/v1/request-logs/stream: the request log as Server-Sent Events. One
/// `event: request` (`id:` the row's id, `data:` the row as request_logs.list shows it) per row
/// written after the stream opened, or after the row `since=<id>`, oldest first; filtered by
/// `pool`, `key` and `status` (through request_logs.list) and by `account` (id or label) and
/// `route` (applied to the fetched rows). It polls request_logs.list every 250 ms on the
/// stream's own request thread, sends a comment every 15 s while quiet, and ends with
/// `event: end` (`data: {"reason":"lifetime"|"draining"}`) after 10 minutes or once the
/// gateway drains; a client reconnects with `since=` the last id it saw.
///
/// Returns an error (bad parameter, storage unavailable) only before the response started;
/// the caller answers it. Once started, a failed poll ends the stream with `event: error`.
sdk::Status serveRequestLogStream(sdk::Exchange& exchange) noexcept;

}  // namespace sluice::plugins::route_admin

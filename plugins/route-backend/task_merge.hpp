#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::plugins::route_backend {

/// Where a merged WHAM list stands on one account: the upstream cursor of the page holding the
/// next unseen item ("" for the first page) and how many items of that page were already served.
struct AccountPosition {
    std::string account;
    std::string cursor;
    std::size_t skip = 0;

    bool operator==(const AccountPosition&) const = default;
};

/// The composite cursor handed to clients: the position on every account not yet exhausted,
/// as "sl1." + hex(JSON) (opaque and URL-safe). An empty list encodes as no cursor (null).
std::string encodeCursor(const std::vector<AccountPosition>& positions);
/// nullopt for anything encodeCursor did not produce.
std::optional<std::vector<AccountPosition>> decodeCursor(std::string_view text);

/// One item fetched from an account, with where it sits upstream.
struct FetchedItem {
    nlohmann::json item;
    std::string page_cursor;  ///< the cursor its page was fetched with ("" for the first)
    std::size_t index = 0;    ///< its index within that page
};

/// Items an account returned from its position on, in the account's own order, and the
/// upstream cursor after the last page fetched ("" when the account has no more).
struct AccountRun {
    std::string account;
    std::vector<FetchedItem> items;
    std::string next_cursor;
};

struct MergedPage {
    nlohmann::json items = nlohmann::json::array();
    std::vector<AccountPosition> next;  ///< empty: every account is exhausted
};

/// The newest `limit` items over all runs (by `updated_at`, else `created_at`, of the item or
/// of its `task`), taking each account's items in its own order so positions stay exact, and
/// the positions after them. Pure.
MergedPage mergeRuns(const std::vector<AccountRun>& runs, std::size_t limit);

}  // namespace sluice::plugins::route_backend

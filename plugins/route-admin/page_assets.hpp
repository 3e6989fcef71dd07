#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::plugins::route_admin {

/// One file of the admin page (page/), embedded at build time.
struct PageAsset {
    std::string_view name;  ///< file name, e.g. "app.js"
    std::string_view body;
};

/// The asset named `name`, or nullptr.
const PageAsset* findPageAsset(std::string_view name) noexcept;

/// Content-Type for an asset, from its extension.
std::string_view contentTypeOf(std::string_view name) noexcept;

}  // namespace sluice::plugins::route_admin

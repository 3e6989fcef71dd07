#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/sdk/route_family.hpp"

namespace sluice::core::server {

/// A route family at its mount, as the pipeline wired it.
struct MountedFamily {
    std::string family;  ///< factory name, e.g. "codex_backend"
    std::string mount;   ///< normalized, e.g. "/backend-api/codex"
    std::shared_ptr<sdk::RouteFamily> instance;
};

/// One concrete route: a family's RouteSpec resolved to an absolute path pattern.
struct CompiledRoute {
    const MountedFamily* owner = nullptr;
    sdk::RouteSpec spec;
    std::string pattern;                ///< absolute, e.g. "/backend-api/files/{id}/uploaded"
    std::vector<std::string> segments;  ///< pattern split on '/'
};

using PathParams = std::vector<std::pair<std::string, std::string>>;

/// The outcome of matching a request against the table.
struct RouteMatch {
    enum class Kind { Found, MethodNotAllowed, NotFound };
    Kind kind = Kind::NotFound;
    const CompiledRoute* route = nullptr;      ///< Found
    const MountedFamily* family = nullptr;     ///< the family whose mount covers the path, if any
    PathParams params;                         ///< Found
    std::vector<std::string> allowed_methods;  ///< MethodNotAllowed
};

/// All routes of all mounted families, built once before the port is bound. Read-only and
/// thread-safe afterwards.
class RouteTable final {
public:
    /// Throws std::invalid_argument when two routes collide (same method and same pattern,
    /// parameter names ignored; the message names both families) or one family is mounted
    /// twice at one mount. Different families may share a mount.
    explicit RouteTable(std::vector<MountedFamily> families);

    RouteMatch match(std::string_view method, std::string_view path) const;

    const std::vector<MountedFamily>& families() const noexcept { return families_; }
    const std::vector<CompiledRoute>& routes() const noexcept { return routes_; }

private:
    const MountedFamily* familyCovering(std::string_view path) const;

    std::vector<MountedFamily> families_;
    std::vector<CompiledRoute> routes_;
};

std::vector<std::string> splitPath(std::string_view path);

}  // namespace sluice::core::server

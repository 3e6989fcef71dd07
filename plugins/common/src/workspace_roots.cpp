#include "sluice/plugins/common/workspace_roots.hpp"

#include <algorithm>
#include <system_error>

namespace sluice::plugins::common {

namespace fs = std::filesystem;

namespace {

fs::path canonicalOrSelf(const fs::path& path) {
    std::error_code ec;
    fs::path resolved = fs::canonical(path, ec);
    return ec ? path.lexically_normal() : resolved;
}

}  // namespace

bool isWithin(const fs::path& path, const fs::path& root) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (r->empty() && std::next(r) == root.end()) {
            return true;  // a trailing separator on the root
        }
        if (p == path.end() || *p != *r) {
            return false;
        }
    }
    return true;
}

WorkspaceRoots::WorkspaceRoots(const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
        roots_.push_back(canonicalOrSelf(fs::absolute(root)));
    }
}

sdk::Result<fs::path> WorkspaceRoots::resolve(const std::string& requested) const {
    if (roots_.empty()) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "no workspace roots are configured");
    }
    const fs::path wanted = requested.empty()                   ? roots_.front()
                            : fs::path(requested).is_absolute() ? fs::path(requested)
                                                                : roots_.front() / requested;
    std::error_code ec;
    const fs::path resolved = fs::canonical(wanted, ec);
    if (ec || !fs::is_directory(resolved, ec)) {
        return sdk::Status(sdk::StatusCode::InvalidArgument,
                           "workspace '" + requested + "' is not an existing directory");
    }
    const bool inside = std::any_of(roots_.begin(), roots_.end(), [&](const fs::path& root) {
        return isWithin(resolved, canonicalOrSelf(root));
    });
    if (!inside) {
        return sdk::Status(
            sdk::StatusCode::InvalidArgument,
            "workspace '" + requested + "' is outside the configured workspace roots");
    }
    return resolved;
}

}  // namespace sluice::plugins::common

#pragma once

// Confines a working directory a caller asks for (a run's `workspace`, a thread's `cwd`) to the
// directories an operator configured. Symlinks are resolved before the check, so a link inside
// a root that points outside it is an escape like `..` is.

#include <filesystem>
#include <string>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

/// Immutable after construction; resolve() is safe from any thread.
class WorkspaceRoots final {
public:
    /// `roots` are canonicalised now; a root that does not exist is kept as written (it can
    /// never contain a resolved path until it exists, and then it is compared canonically).
    explicit WorkspaceRoots(const std::vector<std::string>& roots);

    /// The canonical directory for `requested` (absolute, or relative to the first root):
    /// InvalidArgument when it is not an existing directory inside one of the roots.
    sdk::Result<std::filesystem::path> resolve(const std::string& requested) const;

    const std::vector<std::filesystem::path>& roots() const noexcept { return roots_; }

private:
    std::vector<std::filesystem::path> roots_;
};

/// Whether `path` is `root` or lies below it (both canonical; compared component by component).
bool isWithin(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace sluice::plugins::common

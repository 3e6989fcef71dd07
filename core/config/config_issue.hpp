#pragma once

#include <string>
#include <vector>

namespace sluice::core::config {

/// One problem found in a pipeline file; `path` is the dotted YAML path ("pools.team.strategy").
struct ConfigIssue {
    std::string path;
    std::string message;
    int line = 0;  ///< 1-based source line, 0 when unknown

    std::string describe() const;
};

using ConfigIssues = std::vector<ConfigIssue>;

}  // namespace sluice::core::config

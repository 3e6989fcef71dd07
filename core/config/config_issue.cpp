#include "core/config/config_issue.hpp"

namespace sluice::core::config {

std::string ConfigIssue::describe() const {
    std::string out;
    if (line > 0) {
        out += "line " + std::to_string(line) + ": ";
    }
    out += path.empty() ? message : path + ": " + message;
    return out;
}

}  // namespace sluice::core::config

#pragma once

#include <stdexcept>
#include <string>

namespace sluice::core::plugin {

/// A plugin was refused at load time. The message names the file and the reason.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace sluice::core::plugin

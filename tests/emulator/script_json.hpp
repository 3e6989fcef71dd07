#pragma once

#include <nlohmann/json.hpp>

#include "tests/emulator/script.hpp"

namespace sluice::emulator {

/// The control API's view of scripted state, in the same keys the script uses (durations as
/// "<n>ms") so a test can read a value back and PUT it again.
nlohmann::json toJson(const Behaviour& behaviour);
nlohmann::json toJson(const Fault& fault);
nlohmann::json toJson(const RateLimits& limits);
nlohmann::json toJson(const OAuthBehaviour& oauth);
nlohmann::json toJson(const UploadBehaviour& uploads);

}  // namespace sluice::emulator

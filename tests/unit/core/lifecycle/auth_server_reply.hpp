#pragma once

// A JSON answer of the fake auth server, for the sign-in tests.

#include <nlohmann/json.hpp>

#include "sluice/sdk/host_services.hpp"

namespace sluice::core::lifecycle::testing {

inline sdk::HttpReply jsonReply(int status, const nlohmann::json& body) {
    return {status, {}, body.dump()};
}

}  // namespace sluice::core::lifecycle::testing

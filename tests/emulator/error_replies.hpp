#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/emulator/script.hpp"

namespace sluice::emulator {

struct ErrorReply {
    int status = 500;
    nlohmann::json body;
};

/// The error answer of a failure mode (usage_limit, rate_limited, error, unauthorized), with
/// the bodies §3.4 and §5.2 describe; nullopt for modes that answer with a stream.
std::optional<ErrorReply> errorReplyFor(const Behaviour& behaviour, const AccountSpec& profile,
                                        std::int64_t now);

/// 401 for an unknown token/account pair, or (expired) for a token the account no longer takes.
ErrorReply unauthorizedReply(bool expired);

/// The code a fail_first_event or error mode reports when the script names none.
std::string defaultErrorCode(const Behaviour& behaviour);

}  // namespace sluice::emulator

#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/shared_state.hpp"

namespace sluice::plugins::state_redis {

/// The Redis key holding the account a binding names:
/// `<prefix>:binding:<conversation|response>:<pool length>:<pool>:<key>`, the length keeping any
/// pool name and key apart.
std::string bindingKey(std::string_view prefix, sdk::BindingKind kind, std::string_view pool,
                       std::string_view key);

/// A moved binding as published on the bindings channel:
/// `<instance> <c|r> <ttl ms> <pool length> <account length> <pool><account><key>`.
std::string encodeBinding(std::string_view instance, const sdk::AccountBinding& binding);

/// A published binding and the instance that published it.
struct PublishedBinding {
    std::string instance;
    sdk::AccountBinding binding;
};

/// Reads what encodeBinding wrote; nullopt for anything else.
std::optional<PublishedBinding> decodeBinding(std::string_view payload);

}  // namespace sluice::plugins::state_redis

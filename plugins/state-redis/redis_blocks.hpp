#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/shared_state.hpp"

namespace sluice::plugins::state_redis {

/// The Redis key holding an account's block (its end in Unix milliseconds, expiring then):
/// `<prefix>:block:<account id>`.
std::string blockKey(std::string_view prefix, std::string_view account_id);

/// The set naming every account that may hold a block: `<prefix>:blocked`.
std::string blockIndexKey(std::string_view prefix);

/// A block's end in Unix milliseconds, as stored and published.
std::int64_t unixMilliseconds(sdk::TimePoint time);

/// A shared block as published on the blocks channel: `<instance> <until ms> <account id>`.
std::string encodeBlock(std::string_view instance, const sdk::AccountBlock& block);

/// A published block and the instance that published it.
struct PublishedBlock {
    std::string instance;
    sdk::AccountBlock block;
};

/// Reads what encodeBlock wrote; nullopt for anything else.
std::optional<PublishedBlock> decodeBlock(std::string_view payload);

}  // namespace sluice::plugins::state_redis

#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sluice::emulator {

struct FixtureFile {
    std::string_view name;  ///< file name without .json, e.g. "tasks-list"
    std::string_view content;
};

/// The sanitized WHAM responses of fixtures/wham (MIT, see LICENSE.gpt-api-intel there),
/// compiled in by cmake/embed_fixtures.cmake.
std::span<const FixtureFile> embeddedWhamFixtures();

/// WHAM data is per account (task ids are not portable between accounts), so every fixture is
/// served with its sample task ids rewritten to the calling account's own.
class WhamFixtures final {
public:
    /// nullopt when no fixture has that name.
    static std::optional<nlohmann::json> forAccount(std::string_view name,
                                                    const std::string& account_id);
    /// The fixture with its sample task ids rewritten to `task_id`.
    static std::optional<nlohmann::json> forTask(std::string_view name, const std::string& task_id);
    /// The id of the one task each account owns ("task_e_<account>").
    static std::string taskIdFor(const std::string& account_id);
};

}  // namespace sluice::emulator

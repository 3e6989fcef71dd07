#include "tests/emulator/wham_settings.hpp"

namespace sluice::emulator {

nlohmann::json WhamSettings::userSettings(const std::string& account_id,
                                          nlohmann::json base) const {
    std::lock_guard lock(mutex_);
    if (const auto it = patches_.find(account_id); it != patches_.end())
        base.merge_patch(it->second);
    return base;
}

void WhamSettings::patch(const std::string& account_id, const nlohmann::json& patch) {
    std::lock_guard lock(mutex_);
    patches_[account_id].merge_patch(patch);
}

void WhamSettings::clear() {
    std::lock_guard lock(mutex_);
    patches_.clear();
}

}  // namespace sluice::emulator

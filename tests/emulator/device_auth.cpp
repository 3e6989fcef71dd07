#include "tests/emulator/device_auth.hpp"

#include <algorithm>
#include <random>

namespace sluice::emulator {
namespace {

/// Codes differ between emulator runs, so a gateway never finishes an earlier test's sign-in.
std::string randomLetters(std::size_t count) {
    static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::random_device device;
    std::string text;
    for (std::size_t i = 0; i < count; ++i)
        text += kLetters[device() % kLetters.size()];
    return text;
}

}  // namespace

const char* deviceAuthStateName(DeviceAuthState state) noexcept {
    switch (state) {
        case DeviceAuthState::kPending:
            return "pending";
        case DeviceAuthState::kApproved:
            return "approved";
        case DeviceAuthState::kDenied:
            return "denied";
        case DeviceAuthState::kExpired:
            return "expired";
    }
    return "unknown";
}

std::string DeviceAuthDesk::next(const char* prefix) {
    return prefix + randomLetters(8) + std::to_string(++serial_);
}

DeviceAuthDesk::Begun DeviceAuthDesk::begin() {
    std::lock_guard lock(mutex_);
    Begun begun{next("deviceauth_"), randomLetters(4) + "-" + randomLetters(4)};
    SignIn& sign_in = sign_ins_[begun.device_auth_id];
    sign_in.serial = serial_;
    sign_in.user_code = begun.user_code;
    return begun;
}

DeviceAuthPoll DeviceAuthDesk::poll(const std::string& device_auth_id,
                                    const std::string& user_code) {
    std::lock_guard lock(mutex_);
    const auto found = sign_ins_.find(device_auth_id);
    if (found == sign_ins_.end() || found->second.user_code != user_code)
        return {};
    SignIn& sign_in = found->second;
    DeviceAuthPoll poll{sign_in.state, true, {}, {}};
    if (sign_in.state == DeviceAuthState::kApproved) {
        // The server hands the authorization code out once; the sign-in is over.
        poll.authorization_code = sign_in.authorization_code;
        poll.code_verifier = sign_in.code_verifier;
        sign_ins_.erase(found);
    }
    return poll;
}

bool DeviceAuthDesk::settle(const std::string& user_code, DeviceAuthState state,
                            const std::string& account_id) {
    std::lock_guard lock(mutex_);
    for (auto& [id, sign_in] : sign_ins_) {
        if (sign_in.user_code != user_code || sign_in.state != DeviceAuthState::kPending)
            continue;
        sign_in.state = state;
        if (state == DeviceAuthState::kApproved) {
            sign_in.account_id = account_id;
            sign_in.authorization_code = next("ac_emu_");
            sign_in.code_verifier = randomLetters(43);
            grants_[sign_in.authorization_code] = {account_id, sign_in.code_verifier};
        }
        return true;
    }
    return false;
}

std::vector<std::string> DeviceAuthDesk::pendingUserCodes() {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::uint64_t, std::string>> pending;
    for (const auto& [id, sign_in] : sign_ins_) {
        if (sign_in.state == DeviceAuthState::kPending)
            pending.emplace_back(sign_in.serial, sign_in.user_code);
    }
    std::sort(pending.begin(), pending.end());
    std::vector<std::string> codes;
    for (auto& [serial, code] : pending)
        codes.push_back(std::move(code));
    return codes;
}

bool DeviceAuthDesk::approve(const std::string& user_code, const std::string& account_id) {
    return settle(user_code, DeviceAuthState::kApproved, account_id);
}

bool DeviceAuthDesk::deny(const std::string& user_code) {
    return settle(user_code, DeviceAuthState::kDenied);
}

bool DeviceAuthDesk::expire(const std::string& user_code) {
    return settle(user_code, DeviceAuthState::kExpired);
}

std::optional<std::string> DeviceAuthDesk::redeem(const std::string& authorization_code,
                                                  const std::string& code_verifier) {
    std::lock_guard lock(mutex_);
    const auto found = grants_.find(authorization_code);
    if (found == grants_.end())
        return std::nullopt;
    Grant grant = std::move(found->second);
    grants_.erase(found);  // one try: a wrong verifier burns the code, as a real server does
    if (grant.code_verifier != code_verifier)
        return std::nullopt;
    return grant.account_id;
}

void DeviceAuthDesk::clear() {
    std::lock_guard lock(mutex_);
    sign_ins_.clear();
    grants_.clear();
}

}  // namespace sluice::emulator

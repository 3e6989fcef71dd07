#include "tests/emulator/wham_fixtures.hpp"

#include <array>
#include <cctype>

namespace sluice::emulator {
namespace {

void replaceAll(std::string& text, std::string_view from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

std::string WhamFixtures::taskIdFor(const std::string& account_id) {
    std::string slug;
    for (const unsigned char c : account_id) {
        slug += std::isalnum(c) != 0 ? static_cast<char>(c) : '_';
    }
    return "task_e_" + slug;
}

std::optional<nlohmann::json> WhamFixtures::forAccount(std::string_view name,
                                                       const std::string& account_id) {
    return forTask(name, taskIdFor(account_id));
}

std::optional<nlohmann::json> WhamFixtures::forTask(std::string_view name,
                                                    const std::string& task_id) {
    for (const auto& file : embeddedWhamFixtures()) {
        if (file.name != name)
            continue;
        std::string text(file.content);
        // The samples use two spellings for their task; both become the account's task.
        replaceAll(text, "task_e_example", task_id);
        replaceAll(text, "task_example_1", task_id);
        auto json = nlohmann::json::parse(text, nullptr, false);
        if (json.is_discarded())
            return std::nullopt;
        return json;
    }
    return std::nullopt;
}

}  // namespace sluice::emulator

#include "sluice/sdk/testing/fake_config.hpp"

namespace sluice::sdk::testing {

FakeConfig::Ptr FakeConfig::scalar(std::string value) {
    auto node = std::make_shared<FakeConfig>();
    node->kind_ = ConfigKind::Scalar;
    node->scalar_ = std::move(value);
    return node;
}

FakeConfig::Ptr FakeConfig::map(std::vector<std::pair<std::string, Ptr>> entries) {
    auto node = std::make_shared<FakeConfig>();
    node->kind_ = ConfigKind::Map;
    node->entries_ = std::move(entries);
    node->assignPaths("");
    return node;
}

FakeConfig::Ptr FakeConfig::sequence(std::vector<Ptr> items) {
    auto node = std::make_shared<FakeConfig>();
    node->kind_ = ConfigKind::Sequence;
    node->items_ = std::move(items);
    node->assignPaths("");
    return node;
}

FakeConfig::Ptr FakeConfig::null() {
    return std::make_shared<FakeConfig>();
}

void FakeConfig::assignPaths(const std::string& path) {
    path_ = path;
    for (auto& [key, child] : entries_) {
        child->assignPaths(path.empty() ? key : path + "." + key);
    }
    for (std::size_t i = 0; i < items_.size(); ++i) {
        items_[i]->assignPaths(path + "[" + std::to_string(i) + "]");
    }
}

const ConfigNode* FakeConfig::get(std::string_view key) const noexcept {
    for (const auto& [name, child] : entries_) {
        if (name == key) {
            return child.get();
        }
    }
    return nullptr;
}

std::vector<std::string> FakeConfig::keys() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) {
        out.push_back(entry.first);
    }
    return out;
}

std::size_t FakeConfig::size() const noexcept {
    return kind_ == ConfigKind::Map ? entries_.size() : items_.size();
}

const ConfigNode* FakeConfig::at(std::size_t index) const noexcept {
    return index < items_.size() ? items_[index].get() : nullptr;
}

}  // namespace sluice::sdk::testing

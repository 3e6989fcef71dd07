#include "core/config/config_tree.hpp"

namespace sluice::core::config {

std::string joinPath(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string indexPath(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

ConfigTree::ConfigTree(sdk::ConfigKind kind, std::string path, int line)
    : kind_(kind), path_(std::move(path)), line_(line) {}

ConfigTree::Ptr ConfigTree::makeScalar(std::string path, std::string value, int line) {
    Ptr node(new ConfigTree(sdk::ConfigKind::Scalar, std::move(path), line));
    node->scalar_ = std::move(value);
    return node;
}

ConfigTree::Ptr ConfigTree::makeMap(std::string path, int line) {
    return Ptr(new ConfigTree(sdk::ConfigKind::Map, std::move(path), line));
}

ConfigTree::Ptr ConfigTree::makeSequence(std::string path, int line) {
    return Ptr(new ConfigTree(sdk::ConfigKind::Sequence, std::move(path), line));
}

ConfigTree::Ptr ConfigTree::makeNull(std::string path, int line) {
    return Ptr(new ConfigTree(sdk::ConfigKind::Null, std::move(path), line));
}

std::vector<std::string> ConfigTree::keys() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) {
        out.push_back(entry.first);
    }
    return out;
}

std::size_t ConfigTree::size() const noexcept {
    return kind_ == sdk::ConfigKind::Map ? entries_.size() : items_.size();
}

const sdk::ConfigNode* ConfigTree::at(std::size_t index) const noexcept {
    return item(index);
}

const ConfigTree* ConfigTree::item(std::size_t index) const noexcept {
    return index < items_.size() ? items_[index].get() : nullptr;
}

const ConfigTree* ConfigTree::find(std::string_view key) const noexcept {
    for (const auto& [name, child] : entries_) {
        if (name == key) {
            return child.get();
        }
    }
    return nullptr;
}

ConfigTree* ConfigTree::find(std::string_view key) noexcept {
    for (auto& [name, child] : entries_) {
        if (name == key) {
            return child.get();
        }
    }
    return nullptr;
}

void ConfigTree::markDefaulted() noexcept {
    defaulted_ = true;
    for (auto& entry : entries_) {
        entry.second->markDefaulted();
    }
    for (auto& child : items_) {
        child->markDefaulted();
    }
}

ConfigTree& ConfigTree::set(std::string key, Ptr child) {
    for (auto& [name, existing] : entries_) {
        if (name == key) {
            existing = std::move(child);
            return *existing;
        }
    }
    entries_.emplace_back(std::move(key), std::move(child));
    return *entries_.back().second;
}

ConfigTree& ConfigTree::append(Ptr child) {
    items_.push_back(std::move(child));
    return *items_.back();
}

ConfigTree::Ptr ConfigTree::clone(const std::string& path) const {
    Ptr copy(new ConfigTree(kind_, path, line_));
    copy->scalar_ = scalar_;
    copy->secret_ = secret_;
    copy->defaulted_ = defaulted_;
    for (const auto& [key, child] : entries_) {
        copy->entries_.emplace_back(key, child->clone(joinPath(path, key)));
    }
    for (std::size_t i = 0; i < items_.size(); ++i) {
        copy->items_.push_back(items_[i]->clone(indexPath(path, i)));
    }
    return copy;
}

}  // namespace sluice::core::config

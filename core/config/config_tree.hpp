#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sdk/config.hpp"

namespace sluice::core::config {

/// The host's own copy of a pipeline subtree. It is what plugins see as a ConfigNode: secret
/// references already resolved, schema defaults applied. Built on the main thread, then
/// read-only.
class ConfigTree final : public sdk::ConfigNode {
public:
    using Ptr = std::unique_ptr<ConfigTree>;

    static Ptr makeScalar(std::string path, std::string value, int line = 0);
    static Ptr makeMap(std::string path, int line = 0);
    static Ptr makeSequence(std::string path, int line = 0);
    static Ptr makeNull(std::string path, int line = 0);

    sdk::ConfigKind kind() const noexcept override { return kind_; }
    const std::string& path() const noexcept override { return path_; }
    const std::string& scalar() const noexcept override { return scalar_; }
    const ConfigNode* get(std::string_view key) const noexcept override { return find(key); }
    std::vector<std::string> keys() const override;
    std::size_t size() const noexcept override;
    const ConfigNode* at(std::size_t index) const noexcept override;

    const ConfigTree* find(std::string_view key) const noexcept;
    ConfigTree* find(std::string_view key) noexcept;
    const ConfigTree* item(std::size_t index) const noexcept;
    const std::vector<std::pair<std::string, Ptr>>& entries() const noexcept { return entries_; }
    const std::vector<Ptr>& items() const noexcept { return items_; }

    int line() const noexcept { return line_; }
    bool secret() const noexcept { return secret_; }
    void markSecret() noexcept { secret_ = true; }
    /// Whether the value came from a schema default rather than the file.
    bool defaulted() const noexcept { return defaulted_; }
    void markDefaulted() noexcept;

    /// Adds (or replaces) a map entry; returns the stored child.
    ConfigTree& set(std::string key, Ptr child);
    ConfigTree& append(Ptr child);
    /// Deep copy with paths rebased under `path`.
    Ptr clone(const std::string& path) const;

private:
    ConfigTree(sdk::ConfigKind kind, std::string path, int line);

    sdk::ConfigKind kind_;
    std::string path_;
    std::string scalar_;
    int line_ = 0;
    bool secret_ = false;
    bool defaulted_ = false;
    std::vector<std::pair<std::string, Ptr>> entries_;
    std::vector<Ptr> items_;
};

/// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string joinPath(const std::string& parent, const std::string& key);
/// "a.b" + 2 -> "a.b[2]".
std::string indexPath(const std::string& parent, std::size_t index);

}  // namespace sluice::core::config

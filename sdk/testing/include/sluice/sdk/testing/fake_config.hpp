#pragma once

// An in-memory ConfigNode so plugin tests (in tree and out of tree) can build configuration
// without the host's YAML loader:
//   auto config = FakeConfig::map({{"path", FakeConfig::scalar("/tmp/x.db")}});

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sdk/config.hpp"

namespace sluice::sdk::testing {

class FakeConfig final : public ConfigNode {
public:
    using Ptr = std::shared_ptr<FakeConfig>;

    static Ptr scalar(std::string value);
    static Ptr map(std::vector<std::pair<std::string, Ptr>> entries);
    static Ptr sequence(std::vector<Ptr> items);
    static Ptr null();

    ConfigKind kind() const noexcept override { return kind_; }
    const std::string& path() const noexcept override { return path_; }
    const std::string& scalar() const noexcept override { return scalar_; }
    const ConfigNode* get(std::string_view key) const noexcept override;
    std::vector<std::string> keys() const override;
    std::size_t size() const noexcept override;
    const ConfigNode* at(std::size_t index) const noexcept override;

private:
    void assignPaths(const std::string& path);

    ConfigKind kind_ = ConfigKind::Null;
    std::string path_;
    std::string scalar_;
    std::vector<std::pair<std::string, Ptr>> entries_;
    std::vector<Ptr> items_;
};

}  // namespace sluice::sdk::testing

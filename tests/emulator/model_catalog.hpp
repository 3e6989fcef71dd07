#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::emulator {

/// The /models answer: a serialized body and its ETag, swapped as one immutable snapshot.
class ModelCatalog final {
public:
    struct Snapshot {
        std::string body;  ///< {"models":[...]}
        std::string etag;  ///< quoted, e.g. "\"emu-1a2b3c\""
        std::size_t count = 0;
    };

    ModelCatalog();

    /// Replaces the models array; the ETag changes with the content.
    void set(const nlohmann::json& models);
    void restoreDefault();
    std::shared_ptr<const Snapshot> snapshot() const;

    /// Three entries with every field §6 marks required: gpt-5.5 (listed), gpt-6-sol
    /// (responses-lite) and codex-auto-review (hidden).
    static nlohmann::json defaultModels();

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace sluice::emulator

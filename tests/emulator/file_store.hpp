#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sluice::emulator {

/// A file as the emulated backend knows it: metadata and counters, never the bytes.
struct StoredFile {
    std::string id;
    std::string account_id;  ///< the account that created it; only it can use the file
    std::string file_name;
    std::int64_t declared_size = 0;
    std::string upload_token;                   ///< the signature of its upload URL
    std::optional<std::size_t> uploaded_bytes;  ///< set once the bytes arrived
    int finalize_polls = 0;                     ///< finalize calls answered so far
};

/// Files created through POST /backend-api/files, per account. Thread-safe.
class FileStore final {
public:
    void add(StoredFile file);
    std::optional<StoredFile> find(const std::string& id) const;
    /// Records an upload; false when the id or the token is unknown.
    bool markUploaded(const std::string& id, const std::string& token, std::size_t bytes);
    /// Counts one finalize call and returns how many came before it.
    int countFinalize(const std::string& id);
    /// True when `account_id` created the file `id`.
    bool ownedBy(const std::string& id, const std::string& account_id) const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, StoredFile> files_;
};

}  // namespace sluice::emulator

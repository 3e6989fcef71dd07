#include "tests/emulator/file_store.hpp"

namespace sluice::emulator {

void FileStore::add(StoredFile file) {
    std::lock_guard lock(mutex_);
    files_[file.id] = std::move(file);
}

std::optional<StoredFile> FileStore::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = files_.find(id);
    if (it == files_.end())
        return std::nullopt;
    return it->second;
}

bool FileStore::markUploaded(const std::string& id, const std::string& token, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    const auto it = files_.find(id);
    if (it == files_.end() || it->second.upload_token != token)
        return false;
    it->second.uploaded_bytes = bytes;
    return true;
}

int FileStore::countFinalize(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = files_.find(id);
    return it == files_.end() ? 0 : it->second.finalize_polls++;
}

bool FileStore::ownedBy(const std::string& id, const std::string& account_id) const {
    std::lock_guard lock(mutex_);
    const auto it = files_.find(id);
    return it != files_.end() && it->second.account_id == account_id;
}

void FileStore::clear() {
    std::lock_guard lock(mutex_);
    files_.clear();
}

}  // namespace sluice::emulator

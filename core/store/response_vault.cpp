#include "core/store/response_vault.hpp"

#include <algorithm>

namespace sluice::core::store {

namespace {

constexpr int kWriteAttempts = 3;

/// Binds a sealed document to its row: a ciphertext copied to another id or owner fails.
std::string documentAad(std::string_view id, std::string_view owner_key) {
    return "stored_response:" + std::string(id) + ":" + std::string(owner_key);
}

sdk::Status notFound(std::string_view id) {
    return {sdk::StatusCode::NotFound, "no stored object '" + std::string(id) + "'"};
}

}  // namespace

ResponseVault::ResponseVault(sdk::ResponseRepository& repository,
                             const security::SecretBox& secrets, const sdk::Clock& clock,
                             sdk::Metrics& metrics, sdk::Logger& logger, Options options)
    : repository_(repository),
      secrets_(secrets),
      clock_(clock),
      logger_(logger),
      written_(metrics.counter("sluice_response_store_written_total",
                               "Stored answers written to storage", {})),
      dropped_(metrics.counter("sluice_response_store_dropped_total",
                               "Stored answers dropped (storage failed or could not keep up)", {})),
      purged_(metrics.counter("sluice_response_store_purged_total",
                              "Stored answers removed once their retention ended", {})),
      options_(options),
      thread_([this] { run(); }) {}

ResponseVault::~ResponseVault() {
    stop();
}

sdk::StoredResponseRecord ResponseVault::seal(std::string_view owner_key,
                                              const sdk::StoredDocument& document) const {
    sdk::StoredResponseRecord record;
    record.id = document.id;
    record.owner_key = std::string(owner_key);
    record.kind = document.kind;
    record.model = document.model;
    record.created_at = document.created_at;
    record.expires_at = document.expires_at;
    record.sealed = secrets_.encrypt(document.body, documentAad(document.id, owner_key));
    return record;
}

std::optional<sdk::StoredDocument> ResponseVault::open(
    const sdk::StoredResponseRecord& record) const {
    auto body = secrets_.decrypt(record.sealed, documentAad(record.id, record.owner_key));
    if (!body) {
        return std::nullopt;
    }
    return sdk::StoredDocument{record.id,         record.kind,       record.model,
                               record.created_at, record.expires_at, std::move(*body)};
}

void ResponseVault::keep(std::string_view owner_key, sdk::StoredDocument document) noexcept {
    try {
        sdk::StoredResponseRecord record = seal(owner_key, document);
        std::lock_guard lock(mutex_);
        if (queue_.size() >= options_.queue_capacity) {
            queue_.pop_front();
            dropped_.add();
        }
        queue_.emplace_back(++queued_seq_, std::move(record));
    } catch (const std::exception& e) {
        dropped_.add();
        logger_.error("response_store_seal_failed", {{"reason", e.what()}});
        return;
    }
    wake_.notify_one();
}

void ResponseVault::awaitQueued() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = queued_seq_;
    written_cv_.wait_for(lock, options_.read_wait,
                         [&] { return written_seq_ >= target || stopping_; });
}

sdk::Result<sdk::StoredResponseRecord> ResponseVault::owned(std::string_view owner_key,
                                                            sdk::StoredKind kind,
                                                            std::string_view id) {
    awaitQueued();
    auto record = repository_.get(id);
    if (!record.ok()) {
        return record.status().code() == sdk::StatusCode::NotFound ? notFound(id) : record.status();
    }
    // Another key's object, or one past its retention, does not exist for the caller.
    if (record->owner_key != owner_key || record->kind != kind ||
        record->expires_at <= clock_.now()) {
        return notFound(id);
    }
    return record;
}

sdk::Result<sdk::StoredDocument> ResponseVault::find(std::string_view owner_key,
                                                     sdk::StoredKind kind,
                                                     std::string_view id) noexcept {
    try {
        auto record = owned(owner_key, kind, id);
        if (!record.ok()) {
            return record.status();
        }
        auto document = open(record.value());
        if (!document) {
            logger_.error("response_store_unsealable", {{"id", std::string(id)}});
            return sdk::Status{sdk::StatusCode::Internal, "the stored object cannot be read"};
        }
        return std::move(*document);
    } catch (const std::exception& e) {
        return sdk::Status{sdk::StatusCode::Internal, e.what()};
    }
}

sdk::Result<std::vector<sdk::StoredDocument>> ResponseVault::list(
    std::string_view owner_key, const sdk::StoredDocumentQuery& query) noexcept {
    try {
        awaitQueued();
        sdk::StoredResponseQuery page{std::string(owner_key),
                                      query.kind,
                                      query.model,
                                      query.after_id,
                                      query.ascending,
                                      std::max(query.limit, options_.list_batch),
                                      clock_.now()};
        std::vector<sdk::StoredDocument> documents;
        while (documents.size() < query.limit) {
            auto rows = repository_.list(page);
            if (!rows.ok()) {
                return rows.status();
            }
            for (const sdk::StoredResponseRecord& row : rows.value()) {
                auto document = open(row);
                if (document && documents.size() < query.limit &&
                    (!query.keep || query.keep(*document))) {
                    documents.push_back(std::move(*document));
                }
            }
            if (rows->size() < page.limit) {
                break;
            }
            page.after_id = rows->back().id;
        }
        return documents;
    } catch (const std::exception& e) {
        return sdk::Status{sdk::StatusCode::Internal, e.what()};
    }
}

sdk::Status ResponseVault::update(std::string_view owner_key,
                                  const sdk::StoredDocument& document) noexcept {
    try {
        auto record = owned(owner_key, document.kind, document.id);
        if (!record.ok()) {
            return record.status();
        }
        sdk::StoredDocument next = document;
        next.model = record->model;
        next.created_at = record->created_at;
        next.expires_at = record->expires_at;
        return repository_.save(seal(owner_key, next));
    } catch (const std::exception& e) {
        return {sdk::StatusCode::Internal, e.what()};
    }
}

sdk::Status ResponseVault::remove(std::string_view owner_key, sdk::StoredKind kind,
                                  std::string_view id) noexcept {
    try {
        auto record = owned(owner_key, kind, id);
        return record.ok() ? repository_.remove(id) : record.status();
    } catch (const std::exception& e) {
        return {sdk::StatusCode::Internal, e.what()};
    }
}

void ResponseVault::purgeExpired() {
    const auto purged = repository_.purgeExpired(clock_.now());
    if (!purged.ok()) {
        logger_.error("response_store_purge_failed", {{"reason", purged.status().message()}});
        return;
    }
    if (purged.value() > 0) {
        purged_.add(purged.value());
        logger_.info("response_store_purged", {{"rows", std::to_string(purged.value())}});
    }
}

void ResponseVault::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    written_cv_.notify_all();
}

void ResponseVault::run() {
    auto next_purge = std::chrono::steady_clock::now() + options_.purge_interval;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait_until(lock, next_purge, [this] { return stopping_ || !queue_.empty(); });
        while (!queue_.empty()) {
            auto [seq, record] = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            sdk::Status status;
            for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
                status = repository_.save(record);
                if (status.ok()) {
                    break;
                }
            }
            status.ok() ? written_.add() : dropped_.add();
            if (!status.ok()) {
                logger_.error("response_store_write_failed", {{"reason", status.message()}});
            }
            lock.lock();
            written_seq_ = seq;
            written_cv_.notify_all();
        }
        if (stopping_) {
            return;
        }
        if (std::chrono::steady_clock::now() >= next_purge) {
            lock.unlock();
            purgeExpired();
            lock.lock();
            next_purge = std::chrono::steady_clock::now() + options_.purge_interval;
        }
    }
}

}  // namespace sluice::core::store

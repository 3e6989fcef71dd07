#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sluice/sdk/storage_projects.hpp"
#include "sluice/sdk/storage_records.hpp"
#include "sluice/sdk/storage_responses.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_memory {

/// A record plus the order it was created in, which breaks ties between equal created_at.
template <class Record>
struct Sequenced {
    Record record;
    std::uint64_t sequence = 0;
};

/// (time in milliseconds, id): the key of newest-first page ordering.
using TimeKey = std::pair<std::int64_t, std::string>;
using NewestFirst = std::set<TimeKey, std::greater<>>;

/// Every table of the backend behind one mutex, so operations spanning tables (removing an
/// account drops its quota snapshots) stay atomic. Owned by MemoryBackend; the repositories
/// borrow it and hold `mutex` for the whole of each operation.
struct MemoryState {
    std::mutex mutex;
    std::uint64_t next_sequence = 0;

    std::map<std::string, sdk::PoolRecord, std::less<>> pools;
    std::map<std::string, Sequenced<sdk::AccountRecord>, std::less<>> accounts;
    std::map<std::string, Sequenced<sdk::ApiKeyRecord>, std::less<>> api_keys;
    std::map<std::string, Sequenced<sdk::OperatorTokenRecord>, std::less<>> operator_tokens;

    std::map<std::string, sdk::RequestLogRecord, std::less<>> request_logs;
    NewestFirst request_log_order;
    std::map<std::string, sdk::AuditRecord, std::less<>> audit;
    NewestFirst audit_order;

    std::map<std::pair<std::string, std::string>, sdk::QuotaSnapshotRecord> quotas;
    std::map<std::string, sdk::AffinityRecord, std::less<>> affinities;
    std::map<std::pair<std::string, std::string>, sdk::FileRecord> files;  ///< (pool, id)
    /// (day, pool, key, account, model): the order query() returns them in.
    std::map<std::tuple<std::int64_t, std::string, std::string, std::string, std::string>,
             sdk::UsageBucket>
        usage;
    std::map<std::string, sdk::ProjectRecord, std::less<>> projects;

    std::map<std::string, sdk::CustomerRecord, std::less<>> customers;
    std::set<std::string, std::less<>> username_bearers;  ///< customer ids
    std::map<std::string, sdk::WalletRecord, std::less<>> wallets;
    std::map<std::string, std::string, std::less<>> key_links;  ///< key prefix -> wallet id
    std::map<std::pair<std::string, std::uint32_t>, sdk::RateCardRecord> rate_cards;
    std::vector<sdk::WalletTransactionRecord> wallet_transactions;  ///< in booking order
    std::set<std::string, std::less<>> wallet_idempotency_keys;
    /// (wallet id, conversation key) -> cumulative reported input
    std::map<std::pair<std::string, std::string>, std::uint64_t> conversation_baselines;

    std::map<std::string, sdk::StoredResponseRecord, std::less<>> stored_responses;
};

/// Persistent backends keep milliseconds; truncating here makes both kinds read back alike.
inline sdk::TimePoint toStoredTime(sdk::TimePoint time) noexcept {
    return std::chrono::floor<std::chrono::milliseconds>(time);
}

inline std::int64_t toMillis(sdk::TimePoint time) noexcept {
    return std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

/// Copies the records of `table` that `keep` accepts, oldest first: by created_at, then by
/// creation order. The caller holds the state's mutex.
template <class Record, class Keep>
std::vector<Record> inCreationOrder(
    const std::map<std::string, Sequenced<Record>, std::less<>>& table, Keep&& keep) {
    std::vector<const Sequenced<Record>*> matching;
    for (const auto& entry : table) {
        if (keep(entry.second.record)) {
            matching.push_back(&entry.second);
        }
    }
    std::sort(matching.begin(), matching.end(), [](const auto* a, const auto* b) {
        return std::tie(a->record.created_at, a->sequence) <
               std::tie(b->record.created_at, b->sequence);
    });
    std::vector<Record> records;
    records.reserve(matching.size());
    for (const auto* entry : matching) {
        records.push_back(entry->record);
    }
    return records;
}

}  // namespace sluice::plugins::storage_memory

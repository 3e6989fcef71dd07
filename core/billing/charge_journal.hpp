#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "core/billing/pricing.hpp"

namespace sluice::core::billing {

/// The usage of one settled request on a wallet-linked key: what the applier charges.
struct UsageRecord {
    std::string idempotency_key;  ///< the upstream response id, or the request id
    std::string wallet_id;
    std::string key_prefix;
    std::string model;
    std::string conversation_key;  ///< empty: no conversation baseline
    std::string surface;           ///< the route family that served it ("codex", "anthropic", ...)
    ReportedUsage usage;
    std::int64_t at_ms = 0;  ///< unix milliseconds of the settle
};

/// The write-ahead of charges (ADR 0008): an append-only file of usage records, one JSON line
/// each. append() is one write(2) on an O_APPEND descriptor — a copy into the page cache that
/// a process kill cannot lose — so request threads never wait on storage. One applier reads
/// what is new, syncs it, applies it and compacts the file once everything is applied.
/// Thread-safe.
class ChargeJournal final {
public:
    /// Opens (creating) the file and cuts a torn last line a crash mid-write left behind.
    /// Throws std::system_error.
    explicit ChargeJournal(const std::filesystem::path& path);
    ~ChargeJournal();
    ChargeJournal(const ChargeJournal&) = delete;
    ChargeJournal& operator=(const ChargeJournal&) = delete;

    /// Request thread: appends one record; false when the write failed.
    bool append(const UsageRecord& record) noexcept;
    /// Applier: the records appended since the last call (from the start of the file on the
    /// first call), synced to disk first. Lines that do not parse are skipped and counted.
    std::vector<UsageRecord> readNew();
    /// Applier: empties the file when nothing was appended since readNew() (all applied).
    void compact();
    /// Lines skipped because they did not parse (never expected; a damaged file).
    std::uint64_t skipped() const;

private:
    mutable std::mutex mutex_;
    int fd_ = -1;
    std::uint64_t read_offset_ = 0;
    std::uint64_t skipped_ = 0;
};

}  // namespace sluice::core::billing

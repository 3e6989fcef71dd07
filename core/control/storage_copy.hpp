#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sluice/sdk/status.hpp"
#include "sluice/sdk/storage_transfer.hpp"

namespace sluice::core::control {

/// What one backend holds in one table: its row count and a SHA-256 (hex) over the table's name,
/// its column names and every value of every row in export order, each value tagged with its
/// type and length, so equal checksums mean equal contents whatever database holds them.
struct TableTally {
    std::string table;
    std::uint64_t rows = 0;
    std::string checksum;
};

/// One table on both sides of a copy. A side that does not hold the table has no checksum.
struct CopiedTable {
    std::string table;
    TableTally source;
    TableTally target;

    /// Equal counts and checksums, or a table that is empty (or absent) on both sides.
    bool matches() const noexcept;
};

struct CopyReport {
    std::vector<CopiedTable> tables;  ///< the source's tables in export order, then any other
    std::uint64_t rows = 0;           ///< rows copied

    bool matches() const noexcept;
};

/// Counts and checksums every table a backend exports. Blocks for as long as the export runs.
sdk::Result<std::vector<TableTally>> tallyStorage(sdk::StorageTransfer& storage);

/// Copies every row `source` exports into `target` in one import, committed only once the whole
/// export went in (a failure part way leaves `target` as it was), then tallies `target` again
/// and pairs its tables with the source's. FailedPrecondition when `target` holds rows and
/// `replace` is false (with it, the import empties `target` first). The report can still
/// differ, e.g. when the target rewrote a value; callers check matches(). Not thread-safe;
/// blocks.
sdk::Result<CopyReport> copyStorage(sdk::StorageTransfer& source, sdk::StorageTransfer& target,
                                    bool replace);

}  // namespace sluice::core::control

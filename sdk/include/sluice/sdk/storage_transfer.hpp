#pragma once

// SDK ABI 2.3: copying an install from one storage backend into another (`sluice storage
// migrate`). An optional capability found with dynamic_cast, so no released interface changes.
//
// A backend offering it hands out every row it holds as typed values, table by table, and takes
// rows back the same way. Tables and columns are named for what they hold, not for a database:
// two backends that name a table and its columns alike hold the same thing in them, with the
// meanings of plugins/common's storage codec (times in unix milliseconds, statuses as lowercase
// words, unsigned counters as their bits in an Integer, booleans as Integer 0 or 1, upstream
// credentials as key version plus ciphertext Bytes, never decrypted).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::sdk {

/// One value of a stored row. `text` holds Text and Bytes (any bytes, NULs included).
struct StoredValue {
    enum class Type { Integer, Real, Text, Bytes };
    Type type = Type::Integer;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;
};

using StoredRow = std::vector<StoredValue>;

/// A table and its columns, in the order every row of it lists its values.
struct StoredTable {
    std::string name;
    std::vector<std::string> columns;
};

/// Receives an export. Called on the exporting thread; a failed status stops the export, which
/// then returns that status.
class SLUICE_SDK_API StoredRowSink {
public:
    virtual ~StoredRowSink() = default;
    /// The rows of `table` follow, until the next call of table() or the end of the export.
    virtual Status table(const StoredTable& table) noexcept = 0;
    /// The next rows of the current table.
    virtual Status rows(const std::vector<StoredRow>& rows) noexcept = 0;
};

/// Rows being written into a backend inside one transaction: nothing is visible until commit(),
/// and destroying it uncommitted discards everything it wrote. One thread at a time.
class SLUICE_SDK_API StoredRowImport {
public:
    virtual ~StoredRowImport() = default;
    /// Inserts rows of `table` (named and ordered as the backend's own export lists them):
    /// InvalidArgument for a table or column the backend does not hold, AlreadyExists for a
    /// row whose key is taken.
    virtual Status rows(const StoredTable& table, const std::vector<StoredRow>& rows) noexcept = 0;
    virtual Status commit() noexcept = 0;
};

/// Optional: a StorageBackend that also derives from this can be copied from and into.
/// Thread-safe; may block; never called on a request's path.
class SLUICE_SDK_API StorageTransfer {
public:
    virtual ~StorageTransfer() = default;
    /// Every table the backend holds, parents before the tables that reference them, each in
    /// its key order (text compared bytewise), all read from one consistent snapshot. An empty
    /// table is still announced.
    virtual Status exportRows(StoredRowSink& sink) noexcept = 0;
    /// Starts an import. With `replace`, every table is emptied first, inside the same
    /// transaction.
    virtual Result<std::unique_ptr<StoredRowImport>> beginImport(bool replace) noexcept = 0;
};

}  // namespace sluice::sdk

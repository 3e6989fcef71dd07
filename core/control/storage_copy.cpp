#include "core/control/storage_copy.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace sluice::core::control {

namespace {

/// An incremental SHA-256 over the canonical encoding of one table.
class TableDigest final {
public:
    explicit TableDigest(const sdk::StoredTable& table) : context_(EVP_MD_CTX_new()) {
        if (context_ == nullptr || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
            throw std::runtime_error("cannot start a SHA-256 digest");
        }
        addText(table.name);
        addInteger(static_cast<std::int64_t>(table.columns.size()));
        for (const std::string& column : table.columns) {
            addText(column);
        }
    }

    void addRow(const sdk::StoredRow& row) {
        for (const sdk::StoredValue& value : row) {
            addTag(static_cast<unsigned char>(value.type));
            switch (value.type) {
                case sdk::StoredValue::Type::Integer:
                    addInteger(value.integer);
                    break;
                case sdk::StoredValue::Type::Real: {
                    std::int64_t bits = 0;
                    std::memcpy(&bits, &value.real, sizeof bits);
                    addInteger(bits);
                    break;
                }
                case sdk::StoredValue::Type::Text:
                case sdk::StoredValue::Type::Bytes:
                    addText(value.text);
                    break;
            }
        }
    }

    std::string hex() {
        std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
        unsigned int length = 0;
        EVP_DigestFinal_ex(context_.get(), digest.data(), &length);
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string text;
        for (unsigned int i = 0; i < length; ++i) {
            text += kDigits[digest[i] >> 4];
            text += kDigits[digest[i] & 0x0f];
        }
        return text;
    }

private:
    struct Free {
        void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
    };

    void addTag(unsigned char tag) { EVP_DigestUpdate(context_.get(), &tag, 1); }
    void addInteger(std::int64_t value) {
        std::array<unsigned char, 8> bytes{};
        for (int i = 7; i >= 0; --i) {
            bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xff);
            value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) >> 8);
        }
        EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
    }
    void addText(const std::string& text) {
        addInteger(static_cast<std::int64_t>(text.size()));
        EVP_DigestUpdate(context_.get(), text.data(), text.size());
    }

    std::unique_ptr<EVP_MD_CTX, Free> context_;
};

/// Tallies an export table by table; with an import, also writes every row into it.
class TallySink final : public sdk::StoredRowSink {
public:
    explicit TallySink(sdk::StoredRowImport* import = nullptr) : import_(import) {}

    sdk::Status table(const sdk::StoredTable& table) noexcept override {
        finish();
        try {
            digest_ = std::make_unique<TableDigest>(table);
        } catch (const std::exception& e) {
            return {sdk::StatusCode::Internal, e.what()};
        }
        current_ = table;
        tallies_.push_back({table.name, 0, {}});
        return sdk::Status::success();
    }

    sdk::Status rows(const std::vector<sdk::StoredRow>& rows) noexcept override {
        if (!digest_) {
            return {sdk::StatusCode::Internal, "rows arrived before their table"};
        }
        if (import_ != nullptr) {
            if (sdk::Status written = import_->rows(current_, rows); !written.ok()) {
                return {written.code(), "copying table " + current_.name + " (after " +
                                            std::to_string(tallies_.back().rows) +
                                            " rows): " + written.message()};
            }
        }
        for (const sdk::StoredRow& row : rows) {
            digest_->addRow(row);
        }
        tallies_.back().rows += rows.size();
        return sdk::Status::success();
    }

    std::vector<TableTally> take() {
        finish();
        return std::move(tallies_);
    }

private:
    void finish() {
        if (digest_) {
            tallies_.back().checksum = digest_->hex();
            digest_.reset();
        }
    }

    sdk::StoredRowImport* import_;
    sdk::StoredTable current_;
    std::unique_ptr<TableDigest> digest_;
    std::vector<TableTally> tallies_;
};

std::uint64_t totalRows(const std::vector<TableTally>& tallies) {
    std::uint64_t rows = 0;
    for (const TableTally& tally : tallies) {
        rows += tally.rows;
    }
    return rows;
}

CopyReport pairTables(const std::vector<TableTally>& source,
                      const std::vector<TableTally>& target) {
    CopyReport report;
    report.rows = totalRows(source);
    for (const TableTally& tally : source) {
        report.tables.push_back({tally.table, tally, {tally.table, 0, {}}});
    }
    for (const TableTally& tally : target) {
        bool found = false;
        for (CopiedTable& table : report.tables) {
            if (table.table == tally.table) {
                table.target = tally;
                found = true;
            }
        }
        if (!found) {
            report.tables.push_back({tally.table, {tally.table, 0, {}}, tally});
        }
    }
    return report;
}

}  // namespace

bool CopiedTable::matches() const noexcept {
    if (source.checksum.empty() || target.checksum.empty()) {
        return source.rows == 0 && target.rows == 0;
    }
    return source.rows == target.rows && source.checksum == target.checksum;
}

bool CopyReport::matches() const noexcept {
    for (const CopiedTable& table : tables) {
        if (!table.matches()) {
            return false;
        }
    }
    return true;
}

sdk::Result<std::vector<TableTally>> tallyStorage(sdk::StorageTransfer& storage) {
    TallySink sink;
    if (sdk::Status exported = storage.exportRows(sink); !exported.ok()) {
        return exported;
    }
    return sink.take();
}

sdk::Result<CopyReport> copyStorage(sdk::StorageTransfer& source, sdk::StorageTransfer& target,
                                    bool replace) {
    if (!replace) {
        auto before = tallyStorage(target);
        if (!before.ok()) {
            return sdk::Status(before.status().code(),
                               "reading the target: " + before.status().message());
        }
        for (const TableTally& tally : before.value()) {
            if (tally.rows > 0) {
                return sdk::Status(sdk::StatusCode::FailedPrecondition,
                                   "the target is not empty (table " + tally.table + " holds " +
                                       std::to_string(tally.rows) +
                                       " rows); pass --replace-target to empty it first");
            }
        }
    }
    auto import = target.beginImport(replace);
    if (!import.ok()) {
        return sdk::Status(import.status().code(),
                           "starting the import: " + import.status().message());
    }
    TallySink copier(import.value().get());
    if (sdk::Status copied = source.exportRows(copier); !copied.ok()) {
        return copied;
    }
    if (sdk::Status committed = import.value()->commit(); !committed.ok()) {
        return sdk::Status(committed.code(), "committing the copy: " + committed.message());
    }
    import.value().reset();
    auto after = tallyStorage(target);
    if (!after.ok()) {
        return sdk::Status(after.status().code(),
                           "reading the copy back: " + after.status().message());
    }
    return pairTables(copier.take(), after.value());
}

}  // namespace sluice::core::control

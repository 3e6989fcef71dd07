#include "core/billing/charge_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <system_error>

namespace sluice::core::billing {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

std::uint64_t sizeOf(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        fail("charge journal: stat");
    }
    return static_cast<std::uint64_t>(info.st_size);
}

std::string readRange(int fd, std::uint64_t from, std::uint64_t to) {
    std::string bytes(to - from, '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t got =
            ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(from + done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            fail("charge journal: read");
        }
        done += static_cast<std::size_t>(got);
    }
    return bytes;
}

std::string encode(const UsageRecord& record) {
    const nlohmann::json line{{"key", record.idempotency_key},
                              {"wallet", record.wallet_id},
                              {"api_key", record.key_prefix},
                              {"model", record.model},
                              {"conversation", record.conversation_key},
                              {"surface", record.surface},
                              {"input", record.usage.input_tokens},
                              {"cached", record.usage.cached_input_tokens},
                              {"output", record.usage.output_tokens},
                              {"at", record.at_ms}};
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<UsageRecord> decode(std::string_view line) {
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object()) {
        return std::nullopt;
    }
    try {
        UsageRecord record;
        record.idempotency_key = json.at("key").get<std::string>();
        record.wallet_id = json.at("wallet").get<std::string>();
        record.key_prefix = json.at("api_key").get<std::string>();
        record.model = json.at("model").get<std::string>();
        record.conversation_key = json.at("conversation").get<std::string>();
        record.surface = json.value("surface", std::string());  // absent in older journals
        record.usage.input_tokens = json.at("input").get<std::uint64_t>();
        record.usage.cached_input_tokens = json.at("cached").get<std::uint64_t>();
        record.usage.output_tokens = json.at("output").get<std::uint64_t>();
        record.at_ms = json.at("at").get<std::int64_t>();
        return record;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

ChargeJournal::ChargeJournal(const std::filesystem::path& path) {
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path());
    }
    fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        fail("charge journal: open " + path.string());
    }
    const std::uint64_t size = sizeOf(fd_);
    const std::string bytes = readRange(fd_, 0, size);
    const std::size_t whole = bytes.rfind('\n') == std::string::npos ? 0 : bytes.rfind('\n') + 1;
    if (whole != size && ::ftruncate(fd_, static_cast<off_t>(whole)) != 0) {
        fail("charge journal: truncate");
    }
}

ChargeJournal::~ChargeJournal() {
    ::close(fd_);
}

bool ChargeJournal::append(const UsageRecord& record) noexcept {
    try {
        const std::string line = encode(record);
        std::lock_guard lock(mutex_);
        ssize_t written = -1;
        do {
            written = ::write(fd_, line.data(), line.size());
        } while (written < 0 && errno == EINTR);
        return written == static_cast<ssize_t>(line.size());
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<UsageRecord> ChargeJournal::readNew() {
    std::string bytes;
    {
        std::lock_guard lock(mutex_);
        bytes = readRange(fd_, read_offset_, sizeOf(fd_));
        read_offset_ += bytes.size();
    }
    if (!bytes.empty()) {
        ::fdatasync(fd_);
    }
    std::vector<UsageRecord> records;
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        end = end == std::string::npos ? bytes.size() : end;
        if (auto record = decode(std::string_view(bytes).substr(start, end - start))) {
            records.push_back(std::move(*record));
        } else {
            std::lock_guard lock(mutex_);
            ++skipped_;
        }
        start = end + 1;
    }
    return records;
}

void ChargeJournal::compact() {
    std::lock_guard lock(mutex_);
    if (read_offset_ > 0 && sizeOf(fd_) == read_offset_) {
        if (::ftruncate(fd_, 0) != 0) {
            fail("charge journal: truncate");
        }
        read_offset_ = 0;
    }
}

std::uint64_t ChargeJournal::skipped() const {
    std::lock_guard lock(mutex_);
    return skipped_;
}

}  // namespace sluice::core::billing

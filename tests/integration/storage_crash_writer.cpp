// Helper for storage_crash_test: opens the sqlite backend at argv[1] and appends request-log
// batches until killed, writing each id to stdout only after append() has returned ok. Every
// id it prints is therefore an acknowledged commit that must survive a SIGKILL.
//
//   sluice_storage_crash_writer <database path> <id prefix>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "plugins/storage-sqlite/sqlite_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace {

constexpr int kBatchSize = 8;

using sluice::sdk::testing::FakeConfig;

/// Writes all of `text` to stdout in as few syscalls as possible; false once the reader is gone.
bool writeAll(const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    return true;
}

sluice::sdk::RequestLogRecord logRecord(const std::string& id, sluice::sdk::TimePoint started) {
    sluice::sdk::RequestLogRecord log;
    log.id = id;
    log.started_at = started;
    log.pool = "team";
    log.key_prefix = "sk-crash";
    log.model = "gpt-5-codex";
    log.route = "codex.responses";
    log.route_class = "responses";
    log.account_id = "acct_crash";
    log.status = 200;
    log.attempts = 1;
    log.routing_json = R"({"order":["acct_crash"]})";
    return log;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <database path> <id prefix>\n", argv[0]);
        return 2;
    }
    const std::string prefix = argv[2];
    try {
        sluice::sdk::testing::FakeHost host;
        const auto config = FakeConfig::map({
            {"path", FakeConfig::scalar(argv[1])},
            {"busy_timeout", FakeConfig::scalar("5s")},
            {"synchronous", FakeConfig::scalar("normal")},
        });
        auto storage =
            sluice::plugins::storage_sqlite::SqliteBackendFactory().create(*config, host);
        if (const auto status = storage->migrate(); !status.ok()) {
            std::fprintf(stderr, "migrate failed: %s\n", status.message().c_str());
            return 1;
        }

        for (std::uint64_t batch_number = 0;; ++batch_number) {
            std::vector<sluice::sdk::RequestLogRecord> batch;
            std::string acks;
            for (int i = 0; i < kBatchSize; ++i) {
                const std::string id =
                    prefix + "_" + std::to_string(batch_number) + "_" + std::to_string(i);
                batch.push_back(logRecord(id, host.clock().now()));
                acks += id + "\n";
            }
            if (const auto status = storage->requestLogs().append(batch); !status.ok()) {
                std::fprintf(stderr, "append failed: %s\n", status.message().c_str());
                return 1;
            }
            if (!writeAll(acks)) {
                return 0;
            }
            host.fakeClock().advance(std::chrono::milliseconds(1));
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "crash writer: %s\n", error.what());
        return 1;
    }
}

// The storage acceptance criterion: a commit the sqlite backend acknowledged survives the
// process being killed at any moment, and the file is never left corrupt.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace {

/// How long to wait for the writer's next output before calling it hung.
constexpr int kStallTimeoutMs = 30'000;

/// Acknowledged ids to read before each kill: early (right after migrating) to deep in a burst.
constexpr std::array<std::size_t, 4> kKillAfterAcks{8, 150, 777, 2'000};

/// A running crash writer whose stdout is a pipe to us.
struct Writer {
    pid_t pid = -1;
    int out = -1;
};

Writer spawnWriter(const std::filesystem::path& database, const std::string& prefix) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe2 failed";
        return {};
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::execl(SLUICE_STORAGE_CRASH_WRITER, SLUICE_STORAGE_CRASH_WRITER, database.c_str(),
                prefix.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        ADD_FAILURE() << "fork failed";
        return {};
    }
    return {pid, fds[0]};
}

/// Collects complete lines from the writer; a line cut by the kill is not an acknowledgement.
class AckReader {
public:
    explicit AckReader(int fd) : fd_(fd) {}

    /// Reads until at least `count` acks arrived or the pipe closed; false on stall or EOF.
    bool readUntil(std::size_t count) {
        while (acks_.size() < count) {
            if (!readSome()) {
                return false;
            }
        }
        return true;
    }

    /// Reads whatever the writer managed to print before it died.
    void drain() {
        while (readSome()) {
        }
    }

    const std::vector<std::string>& acks() const { return acks_; }

private:
    bool readSome() {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, kStallTimeoutMs) <= 0) {
            ADD_FAILURE() << "the crash writer stalled";
            return false;
        }
        std::array<char, 4096> chunk{};
        const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
        if (n <= 0) {
            return false;
        }
        pending_.append(chunk.data(), static_cast<std::size_t>(n));
        for (std::size_t end = pending_.find('\n'); end != std::string::npos;
             end = pending_.find('\n')) {
            acks_.push_back(pending_.substr(0, end));
            pending_.erase(0, end + 1);
        }
        return true;
    }

    int fd_;
    std::string pending_;
    std::vector<std::string> acks_;
};

/// Opens the file with plain SQLite, as a fresh process would after the crash.
class Inspector {
public:
    explicit Inspector(const std::filesystem::path& path) {
        EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    }
    ~Inspector() { sqlite3_close_v2(db_); }
    Inspector(const Inspector&) = delete;
    Inspector& operator=(const Inspector&) = delete;

    std::vector<std::string> column(const char* sql) {
        std::vector<std::string> values;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
            return values;
        }
        while (sqlite3_step(statement) == SQLITE_ROW) {
            const auto* text = sqlite3_column_text(statement, 0);
            values.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
        }
        sqlite3_finalize(statement);
        return values;
    }

private:
    sqlite3* db_ = nullptr;
};

TEST(StorageCrashTest, AcknowledgedRequestLogsSurviveSigkill) {
    const sluice::sdk::testing::TempDirectory directory("sluice-crash");
    const std::filesystem::path database = directory.path() / "var" / "sluice.db";
    std::vector<std::string> acknowledged;

    for (std::size_t round = 0; round < kKillAfterAcks.size(); ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const Writer writer = spawnWriter(database, "req_r" + std::to_string(round));
        ASSERT_GT(writer.pid, 0);

        AckReader reader(writer.out);
        const bool got_enough = reader.readUntil(kKillAfterAcks[round]);
        ::kill(writer.pid, SIGKILL);
        reader.drain();
        ::close(writer.out);

        int status = 0;
        ASSERT_EQ(::waitpid(writer.pid, &status, 0), writer.pid);
        ASSERT_TRUE(got_enough) << "the writer died before " << kKillAfterAcks[round] << " acks";
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        acknowledged.insert(acknowledged.end(), reader.acks().begin(), reader.acks().end());

        Inspector inspector(database);
        EXPECT_EQ(inspector.column("PRAGMA integrity_check"), (std::vector<std::string>{"ok"}));
        const std::vector<std::string> stored = inspector.column("SELECT id FROM request_logs");
        const std::set<std::string> present(stored.begin(), stored.end());
        std::size_t missing = 0;
        for (const std::string& id : acknowledged) {
            if (present.count(id) == 0) {
                ++missing;
                ADD_FAILURE() << "acknowledged id lost: " << id;
            }
        }
        ASSERT_EQ(missing, 0u);
    }
}

}  // namespace

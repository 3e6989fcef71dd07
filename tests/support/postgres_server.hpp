#pragma once

// A throwaway PostgreSQL cluster for tests: Debian's server binaries (installed by
// `packaging/install-deps.sh --test`), initdb into a temporary directory, the server listening
// only on a unix socket inside it, stopped and removed at the end. As root the server runs as
// `nobody`, since PostgreSQL refuses to run as root.

#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests {

/// One running cluster. Owned by one test binary; its methods run on the test thread.
class PostgresServer final {
public:
    /// The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres, or nullopt.
    static std::optional<std::filesystem::path> findBinaries();

    /// Creates and starts the cluster; throws std::runtime_error (with the server log's tail)
    /// when it does not come up.
    explicit PostgresServer(const std::filesystem::path& bindir);
    /// Fast shutdown, then removes the directory.
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    /// Stops the server (fast shutdown: sessions are cut) and starts it again on the same data
    /// and socket; throws std::runtime_error when it does not come back.
    void restart();

    /// A libpq URI for `database` on this cluster (superuser, no password).
    std::string uri(const std::string& database) const;
    /// Creates a fresh, empty database and returns its name.
    std::string createDatabase();
    /// Runs one statement on `database`; throws std::runtime_error on failure.
    void execute(const std::string& database, const std::string& sql) const;
    /// Rows of a one-column query, as text.
    std::vector<std::string> query(const std::string& database, const std::string& sql) const;

private:
    void start();
    void stop() noexcept;
    void runToCompletion(const std::vector<std::string>& argv) const;
    pid_t spawn(const std::vector<std::string>& argv) const;
    std::string logTail() const;

    std::filesystem::path bindir_;
    std::unique_ptr<sdk::testing::TempDirectory> directory_;
    pid_t server_ = -1;
    int next_database_ = 0;
};

/// The cluster of a test binary: started before the first test, stopped after the last. Every
/// test is skipped, with a message saying what to install, when the binaries are absent.
/// Register once per binary with ::testing::AddGlobalTestEnvironment.
class PostgresEnvironment final : public ::testing::Environment {
public:
    void SetUp() override;
    void TearDown() override;

    /// The running cluster; only valid between SetUp and TearDown of a binary whose tests run.
    static PostgresServer& server();

private:
    static std::unique_ptr<PostgresServer> server_;
};

}  // namespace sluice::tests

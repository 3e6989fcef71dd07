#include "tests/support/postgres_server.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/child_process.hpp"

namespace sluice::tests {

namespace fs = std::filesystem;

namespace {

constexpr auto kStartDeadline = std::chrono::seconds(60);
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr const char* kSuperuser = "sluice";
constexpr const char* kUnprivilegedUser = "nobody";

/// The unprivileged account the server runs as when the tests run as root.
const passwd* serverAccount() {
    if (::geteuid() != 0) {
        return nullptr;
    }
    const passwd* account = ::getpwnam(kUnprivilegedUser);
    if (account == nullptr) {
        throw std::runtime_error(std::string("running as root, but there is no '") +
                                 kUnprivilegedUser + "' user to run PostgreSQL as");
    }
    return account;
}

struct Connection {
    explicit Connection(const std::string& uri) : conn(PQconnectdb(uri.c_str())) {
        if (PQstatus(conn) != CONNECTION_OK) {
            const std::string message = PQerrorMessage(conn);
            PQfinish(conn);
            throw std::runtime_error("cannot connect to the test server: " + message);
        }
    }
    ~Connection() { PQfinish(conn); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    PGconn* conn;
};

}  // namespace

std::optional<fs::path> PostgresServer::findBinaries() {
    const fs::path root = "/usr/lib/postgresql";
    std::error_code error;
    std::vector<fs::path> candidates;
    for (const auto& entry : fs::directory_iterator(root, error)) {
        const std::string version = entry.path().filename().string();
        if (version.empty() || version.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const fs::path bin = entry.path() / "bin";
        if (fs::exists(bin / "initdb") && fs::exists(bin / "postgres")) {
            candidates.push_back(bin);
        }
    }
    if (candidates.empty()) {
        return std::nullopt;
    }
    // Versions are whole numbers (15, 16, ...): compare them as numbers.
    return *std::max_element(candidates.begin(), candidates.end(),
                             [](const auto& a, const auto& b) {
                                 return std::stoi(a.parent_path().filename().string()) <
                                        std::stoi(b.parent_path().filename().string());
                             });
}

PostgresServer::PostgresServer(const fs::path& bindir)
    : bindir_(bindir), directory_(std::make_unique<sdk::testing::TempDirectory>("sluice-pg")) {
    if (const passwd* account = serverAccount()) {
        if (::chown(directory_->path().c_str(), account->pw_uid, account->pw_gid) != 0) {
            throw std::runtime_error("cannot hand the test directory to " +
                                     std::string(kUnprivilegedUser));
        }
    }
    const std::string data = (directory_->path() / "data").string();
    runToCompletion({(bindir_ / "initdb").string(), "-D", data, "-U", kSuperuser, "-A", "trust",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"});
    start();
}

PostgresServer::~PostgresServer() {
    stop();
}

void PostgresServer::restart() {
    stop();
    start();
}

void PostgresServer::start() {
    const std::string data = (directory_->path() / "data").string();
    // Durability is not under test here; fsync off keeps a cluster per binary cheap.
    server_ = spawn({(bindir_ / "postgres").string(), "-D", data, "-k", directory_->path().string(),
                     "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                     "-c", "full_page_writes=off"});

    const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
    while (PQping(uri("postgres").c_str()) != PQPING_OK) {
        if (hasExited(server_)) {
            server_ = -1;
            throw std::runtime_error("postgres exited while starting:\n" + logTail());
        }
        if (std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("postgres did not accept connections in time:\n" + logTail());
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

void PostgresServer::stop() noexcept {
    stopChild(server_, SIGINT);  // fast shutdown: roll back sessions, checkpoint, exit
}

std::string PostgresServer::uri(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + directory_->path().string() +
           "&user=" + kSuperuser;
}

std::string PostgresServer::createDatabase() {
    const std::string name = "sluice_test_" + std::to_string(++next_database_);
    execute("postgres", "CREATE DATABASE " + name);
    return name;
}

void PostgresServer::execute(const std::string& database, const std::string& sql) const {
    query(database, sql);
}

std::vector<std::string> PostgresServer::query(const std::string& database,
                                               const std::string& sql) const {
    const Connection connection(uri(database));
    PGresult* result = PQexec(connection.conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const std::string message = PQresultErrorMessage(result);
        PQclear(result);
        throw std::runtime_error(sql + ": " + message);
    }
    std::vector<std::string> rows;
    for (int row = 0; row < PQntuples(result); ++row) {
        rows.emplace_back(PQgetvalue(result, row, 0));
    }
    PQclear(result);
    return rows;
}

void PostgresServer::runToCompletion(const std::vector<std::string>& argv) const {
    if (!waitForSuccess(spawn(argv))) {
        throw std::runtime_error(argv.front() + " failed:\n" + logTail());
    }
}

pid_t PostgresServer::spawn(const std::vector<std::string>& argv) const {
    return spawnChild(argv, directory_->path() / "server.log", serverAccount(), SIGINT);
}

std::string PostgresServer::logTail() const {
    return tests::logTail(directory_->path() / "server.log");
}

std::unique_ptr<PostgresServer> PostgresEnvironment::server_;

void PostgresEnvironment::SetUp() {
    const auto bindir = PostgresServer::findBinaries();
    if (!bindir) {
        GTEST_SKIP() << "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; "
                        "install them with `packaging/install-deps.sh --test` (Debian package "
                        "postgresql)";
    }
    server_ = std::make_unique<PostgresServer>(*bindir);
}

void PostgresEnvironment::TearDown() {
    server_.reset();
}

PostgresServer& PostgresEnvironment::server() {
    return *server_;
}

}  // namespace sluice::tests

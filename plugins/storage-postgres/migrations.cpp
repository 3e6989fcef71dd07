#include "migrations.hpp"

#include <array>
#include <string>

#include "sluice/plugins/common/storage_codec.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

// Rows mean what they mean in storage-sqlite (storage_codec.hpp): times are BIGINT unix
// milliseconds, statuses lowercase words, unsigned counters their bits in a BIGINT, secrets a key
// version plus BYTEA. Keys that lists and pages sort by are COLLATE "C" so the order is bytewise,
// as in SQLite, whatever locale the cluster was created with. `seq` orders rows created within
// the same millisecond by insertion. Pools may live only in the pipeline YAML, so accounts and
// keys do not reference them; quota snapshots go with their account.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE pools (
    name            TEXT COLLATE "C" PRIMARY KEY,
    strategy        TEXT NOT NULL,
    ring_size       INTEGER NOT NULL,
    sticky_sessions BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE accounts (
    id                        TEXT COLLATE "C" PRIMARY KEY,
    seq                       BIGINT GENERATED ALWAYS AS IDENTITY,
    pool                      TEXT NOT NULL,
    label                     TEXT NOT NULL UNIQUE,
    chatgpt_account_id        TEXT NOT NULL,
    chatgpt_user_id           TEXT NOT NULL,
    plan_type                 TEXT NOT NULL,
    status                    TEXT NOT NULL,
    status_reason             TEXT NOT NULL,
    access_token_key_version  BIGINT NOT NULL,
    access_token              BYTEA NOT NULL,
    refresh_token_key_version BIGINT NOT NULL,
    refresh_token             BYTEA NOT NULL,
    id_token_key_version      BIGINT NOT NULL,
    id_token                  BYTEA NOT NULL,
    access_expires_at         BIGINT NOT NULL,
    last_refresh_at           BIGINT NOT NULL,
    weight                    BIGINT NOT NULL,
    priority                  INTEGER NOT NULL,
    labels                    TEXT NOT NULL,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    UNIQUE (chatgpt_account_id, chatgpt_user_id)
);
CREATE INDEX accounts_by_pool ON accounts (pool, created_at, seq);
CREATE INDEX accounts_by_creation ON accounts (created_at, seq);

CREATE TABLE api_keys (
    prefix       TEXT COLLATE "C" PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    hash         TEXT NOT NULL,
    pool         TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    policy_json  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX api_keys_by_pool ON api_keys (pool, created_at, seq);

CREATE TABLE operator_tokens (
    prefix       TEXT COLLATE "C" PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    hash         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX operator_tokens_by_kind ON operator_tokens (kind, created_at, seq);

CREATE TABLE request_logs (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    started_at          BIGINT NOT NULL,
    pool                TEXT NOT NULL,
    key_prefix          TEXT NOT NULL,
    model               TEXT NOT NULL,
    route               TEXT NOT NULL,
    method              TEXT NOT NULL,
    route_path          TEXT NOT NULL,
    route_class         TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    account_label       TEXT NOT NULL,
    status              INTEGER NOT NULL,
    error_code          TEXT NOT NULL,
    attempts            BIGINT NOT NULL,
    input_tokens        BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL,
    output_tokens       BIGINT NOT NULL,
    reasoning_tokens    BIGINT NOT NULL,
    latency_us          BIGINT NOT NULL,
    first_byte_us       BIGINT NOT NULL,
    routing_json        TEXT NOT NULL
);
CREATE INDEX request_logs_by_time ON request_logs (started_at DESC, id DESC);
CREATE INDEX request_logs_by_pool ON request_logs (pool, started_at DESC, id DESC);
CREATE INDEX request_logs_by_key ON request_logs (key_prefix, started_at DESC, id DESC);

CREATE TABLE audit_log (
    id           TEXT COLLATE "C" PRIMARY KEY,
    occurred_at  BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    details_json TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at DESC, id DESC);

CREATE TABLE quota_snapshots (
    account_id     TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    quota_window   TEXT COLLATE "C" NOT NULL,
    used_percent   DOUBLE PRECISION NOT NULL,
    window_minutes BIGINT NOT NULL,
    resets_at      BIGINT NOT NULL,
    observed_at    BIGINT NOT NULL,
    source         TEXT NOT NULL,
    PRIMARY KEY (account_id, quota_window)
);

CREATE TABLE affinities (
    affinity_key TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX affinities_by_expiry ON affinities (expires_at);

CREATE TABLE files (
    pool       TEXT NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    account_id TEXT NOT NULL,
    filename   TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    bytes      BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (pool, id)
);
CREATE INDEX files_by_expiry ON files (expires_at);

CREATE TABLE usage_buckets (
    day                 BIGINT NOT NULL,
    pool                TEXT COLLATE "C" NOT NULL,
    key_prefix          TEXT COLLATE "C" NOT NULL,
    account_id          TEXT COLLATE "C" NOT NULL,
    model               TEXT COLLATE "C" NOT NULL,
    requests            BIGINT NOT NULL,
    errors              BIGINT NOT NULL,
    input_tokens        BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL,
    output_tokens       BIGINT NOT NULL,
    reasoning_tokens    BIGINT NOT NULL,
    PRIMARY KEY (day, pool, key_prefix, account_id, model)
);
CREATE INDEX usage_by_key ON usage_buckets (key_prefix, day);
)sql";

// Managed coding projects (route-appserver, SDK 1.4): the workspace, its latest Codex thread and
// the token snapshot accounting diffs against, so a resumed thread is never counted twice.
constexpr const char* kProjects = R"sql(
CREATE TABLE projects (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    owner_key          TEXT NOT NULL,
    name               TEXT NOT NULL,
    client_owner       TEXT NOT NULL,
    template_name      TEXT NOT NULL,
    workspace          TEXT NOT NULL,
    thread_id          TEXT NOT NULL,
    active_turn_id     TEXT NOT NULL,
    snapshot_input     BIGINT NOT NULL,
    snapshot_cached    BIGINT NOT NULL,
    snapshot_output    BIGINT NOT NULL,
    snapshot_reasoning BIGINT NOT NULL,
    snapshot_total     BIGINT NOT NULL,
    total_input        BIGINT NOT NULL,
    total_cached       BIGINT NOT NULL,
    total_output       BIGINT NOT NULL,
    total_reasoning    BIGINT NOT NULL,
    total_total        BIGINT NOT NULL,
    turns              BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX projects_by_owner ON projects (owner_key, created_at, id);
CREATE INDEX projects_by_creation ON projects (created_at, id);
)sql";

// The opt-in response store (SDK 2.2): documents only sealed by the host (they hold prompts).
constexpr const char* kStoredResponses = R"sql(
CREATE TABLE stored_responses (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    owner_key          TEXT NOT NULL,
    kind               TEXT NOT NULL,
    model              TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    sealed_key_version BIGINT NOT NULL,
    sealed             BYTEA NOT NULL
);
CREATE INDEX stored_responses_by_owner ON stored_responses (owner_key, kind, created_at, id);
CREATE INDEX stored_responses_by_expiry ON stored_responses (expires_at);
)sql";

// Customers' wallets (issue 17, SDK 2.1), as in storage-sqlite's migration 6: integer micro-USD
// that the CHECK keeps from going below 0, a charge unique by its idempotency key (the response
// id) across every replica, and each conversation's input baseline. Charges lock the wallet row
// (SELECT ... FOR UPDATE), so concurrent replicas book one after another.
constexpr const char* kWallets = R"sql(
CREATE TABLE customers (
    id         TEXT COLLATE "C" PRIMARY KEY,
    username   TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE wallets (
    id          TEXT COLLATE "C" PRIMARY KEY,
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    balance     BIGINT NOT NULL CHECK (balance >= 0),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX wallets_by_customer ON wallets (customer_id, created_at, id);
CREATE TABLE wallet_key_links (
    key_prefix TEXT COLLATE "C" PRIMARY KEY,
    wallet_id  TEXT COLLATE "C" NOT NULL REFERENCES wallets (id)
);
CREATE TABLE rate_cards (
    model                    TEXT COLLATE "C" NOT NULL,
    version                  BIGINT NOT NULL,
    input_per_million        BIGINT NOT NULL,
    cached_input_per_million BIGINT NOT NULL,
    output_per_million       BIGINT NOT NULL,
    per_call                 BIGINT NOT NULL,
    created_at               BIGINT NOT NULL,
    PRIMARY KEY (model, version)
);
CREATE TABLE wallet_transactions (
    id                TEXT COLLATE "C" PRIMARY KEY,
    wallet_id         TEXT COLLATE "C" NOT NULL REFERENCES wallets (id),
    kind              TEXT NOT NULL,
    idempotency_key   TEXT COLLATE "C" NOT NULL,
    key_prefix        TEXT NOT NULL,
    model             TEXT NOT NULL,
    rate_card_version BIGINT NOT NULL,
    input_tokens      BIGINT NOT NULL,
    cached_tokens     BIGINT NOT NULL,
    output_tokens     BIGINT NOT NULL,
    amount            BIGINT NOT NULL,
    cost              BIGINT NOT NULL,
    balance_after     BIGINT NOT NULL,
    reason            TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX wallet_transactions_once ON wallet_transactions (idempotency_key)
    WHERE idempotency_key <> '';
CREATE INDEX wallet_transactions_by_wallet ON wallet_transactions (wallet_id, created_at, id);
CREATE TABLE conversation_baselines (
    wallet_id        TEXT COLLATE "C" NOT NULL,
    conversation_key TEXT COLLATE "C" NOT NULL,
    reported_input   BIGINT NOT NULL,
    PRIMARY KEY (wallet_id, conversation_key)
);
)sql";

// Seed 002's compatibility switch (issue 17, SDK 2.4), as in storage-sqlite's migration 8: a
// row means the customer's username also acts as a bearer on the customer routes.
constexpr const char* kCustomerBearers = R"sql(
CREATE TABLE customer_bearers (
    customer_id TEXT COLLATE "C" PRIMARY KEY REFERENCES customers (id)
);
)sql";

constexpr std::array<Migration, 5> kMigrations{{
    {1, "initial schema", kInitialSchema},
    {2, "projects", kProjects},
    {3, "stored responses", kStoredResponses},
    {4, "customer wallets", kWallets},
    {5, "customer username bearers", kCustomerBearers},
}};

std::int64_t currentVersion(PostgresConnection& connection) {
    return connection.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").integer(0, 0);
}

/// Holds the migration lock for one session; released on every way out (and by the server
/// itself should the connection die).
class MigrationLock final {
public:
    explicit MigrationLock(PostgresConnection& connection) : connection_(connection) {
        connection_.exec("SELECT pg_advisory_lock($1)",
                         PostgresParams().integer(kMigrationLockKey));
    }
    ~MigrationLock() {
        try {
            connection_.exec("SELECT pg_advisory_unlock($1)",
                             PostgresParams().integer(kMigrationLockKey));
        } catch (const std::exception&) {
            // The lock dies with the session.
        }
    }
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    PostgresConnection& connection_;
};

}  // namespace

std::span<const Migration> migrations() noexcept {
    return kMigrations;
}

sdk::Result<int> applyMigrations(PostgresConnection& connection, const sdk::Clock& clock) {
    const MigrationLock lock(connection);
    connection.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");

    const std::int64_t latest = kMigrations.back().version;
    const std::int64_t version = currentVersion(connection);
    if (version > latest) {
        return sdk::Status(sdk::StatusCode::FailedPrecondition,
                           "database schema version " + std::to_string(version) +
                               " is newer than this build understands (" + std::to_string(latest) +
                               ")");
    }

    int applied = 0;
    for (const Migration& migration : kMigrations) {
        if (version >= migration.version) {
            continue;
        }
        PostgresTransaction transaction(connection);
        connection.execScript(migration.sql);
        connection.exec(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            PostgresParams()
                .integer(migration.version)
                .text(migration.name)
                .integer(common::toMillis(clock.now())));
        transaction.commit();
        ++applied;
    }
    return applied;
}

}  // namespace sluice::plugins::storage_postgres

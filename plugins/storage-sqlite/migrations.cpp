#include "migrations.hpp"

#include <array>
#include <string>

#include "sqlite_codec.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

// Every table is STRICT so a mistyped bind fails loudly instead of storing text in an integer
// column. Account rows are referenced by quota snapshots only: pools may live in the pipeline
// YAML instead of this database, and affinities are soft hints that simply expire.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE pools (
    name            TEXT PRIMARY KEY,
    strategy        TEXT NOT NULL,
    ring_size       INTEGER NOT NULL,
    sticky_sessions INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
    id                        TEXT PRIMARY KEY,
    pool                      TEXT NOT NULL,
    label                     TEXT NOT NULL UNIQUE,
    chatgpt_account_id        TEXT NOT NULL UNIQUE,
    plan_type                 TEXT NOT NULL,
    status                    TEXT NOT NULL,
    status_reason             TEXT NOT NULL,
    access_token_key_version  INTEGER NOT NULL,
    access_token              BLOB NOT NULL,
    refresh_token_key_version INTEGER NOT NULL,
    refresh_token             BLOB NOT NULL,
    id_token_key_version      INTEGER NOT NULL,
    id_token                  BLOB NOT NULL,
    access_expires_at         INTEGER NOT NULL,
    last_refresh_at           INTEGER NOT NULL,
    weight                    INTEGER NOT NULL,
    priority                  INTEGER NOT NULL,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_by_pool ON accounts (pool, created_at);

CREATE TABLE api_keys (
    prefix       TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    pool         TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    policy_json  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX api_keys_by_pool ON api_keys (pool, created_at);

CREATE TABLE operator_tokens (
    prefix       TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX operator_tokens_by_kind ON operator_tokens (kind, created_at);

CREATE TABLE request_logs (
    id                  TEXT PRIMARY KEY,
    started_at          INTEGER NOT NULL,
    pool                TEXT NOT NULL,
    key_prefix          TEXT NOT NULL,
    model               TEXT NOT NULL,
    route               TEXT NOT NULL,
    route_class         TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    account_label       TEXT NOT NULL,
    status              INTEGER NOT NULL,
    error_code          TEXT NOT NULL,
    attempts            INTEGER NOT NULL,
    input_tokens        INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    reasoning_tokens    INTEGER NOT NULL,
    latency_us          INTEGER NOT NULL,
    first_byte_us       INTEGER NOT NULL,
    routing_json        TEXT NOT NULL
) STRICT;
CREATE INDEX request_logs_by_time ON request_logs (started_at DESC, id DESC);
CREATE INDEX request_logs_by_pool ON request_logs (pool, started_at DESC, id DESC);
CREATE INDEX request_logs_by_key ON request_logs (key_prefix, started_at DESC, id DESC);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    occurred_at  INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    details_json TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (occurred_at DESC, id DESC);

CREATE TABLE quota_snapshots (
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    quota_window   TEXT NOT NULL,
    used_percent   REAL NOT NULL,
    window_minutes INTEGER NOT NULL,
    resets_at      INTEGER NOT NULL,
    observed_at    INTEGER NOT NULL,
    source         TEXT NOT NULL,
    PRIMARY KEY (account_id, quota_window)
) STRICT;

CREATE TABLE affinities (
    affinity_key TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX affinities_by_expiry ON affinities (expires_at);
)sql";

// Seats of one ChatGPT workspace share its account id, so uniqueness moves to the (account,
// user) pair; labels tag accounts for routing. SQLite cannot drop a column constraint, hence
// the rebuild. Quota snapshots are evidence the gateway re-learns, so the cascade that drops
// them with the old table is harmless.
constexpr const char* kAccountSeatsAndLabels = R"sql(
CREATE TABLE accounts_next (
    id                        TEXT PRIMARY KEY,
    pool                      TEXT NOT NULL,
    label                     TEXT NOT NULL UNIQUE,
    chatgpt_account_id        TEXT NOT NULL,
    chatgpt_user_id           TEXT NOT NULL,
    plan_type                 TEXT NOT NULL,
    status                    TEXT NOT NULL,
    status_reason             TEXT NOT NULL,
    access_token_key_version  INTEGER NOT NULL,
    access_token              BLOB NOT NULL,
    refresh_token_key_version INTEGER NOT NULL,
    refresh_token             BLOB NOT NULL,
    id_token_key_version      INTEGER NOT NULL,
    id_token                  BLOB NOT NULL,
    access_expires_at         INTEGER NOT NULL,
    last_refresh_at           INTEGER NOT NULL,
    weight                    INTEGER NOT NULL,
    priority                  INTEGER NOT NULL,
    labels                    TEXT NOT NULL,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    UNIQUE (chatgpt_account_id, chatgpt_user_id)
) STRICT;
INSERT INTO accounts_next
    SELECT id, pool, label, chatgpt_account_id, '', plan_type, status, status_reason,
           access_token_key_version, access_token, refresh_token_key_version, refresh_token,
           id_token_key_version, id_token, access_expires_at, last_refresh_at, weight, priority,
           '[]', created_at, updated_at
    FROM accounts ORDER BY rowid;
DROP TABLE accounts;
ALTER TABLE accounts_next RENAME TO accounts;
CREATE INDEX accounts_by_pool ON accounts (pool, created_at);
)sql";

// File ownership (continuations that reference a file go to its account) and daily usage
// rollups (per-key usage, budgets, charts) maintained behind the request log.
constexpr const char* kFilesAndUsage = R"sql(
CREATE TABLE files (
    pool       TEXT NOT NULL,
    id         TEXT NOT NULL,
    account_id TEXT NOT NULL,
    filename   TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (pool, id)
) STRICT;
CREATE INDEX files_by_expiry ON files (expires_at);

CREATE TABLE usage_buckets (
    day                 INTEGER NOT NULL,
    pool                TEXT NOT NULL,
    key_prefix          TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    model               TEXT NOT NULL,
    requests            INTEGER NOT NULL,
    errors              INTEGER NOT NULL,
    input_tokens        INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    reasoning_tokens    INTEGER NOT NULL,
    PRIMARY KEY (day, pool, key_prefix, account_id, model)
) STRICT;
CREATE INDEX usage_by_key ON usage_buckets (key_prefix, day);
)sql";

// Managed coding projects (route-appserver): the workspace, its latest Codex thread and the
// token snapshot accounting diffs against, so a resumed thread is never counted twice.
constexpr const char* kProjects = R"sql(
CREATE TABLE projects (
    id                 TEXT PRIMARY KEY,
    owner_key          TEXT NOT NULL,
    name               TEXT NOT NULL,
    client_owner       TEXT NOT NULL,
    template_name      TEXT NOT NULL,
    workspace          TEXT NOT NULL,
    thread_id          TEXT NOT NULL,
    active_turn_id     TEXT NOT NULL,
    snapshot_input     INTEGER NOT NULL,
    snapshot_cached    INTEGER NOT NULL,
    snapshot_output    INTEGER NOT NULL,
    snapshot_reasoning INTEGER NOT NULL,
    snapshot_total     INTEGER NOT NULL,
    total_input        INTEGER NOT NULL,
    total_cached       INTEGER NOT NULL,
    total_output       INTEGER NOT NULL,
    total_reasoning    INTEGER NOT NULL,
    total_total        INTEGER NOT NULL,
    turns              INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX projects_by_owner ON projects (owner_key, created_at);
)sql";

// Request-log rows name the client's method and the route's path template (SDK 2.0). Rows
// written before have neither: they read back as empty text.
constexpr const char* kRequestLogRoutes = R"sql(
ALTER TABLE request_logs ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE request_logs ADD COLUMN route_path TEXT NOT NULL DEFAULT '';
)sql";

// Customers' wallets (issue 17, SDK 2.1): integer micro-USD, never negative; a charge is unique
// by its idempotency key (the response id), and each conversation keeps its input baseline.
constexpr const char* kWallets = R"sql(
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE wallets (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    balance     INTEGER NOT NULL CHECK (balance >= 0),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX wallets_by_customer ON wallets (customer_id, created_at);
CREATE TABLE wallet_key_links (
    key_prefix TEXT PRIMARY KEY,
    wallet_id  TEXT NOT NULL REFERENCES wallets (id)
) STRICT;
CREATE TABLE rate_cards (
    model                    TEXT NOT NULL,
    version                  INTEGER NOT NULL,
    input_per_million        INTEGER NOT NULL,
    cached_input_per_million INTEGER NOT NULL,
    output_per_million       INTEGER NOT NULL,
    per_call                 INTEGER NOT NULL,
    created_at               INTEGER NOT NULL,
    PRIMARY KEY (model, version)
) STRICT;
CREATE TABLE wallet_transactions (
    id                TEXT PRIMARY KEY,
    wallet_id         TEXT NOT NULL REFERENCES wallets (id),
    kind              TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL,
    key_prefix        TEXT NOT NULL,
    model             TEXT NOT NULL,
    rate_card_version INTEGER NOT NULL,
    input_tokens      INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    output_tokens     INTEGER NOT NULL,
    amount            INTEGER NOT NULL,
    cost              INTEGER NOT NULL,
    balance_after     INTEGER NOT NULL,
    reason            TEXT NOT NULL,
    created_at        INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX wallet_transactions_once ON wallet_transactions (idempotency_key)
    WHERE idempotency_key <> '';
CREATE INDEX wallet_transactions_by_wallet ON wallet_transactions (wallet_id, created_at, id);
CREATE TABLE conversation_baselines (
    wallet_id        TEXT NOT NULL,
    conversation_key TEXT NOT NULL,
    reported_input   INTEGER NOT NULL,
    PRIMARY KEY (wallet_id, conversation_key)
) STRICT;
)sql";

// The opt-in response store: documents only sealed by the host (they hold prompts).
constexpr const char* kStoredResponses = R"sql(
CREATE TABLE stored_responses (
    id                 TEXT PRIMARY KEY,
    owner_key          TEXT NOT NULL,
    kind               TEXT NOT NULL,
    model              TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    sealed_key_version INTEGER NOT NULL,
    sealed             BLOB NOT NULL
) STRICT;
CREATE INDEX stored_responses_by_owner ON stored_responses (owner_key, kind, created_at, id);
CREATE INDEX stored_responses_by_expiry ON stored_responses (expires_at);
)sql";

// Seed 002's compatibility switch (issue 17, SDK 2.4): customers whose username also acts as a
// bearer on the customer routes. A row means on; none means off, the default.
constexpr const char* kCustomerBearers = R"sql(
CREATE TABLE customer_bearers (
    customer_id TEXT PRIMARY KEY REFERENCES customers (id)
) STRICT;
)sql";

constexpr std::array<Migration, 8> kMigrations{{
    {1, "initial schema", kInitialSchema},
    {2, "account seats and labels", kAccountSeatsAndLabels},
    {3, "files and usage", kFilesAndUsage},
    {4, "projects", kProjects},
    {5, "request log method and route path", kRequestLogRoutes},
    {6, "customer wallets", kWallets},
    {7, "stored responses", kStoredResponses},
    {8, "customer username bearers", kCustomerBearers},
}};

std::int64_t currentVersion(SqliteConnection& connection) {
    SqliteStatement statement =
        connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return statement.step() ? statement.columnInt(0) : 0;
}

}  // namespace

std::span<const Migration> migrations() noexcept {
    return kMigrations;
}

sdk::Result<int> applyMigrations(SqliteConnection& connection, const sdk::Clock& clock) {
    connection.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");

    const std::int64_t latest = kMigrations.back().version;
    std::int64_t version = currentVersion(connection);
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
        SqliteTransaction transaction(connection);
        // Re-read under the write lock: another process may have migrated in the meantime.
        version = currentVersion(connection);
        if (version >= migration.version) {
            continue;
        }
        connection.exec(migration.sql);
        SqliteStatement record = connection.prepare(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
        record.bindInt(1, migration.version)
            .bindText(2, migration.name)
            .bindInt(3, toMillis(clock.now()));
        record.run();
        transaction.commit();
        version = migration.version;
        ++applied;
    }
    return applied;
}

}  // namespace sluice::plugins::storage_sqlite

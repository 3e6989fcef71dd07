#include "storage_conformance_support.hpp"

#include <chrono>

namespace sluice::sdk::testing::conformance {

TimePoint at(std::int64_t offset_ms) {
    // Whole milliseconds, well after the epoch, so every backend stores it exactly.
    return TimePoint(std::chrono::milliseconds(1'800'000'000'000 + offset_ms));
}

EncryptedSecret binarySecret(std::uint32_t key_version, const std::string& seed) {
    EncryptedSecret secret;
    secret.key_version = key_version;
    secret.ciphertext = std::string("\x00\x01\xff", 3) + seed + std::string("\x00\x80\x00", 3);
    return secret;
}

PoolRecord samplePool(const std::string& name, std::int64_t created_ms) {
    PoolRecord pool;
    pool.name = name;
    pool.strategy = "balanced";
    pool.ring_size = 3;
    pool.sticky_sessions = true;
    pool.created_at = at(created_ms);
    pool.updated_at = at(created_ms);
    return pool;
}

AccountRecord sampleAccount(const std::string& id, const std::string& pool,
                            std::int64_t created_ms) {
    AccountRecord account;
    account.id = id;
    account.pool = pool;
    account.label = "label-" + id;
    account.chatgpt_account_id = "chatgpt-" + id;
    account.chatgpt_user_id = "user-" + id;
    account.plan_type = "pro";
    account.status = AccountStatus::Active;
    account.status_reason = "";
    account.access_token = binarySecret(1, "access-" + id);
    account.refresh_token = binarySecret(1, "refresh-" + id);
    account.id_token = binarySecret(2, "id-" + id);
    account.access_expires_at = at(created_ms + 3'600'000);
    account.last_refresh_at = at(created_ms);
    account.weight = 2;
    account.priority = -1;
    account.labels = {{"region", "eu"}, {"tier", "a=b"}};
    account.created_at = at(created_ms);
    account.updated_at = at(created_ms);
    return account;
}

ApiKeyRecord sampleKey(const std::string& prefix, const std::string& pool,
                       std::int64_t created_ms) {
    ApiKeyRecord key;
    key.prefix = prefix;
    key.hash = "hash-of-" + prefix;
    key.pool = pool;
    key.name = "key " + prefix;
    key.status = CredentialStatus::Active;
    key.policy_json = R"({"max_concurrency":4})";
    key.created_at = at(created_ms);
    key.updated_at = at(created_ms);
    key.last_used_at = at(created_ms);
    return key;
}

OperatorTokenRecord sampleToken(const std::string& prefix, OperatorTokenKind kind,
                                std::int64_t created_ms) {
    OperatorTokenRecord token;
    token.prefix = prefix;
    token.hash = "hash-of-" + prefix;
    token.kind = kind;
    token.name = "token " + prefix;
    token.status = CredentialStatus::Active;
    token.created_at = at(created_ms);
    token.last_used_at = at(created_ms);
    return token;
}

RequestLogRecord sampleLog(const std::string& id, std::int64_t started_ms) {
    RequestLogRecord log;
    log.id = id;
    log.started_at = at(started_ms);
    log.pool = "team";
    log.key_prefix = "sk-sluice-aaaa";
    log.model = "gpt-5-codex";
    log.route = "codex.responses";
    log.method = "POST";
    log.route_path = "/backend-api/codex/responses";
    log.route_class = "responses";
    log.account_id = "acct_1";
    log.account_label = "label-acct_1";
    log.status = 200;
    log.attempts = 1;
    log.input_tokens = 1200;
    log.cached_input_tokens = 1000;
    log.output_tokens = 300;
    log.reasoning_tokens = 64;
    log.latency_us = 1'500'000;
    log.first_byte_us = 250'000;
    log.routing_json = R"({"order":["acct_1"]})";
    return log;
}

AuditRecord sampleAudit(const std::string& id, std::int64_t occurred_ms) {
    AuditRecord record;
    record.id = id;
    record.occurred_at = at(occurred_ms);
    record.actor = "cli";
    record.action = "pool.create";
    record.target = "team";
    record.outcome = "success";
    record.details_json = R"({"strategy":"balanced"})";
    return record;
}

QuotaSnapshotRecord sampleQuota(const std::string& account_id, const std::string& window,
                                double used_percent) {
    QuotaSnapshotRecord snapshot;
    snapshot.account_id = account_id;
    snapshot.window = window;
    snapshot.used_percent = used_percent;
    snapshot.window_minutes = 300;
    snapshot.resets_at = at(18'000'000);
    snapshot.observed_at = at(1'000);
    snapshot.source = "headers";
    return snapshot;
}

void expectSame(const EncryptedSecret& actual, const EncryptedSecret& expected) {
    EXPECT_EQ(actual.key_version, expected.key_version);
    EXPECT_EQ(actual.ciphertext, expected.ciphertext);
}

void expectSame(const PoolRecord& actual, const PoolRecord& expected) {
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.strategy, expected.strategy);
    EXPECT_EQ(actual.ring_size, expected.ring_size);
    EXPECT_EQ(actual.sticky_sessions, expected.sticky_sessions);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

void expectSame(const AccountRecord& actual, const AccountRecord& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.pool, expected.pool);
    EXPECT_EQ(actual.label, expected.label);
    EXPECT_EQ(actual.chatgpt_account_id, expected.chatgpt_account_id);
    EXPECT_EQ(actual.chatgpt_user_id, expected.chatgpt_user_id);
    EXPECT_EQ(actual.plan_type, expected.plan_type);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.status_reason, expected.status_reason);
    expectSame(actual.access_token, expected.access_token);
    expectSame(actual.refresh_token, expected.refresh_token);
    expectSame(actual.id_token, expected.id_token);
    EXPECT_EQ(actual.access_expires_at, expected.access_expires_at);
    EXPECT_EQ(actual.last_refresh_at, expected.last_refresh_at);
    EXPECT_EQ(actual.weight, expected.weight);
    EXPECT_EQ(actual.priority, expected.priority);
    EXPECT_EQ(actual.labels, expected.labels);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

void expectSame(const ApiKeyRecord& actual, const ApiKeyRecord& expected) {
    EXPECT_EQ(actual.prefix, expected.prefix);
    EXPECT_EQ(actual.hash, expected.hash);
    EXPECT_EQ(actual.pool, expected.pool);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.policy_json, expected.policy_json);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
    EXPECT_EQ(actual.last_used_at, expected.last_used_at);
}

void expectSame(const OperatorTokenRecord& actual, const OperatorTokenRecord& expected) {
    EXPECT_EQ(actual.prefix, expected.prefix);
    EXPECT_EQ(actual.hash, expected.hash);
    EXPECT_EQ(actual.kind, expected.kind);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.last_used_at, expected.last_used_at);
}

void expectSame(const RequestLogRecord& actual, const RequestLogRecord& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.started_at, expected.started_at);
    EXPECT_EQ(actual.pool, expected.pool);
    EXPECT_EQ(actual.key_prefix, expected.key_prefix);
    EXPECT_EQ(actual.model, expected.model);
    EXPECT_EQ(actual.route, expected.route);
    EXPECT_EQ(actual.method, expected.method);
    EXPECT_EQ(actual.route_path, expected.route_path);
    EXPECT_EQ(actual.route_class, expected.route_class);
    EXPECT_EQ(actual.account_id, expected.account_id);
    EXPECT_EQ(actual.account_label, expected.account_label);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.error_code, expected.error_code);
    EXPECT_EQ(actual.attempts, expected.attempts);
    EXPECT_EQ(actual.input_tokens, expected.input_tokens);
    EXPECT_EQ(actual.cached_input_tokens, expected.cached_input_tokens);
    EXPECT_EQ(actual.output_tokens, expected.output_tokens);
    EXPECT_EQ(actual.reasoning_tokens, expected.reasoning_tokens);
    EXPECT_EQ(actual.latency_us, expected.latency_us);
    EXPECT_EQ(actual.first_byte_us, expected.first_byte_us);
    EXPECT_EQ(actual.routing_json, expected.routing_json);
}

void expectSame(const AuditRecord& actual, const AuditRecord& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.occurred_at, expected.occurred_at);
    EXPECT_EQ(actual.actor, expected.actor);
    EXPECT_EQ(actual.action, expected.action);
    EXPECT_EQ(actual.target, expected.target);
    EXPECT_EQ(actual.outcome, expected.outcome);
    EXPECT_EQ(actual.details_json, expected.details_json);
}

void expectSame(const QuotaSnapshotRecord& actual, const QuotaSnapshotRecord& expected) {
    EXPECT_EQ(actual.account_id, expected.account_id);
    EXPECT_EQ(actual.window, expected.window);
    EXPECT_DOUBLE_EQ(actual.used_percent, expected.used_percent);
    EXPECT_EQ(actual.window_minutes, expected.window_minutes);
    EXPECT_EQ(actual.resets_at, expected.resets_at);
    EXPECT_EQ(actual.observed_at, expected.observed_at);
    EXPECT_EQ(actual.source, expected.source);
}

::testing::AssertionResult isOk(const Status& status) {
    if (status.ok()) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << statusCodeName(status.code()) << ": " << status.message();
}

::testing::AssertionResult hasCode(const Status& status, StatusCode code) {
    if (status.code() == code) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "expected " << statusCodeName(code) << ", got " << statusCodeName(status.code())
           << " (" << status.message() << ")";
}

}  // namespace sluice::sdk::testing::conformance

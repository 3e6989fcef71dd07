#pragma once

// Shared by the storage conformance suite's files: record builders, field-by-field checks and
// status matchers. Internal to sdk_testing.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sluice/sdk/status.hpp"
#include "sluice/sdk/storage_projects.hpp"
#include "sluice/sdk/storage_records.hpp"

namespace sluice::sdk::testing::conformance {

/// A fixed instant plus `offset_ms`; every test's times are built from it.
TimePoint at(std::int64_t offset_ms);

/// Ciphertext with NUL and high bytes, so text handling of blobs shows up as corruption.
EncryptedSecret binarySecret(std::uint32_t key_version, const std::string& seed);

PoolRecord samplePool(const std::string& name, std::int64_t created_ms = 0);
/// Label and chatgpt_account_id are derived from `id`, so distinct ids never collide.
AccountRecord sampleAccount(const std::string& id, const std::string& pool,
                            std::int64_t created_ms = 0);
ApiKeyRecord sampleKey(const std::string& prefix, const std::string& pool,
                       std::int64_t created_ms = 0);
OperatorTokenRecord sampleToken(const std::string& prefix, OperatorTokenKind kind,
                                std::int64_t created_ms = 0);
RequestLogRecord sampleLog(const std::string& id, std::int64_t started_ms);
AuditRecord sampleAudit(const std::string& id, std::int64_t occurred_ms);
QuotaSnapshotRecord sampleQuota(const std::string& account_id, const std::string& window,
                                double used_percent);

void expectSame(const EncryptedSecret& actual, const EncryptedSecret& expected);
void expectSame(const PoolRecord& actual, const PoolRecord& expected);
void expectSame(const AccountRecord& actual, const AccountRecord& expected);
void expectSame(const ApiKeyRecord& actual, const ApiKeyRecord& expected);
void expectSame(const OperatorTokenRecord& actual, const OperatorTokenRecord& expected);
void expectSame(const RequestLogRecord& actual, const RequestLogRecord& expected);
void expectSame(const AuditRecord& actual, const AuditRecord& expected);
void expectSame(const QuotaSnapshotRecord& actual, const QuotaSnapshotRecord& expected);
void expectSame(const FileRecord& actual, const FileRecord& expected);
void expectSame(const ProjectRecord& actual, const ProjectRecord& expected);

::testing::AssertionResult isOk(const Status& status);
::testing::AssertionResult hasCode(const Status& status, StatusCode code);

template <class T>
::testing::AssertionResult isOk(const Result<T>& result) {
    return isOk(result.status());
}

template <class T>
::testing::AssertionResult hasCode(const Result<T>& result, StatusCode code) {
    if (result.ok()) {
        return ::testing::AssertionFailure()
               << "expected " << statusCodeName(code) << ", got a value";
    }
    return hasCode(result.status(), code);
}

/// The identifying field of each record, in order: `id`, `name` or `prefix`.
template <class Record, class Field>
std::vector<std::string> collect(const std::vector<Record>& records, Field Record::*field) {
    std::vector<std::string> out;
    out.reserve(records.size());
    for (const Record& record : records) {
        out.push_back(record.*field);
    }
    return out;
}

// Each suite file defines one anchor; linkStorageConformanceSuite() calls them all so the
// linker keeps every file's tests.
int poolAccountTestsAnchor();
int credentialTestsAnchor();
int requestLogTestsAnchor();
int auditTestsAnchor();
int stateTestsAnchor();
int filesUsageTestsAnchor();
int projectTestsAnchor();
int walletTestsAnchor();

}  // namespace sluice::sdk::testing::conformance

#include "plugins/storage-postgres/postgres_error.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::storage_postgres {
namespace {

using sdk::StatusCode;

TEST(PostgresErrorTest, SqlstatesMapOntoStatusCodes) {
    EXPECT_EQ(statusCodeFor("23505"), StatusCode::AlreadyExists);
    EXPECT_EQ(statusCodeFor("23503"), StatusCode::FailedPrecondition);
    EXPECT_EQ(statusCodeFor("23502"), StatusCode::InvalidArgument);  // not_null_violation
    EXPECT_EQ(statusCodeFor("22P02"), StatusCode::InvalidArgument);  // invalid text representation
    EXPECT_EQ(statusCodeFor("57014"), StatusCode::Unavailable);      // statement timeout
    EXPECT_EQ(statusCodeFor("57P01"), StatusCode::Unavailable);      // admin shutdown
    EXPECT_EQ(statusCodeFor("40P01"), StatusCode::Unavailable);      // deadlock
    EXPECT_EQ(statusCodeFor("08006"), StatusCode::Unavailable);      // connection failure
    EXPECT_EQ(statusCodeFor("28P01"), StatusCode::PermissionDenied);
    EXPECT_EQ(statusCodeFor("42P01"), StatusCode::Internal);  // undefined table: our bug
}

TEST(PostgresErrorTest, NoSqlstateMeansTheServerWasUnreachable) {
    EXPECT_EQ(statusCodeFor(""), StatusCode::Unavailable);
}

TEST(PostgresErrorTest, GuardedTurnsExceptionsIntoStatuses) {
    const sdk::Status duplicate = guarded("pools.create", []() -> sdk::Status {
        throw PostgresError("23505", "duplicate key value violates unique constraint");
    });
    EXPECT_EQ(duplicate.code(), StatusCode::AlreadyExists);
    EXPECT_EQ(duplicate.message(), "pools.create: duplicate key value violates unique constraint");

    const sdk::Status other =
        guarded("pools.list", []() -> sdk::Status { throw std::runtime_error("bad row"); });
    EXPECT_EQ(other.code(), StatusCode::Internal);
}

}  // namespace
}  // namespace sluice::plugins::storage_postgres

#include "plugins/storage-postgres/postgres_connection.hpp"

#include <gtest/gtest.h>

#include <string>

#include "plugins/storage-postgres/postgres_error.hpp"

namespace sluice::plugins::storage_postgres {
namespace {

TEST(PostgresParamsTest, TextWithANulByteIsRefusedAsInvalidArgument) {
    PostgresParams params;
    try {
        params.text(std::string("before\0after", 12));
        FAIL() << "a NUL byte would have been cut off silently";
    } catch (const PostgresError& error) {
        EXPECT_EQ(statusCodeFor(error.sqlstate()), sdk::StatusCode::InvalidArgument);
    }
    EXPECT_EQ(params.size(), 0);
}

TEST(PostgresParamsTest, BytesKeepNulAndHighBytes) {
    PostgresParams params;
    params.bytes(std::string("\0\xff\x01", 3)).integer(-7).counter(UINT64_MAX).real(0.125);
    EXPECT_EQ(params.size(), 4);
}

}  // namespace
}  // namespace sluice::plugins::storage_postgres

#include "postgres_usage_repository.hpp"

#include <algorithm>
#include <tuple>

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

auto bucketKey(const sdk::UsageBucket& bucket) {
    return std::tie(bucket.day, bucket.pool, bucket.key_prefix, bucket.account_id, bucket.model);
}

}  // namespace

sdk::Status PostgresUsageRepository::add(const std::vector<sdk::UsageBucket>& deltas) noexcept {
    return guarded("usage.add", [&] {
        // Each delta is one atomic read-add-write on the server, so replicas adding to the same
        // bucket never lose a count. Rows are locked in key order so that two batches touching
        // the same buckets wait for each other instead of deadlocking.
        std::vector<const sdk::UsageBucket*> ordered;
        ordered.reserve(deltas.size());
        for (const sdk::UsageBucket& delta : deltas) {
            ordered.push_back(&delta);
        }
        std::sort(ordered.begin(), ordered.end(),
                  [](const auto* a, const auto* b) { return bucketKey(*a) < bucketKey(*b); });

        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        for (const sdk::UsageBucket* delta : ordered) {
            connection->exec(
                "INSERT INTO usage_buckets AS b (day, pool, key_prefix, account_id, model, "
                "requests, errors, input_tokens, cached_input_tokens, output_tokens, "
                "reasoning_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                "ON CONFLICT (day, pool, key_prefix, account_id, model) DO UPDATE SET "
                "requests = b.requests + excluded.requests, errors = b.errors + excluded.errors, "
                "input_tokens = b.input_tokens + excluded.input_tokens, "
                "cached_input_tokens = b.cached_input_tokens + excluded.cached_input_tokens, "
                "output_tokens = b.output_tokens + excluded.output_tokens, "
                "reasoning_tokens = b.reasoning_tokens + excluded.reasoning_tokens",
                PostgresParams()
                    .integer(delta->day)
                    .text(delta->pool)
                    .text(delta->key_prefix)
                    .text(delta->account_id)
                    .text(delta->model)
                    .counter(delta->requests)
                    .counter(delta->errors)
                    .counter(delta->input_tokens)
                    .counter(delta->cached_input_tokens)
                    .counter(delta->output_tokens)
                    .counter(delta->reasoning_tokens));
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::UsageBucket>> PostgresUsageRepository::query(
    const sdk::UsageQuery& query) noexcept {
    return guarded("usage.query", [&]() -> sdk::Result<std::vector<sdk::UsageBucket>> {
        // An unset filter is bound as NULL, which the `IS NULL OR` arm turns into "match all".
        const PostgresResult rows = pool_.acquire()->exec(
            "SELECT day, pool, key_prefix, account_id, model, requests, errors, input_tokens, "
            "cached_input_tokens, output_tokens, reasoning_tokens FROM usage_buckets "
            "WHERE day BETWEEN $1 AND $2 AND ($3::text IS NULL OR pool = $3) "
            "AND ($4::text IS NULL OR key_prefix = $4) "
            "AND ($5::text IS NULL OR account_id = $5) AND ($6::text IS NULL OR model = $6) "
            "ORDER BY day, pool, key_prefix, account_id, model",
            PostgresParams()
                .integer(query.from_day)
                .integer(query.to_day)
                .optionalText(query.pool)
                .optionalText(query.key_prefix)
                .optionalText(query.account_id)
                .optionalText(query.model));
        std::vector<sdk::UsageBucket> buckets;
        for (int row = 0; row < rows.rows(); ++row) {
            sdk::UsageBucket bucket;
            bucket.day = rows.integer(row, 0);
            bucket.pool = rows.text(row, 1);
            bucket.key_prefix = rows.text(row, 2);
            bucket.account_id = rows.text(row, 3);
            bucket.model = rows.text(row, 4);
            bucket.requests = rows.counter(row, 5);
            bucket.errors = rows.counter(row, 6);
            bucket.input_tokens = rows.counter(row, 7);
            bucket.cached_input_tokens = rows.counter(row, 8);
            bucket.output_tokens = rows.counter(row, 9);
            bucket.reasoning_tokens = rows.counter(row, 10);
            buckets.push_back(std::move(bucket));
        }
        return buckets;
    });
}

}  // namespace sluice::plugins::storage_postgres

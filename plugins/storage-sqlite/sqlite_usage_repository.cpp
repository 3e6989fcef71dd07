#include "sqlite_usage_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

sdk::Status SqliteUsageRepository::add(const std::vector<sdk::UsageBucket>& deltas) noexcept {
    return guarded("usage.add", [&] {
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        SqliteStatement upsert = connection_.prepare(
            "INSERT INTO usage_buckets (day, pool, key_prefix, account_id, model, requests, "
            "errors, "
            "input_tokens, cached_input_tokens, output_tokens, reasoning_tokens) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
            "ON CONFLICT (day, pool, key_prefix, account_id, model) DO UPDATE SET "
            "requests = requests + excluded.requests, errors = errors + excluded.errors, "
            "input_tokens = input_tokens + excluded.input_tokens, "
            "cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, "
            "output_tokens = output_tokens + excluded.output_tokens, "
            "reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens");
        for (const sdk::UsageBucket& delta : deltas) {
            upsert.reset();
            upsert.bindInt(1, delta.day)
                .bindText(2, delta.pool)
                .bindText(3, delta.key_prefix)
                .bindText(4, delta.account_id)
                .bindText(5, delta.model)
                .bindInt(6, static_cast<std::int64_t>(delta.requests))
                .bindInt(7, static_cast<std::int64_t>(delta.errors))
                .bindInt(8, static_cast<std::int64_t>(delta.input_tokens))
                .bindInt(9, static_cast<std::int64_t>(delta.cached_input_tokens))
                .bindInt(10, static_cast<std::int64_t>(delta.output_tokens))
                .bindInt(11, static_cast<std::int64_t>(delta.reasoning_tokens));
            upsert.run();
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::UsageBucket>> SqliteUsageRepository::query(
    const sdk::UsageQuery& query) noexcept {
    return guarded("usage.query", [&]() -> sdk::Result<std::vector<sdk::UsageBucket>> {
        auto lock = connection_.lock();
        // An unset filter stays unbound, i.e. NULL, which the `?n IS NULL OR` arm turns into
        // "match all".
        SqliteStatement select = connection_.prepare(
            "SELECT day, pool, key_prefix, account_id, model, requests, errors, input_tokens, "
            "cached_input_tokens, output_tokens, reasoning_tokens FROM usage_buckets "
            "WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR pool = ?3) AND (?4 IS NULL OR "
            "key_prefix = ?4) "
            "AND (?5 IS NULL OR account_id = ?5) AND (?6 IS NULL OR model = ?6) "
            "ORDER BY day, pool, key_prefix, account_id, model");
        select.bindInt(1, query.from_day).bindInt(2, query.to_day);
        const auto bindOptional = [&](int index, const std::optional<std::string>& value) {
            if (value) {
                select.bindText(index, *value);
            }
        };
        bindOptional(3, query.pool);
        bindOptional(4, query.key_prefix);
        bindOptional(5, query.account_id);
        bindOptional(6, query.model);
        std::vector<sdk::UsageBucket> buckets;
        while (select.step()) {
            sdk::UsageBucket bucket;
            bucket.day = select.columnInt(0);
            bucket.pool = select.columnText(1);
            bucket.key_prefix = select.columnText(2);
            bucket.account_id = select.columnText(3);
            bucket.model = select.columnText(4);
            bucket.requests = static_cast<std::uint64_t>(select.columnInt(5));
            bucket.errors = static_cast<std::uint64_t>(select.columnInt(6));
            bucket.input_tokens = static_cast<std::uint64_t>(select.columnInt(7));
            bucket.cached_input_tokens = static_cast<std::uint64_t>(select.columnInt(8));
            bucket.output_tokens = static_cast<std::uint64_t>(select.columnInt(9));
            bucket.reasoning_tokens = static_cast<std::uint64_t>(select.columnInt(10));
            buckets.push_back(std::move(bucket));
        }
        return buckets;
    });
}

}  // namespace sluice::plugins::storage_sqlite

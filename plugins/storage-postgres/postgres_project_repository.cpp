#include "postgres_project_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectProject =
    "SELECT id, owner_key, name, client_owner, template_name, workspace, thread_id, "
    "active_turn_id, snapshot_input, snapshot_cached, snapshot_output, snapshot_reasoning, "
    "snapshot_total, total_input, total_cached, total_output, total_reasoning, total_total, "
    "turns, created_at, updated_at FROM projects";

constexpr const char* kOrder = " ORDER BY created_at, id";

sdk::ProjectTokens readTokens(const PostgresResult& rows, int row, int first) {
    sdk::ProjectTokens tokens;
    tokens.input_tokens = rows.counter(row, first);
    tokens.cached_input_tokens = rows.counter(row, first + 1);
    tokens.output_tokens = rows.counter(row, first + 2);
    tokens.reasoning_tokens = rows.counter(row, first + 3);
    tokens.total_tokens = rows.counter(row, first + 4);
    return tokens;
}

std::vector<sdk::ProjectRecord> readProjects(const PostgresResult& rows) {
    std::vector<sdk::ProjectRecord> projects;
    for (int row = 0; row < rows.rows(); ++row) {
        sdk::ProjectRecord project;
        project.id = rows.text(row, 0);
        project.owner_key = rows.text(row, 1);
        project.name = rows.text(row, 2);
        project.client_owner = rows.text(row, 3);
        project.template_name = rows.text(row, 4);
        project.workspace = rows.text(row, 5);
        project.thread_id = rows.text(row, 6);
        project.active_turn_id = rows.text(row, 7);
        project.accounted_snapshot = readTokens(rows, row, 8);
        project.accounted_total = readTokens(rows, row, 13);
        project.turns = rows.counter(row, 18);
        project.created_at = fromMillis(rows.integer(row, 19));
        project.updated_at = fromMillis(rows.integer(row, 20));
        projects.push_back(std::move(project));
    }
    return projects;
}

void addTokens(PostgresParams& params, const sdk::ProjectTokens& tokens) {
    params.counter(tokens.input_tokens)
        .counter(tokens.cached_input_tokens)
        .counter(tokens.output_tokens)
        .counter(tokens.reasoning_tokens)
        .counter(tokens.total_tokens);
}

/// The fields update() replaces: $1 id, $2..$7 text, $8..$17 tokens, $18 turns, $19 updated_at.
PostgresParams mutableParams(const sdk::ProjectRecord& project) {
    PostgresParams params;
    params.text(project.id)
        .text(project.name)
        .text(project.client_owner)
        .text(project.template_name)
        .text(project.workspace)
        .text(project.thread_id)
        .text(project.active_turn_id);
    addTokens(params, project.accounted_snapshot);
    addTokens(params, project.accounted_total);
    params.counter(project.turns).integer(toMillis(project.updated_at));
    return params;
}

}  // namespace

sdk::Status PostgresProjectRepository::create(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.create", [&] {
        PostgresParams params = mutableParams(project);
        params.text(project.owner_key).integer(toMillis(project.created_at));
        pool_.acquire()->exec(
            "INSERT INTO projects (id, name, client_owner, template_name, workspace, thread_id, "
            "active_turn_id, snapshot_input, snapshot_cached, snapshot_output, "
            "snapshot_reasoning, snapshot_total, total_input, total_cached, total_output, "
            "total_reasoning, total_total, turns, updated_at, owner_key, created_at) VALUES ($1, "
            "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
            "$20, $21)",
            params);
        return sdk::Status::success();
    });
}

sdk::Status PostgresProjectRepository::update(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.update", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "UPDATE projects SET name = $2, client_owner = $3, template_name = $4, "
            "workspace = $5, thread_id = $6, active_turn_id = $7, snapshot_input = $8, "
            "snapshot_cached = $9, snapshot_output = $10, snapshot_reasoning = $11, "
            "snapshot_total = $12, total_input = $13, total_cached = $14, total_output = $15, "
            "total_reasoning = $16, total_total = $17, turns = $18, updated_at = $19 "
            "WHERE id = $1",
            mutableParams(project));
        return result.affected() == 0 ? notFound("project", project.id) : sdk::Status::success();
    });
}

sdk::Result<sdk::ProjectRecord> PostgresProjectRepository::get(std::string_view id) noexcept {
    return guarded("projects.get", [&]() -> sdk::Result<sdk::ProjectRecord> {
        auto projects = readProjects(pool_.acquire()->exec(
            std::string(kSelectProject) + " WHERE id = $1", PostgresParams().text(id)));
        if (projects.empty()) {
            return notFound("project", id);
        }
        return std::move(projects.front());
    });
}

sdk::Result<std::vector<sdk::ProjectRecord>> PostgresProjectRepository::list(
    std::string_view owner_key) noexcept {
    return guarded("projects.list", [&]() -> sdk::Result<std::vector<sdk::ProjectRecord>> {
        return readProjects(
            pool_.acquire()->exec(std::string(kSelectProject) + " WHERE owner_key = $1" + kOrder,
                                  PostgresParams().text(owner_key)));
    });
}

sdk::Result<std::vector<sdk::ProjectRecord>> PostgresProjectRepository::listAll() noexcept {
    return guarded("projects.list_all", [&]() -> sdk::Result<std::vector<sdk::ProjectRecord>> {
        return readProjects(pool_.acquire()->exec(std::string(kSelectProject) + kOrder));
    });
}

sdk::Status PostgresProjectRepository::remove(std::string_view id) noexcept {
    return guarded("projects.remove", [&] {
        const PostgresResult result =
            pool_.acquire()->exec("DELETE FROM projects WHERE id = $1", PostgresParams().text(id));
        return result.affected() == 0 ? notFound("project", id) : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_postgres

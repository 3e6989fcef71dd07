#include "sqlite_project_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectProject =
    "SELECT id, owner_key, name, client_owner, template_name, workspace, thread_id, "
    "active_turn_id, snapshot_input, snapshot_cached, snapshot_output, snapshot_reasoning, "
    "snapshot_total, "
    "total_input, total_cached, total_output, total_reasoning, total_total, turns, created_at, "
    "updated_at FROM projects";

constexpr const char* kOrder = " ORDER BY created_at, id";

sdk::ProjectTokens readTokens(const SqliteStatement& row, int first) {
    sdk::ProjectTokens tokens;
    tokens.input_tokens = static_cast<std::uint64_t>(row.columnInt(first));
    tokens.cached_input_tokens = static_cast<std::uint64_t>(row.columnInt(first + 1));
    tokens.output_tokens = static_cast<std::uint64_t>(row.columnInt(first + 2));
    tokens.reasoning_tokens = static_cast<std::uint64_t>(row.columnInt(first + 3));
    tokens.total_tokens = static_cast<std::uint64_t>(row.columnInt(first + 4));
    return tokens;
}

sdk::ProjectRecord readProject(const SqliteStatement& row) {
    sdk::ProjectRecord project;
    project.id = row.columnText(0);
    project.owner_key = row.columnText(1);
    project.name = row.columnText(2);
    project.client_owner = row.columnText(3);
    project.template_name = row.columnText(4);
    project.workspace = row.columnText(5);
    project.thread_id = row.columnText(6);
    project.active_turn_id = row.columnText(7);
    project.accounted_snapshot = readTokens(row, 8);
    project.accounted_total = readTokens(row, 13);
    project.turns = static_cast<std::uint64_t>(row.columnInt(18));
    project.created_at = fromMillis(row.columnInt(19));
    project.updated_at = fromMillis(row.columnInt(20));
    return project;
}

void bindTokens(SqliteStatement& statement, int first, const sdk::ProjectTokens& tokens) {
    statement.bindInt(first, static_cast<std::int64_t>(tokens.input_tokens))
        .bindInt(first + 1, static_cast<std::int64_t>(tokens.cached_input_tokens))
        .bindInt(first + 2, static_cast<std::int64_t>(tokens.output_tokens))
        .bindInt(first + 3, static_cast<std::int64_t>(tokens.reasoning_tokens))
        .bindInt(first + 4, static_cast<std::int64_t>(tokens.total_tokens));
}

/// Binds the fields update() replaces: ?1 id, ?2..?7 text, ?8..?17 tokens, ?18 turns,
/// ?19 updated_at.
void bindMutable(SqliteStatement& statement, const sdk::ProjectRecord& project) {
    statement.bindText(1, project.id)
        .bindText(2, project.name)
        .bindText(3, project.client_owner)
        .bindText(4, project.template_name)
        .bindText(5, project.workspace)
        .bindText(6, project.thread_id)
        .bindText(7, project.active_turn_id);
    bindTokens(statement, 8, project.accounted_snapshot);
    bindTokens(statement, 13, project.accounted_total);
    statement.bindInt(18, static_cast<std::int64_t>(project.turns))
        .bindInt(19, toMillis(project.updated_at));
}

std::vector<sdk::ProjectRecord> readAll(SqliteStatement& select) {
    std::vector<sdk::ProjectRecord> projects;
    while (select.step()) {
        projects.push_back(readProject(select));
    }
    return projects;
}

}  // namespace

sdk::Status SqliteProjectRepository::create(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.create", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO projects (id, name, client_owner, template_name, workspace, thread_id, "
            "active_turn_id, snapshot_input, snapshot_cached, snapshot_output, "
            "snapshot_reasoning, snapshot_total, total_input, total_cached, total_output, "
            "total_reasoning, total_total, turns, updated_at, owner_key, created_at) VALUES (?1, "
            "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
            "?20, ?21)");
        bindMutable(insert, project);
        insert.bindText(20, project.owner_key).bindInt(21, toMillis(project.created_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Status SqliteProjectRepository::update(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.update", [&] {
        auto lock = connection_.lock();
        SqliteStatement update = connection_.prepare(
            "UPDATE projects SET name = ?2, client_owner = ?3, template_name = ?4, workspace = ?5, "
            "thread_id = ?6, active_turn_id = ?7, snapshot_input = ?8, snapshot_cached = ?9, "
            "snapshot_output = ?10, snapshot_reasoning = ?11, snapshot_total = ?12, "
            "total_input = ?13, total_cached = ?14, total_output = ?15, total_reasoning = ?16, "
            "total_total = ?17, turns = ?18, updated_at = ?19 WHERE id = ?1");
        bindMutable(update, project);
        update.run();
        return connection_.changes() == 0 ? notFound("project", project.id)
                                          : sdk::Status::success();
    });
}

sdk::Result<sdk::ProjectRecord> SqliteProjectRepository::get(std::string_view id) noexcept {
    return guarded("projects.get", [&]() -> sdk::Result<sdk::ProjectRecord> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelectProject) + " WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("project", id);
        }
        return readProject(select);
    });
}

sdk::Result<std::vector<sdk::ProjectRecord>> SqliteProjectRepository::list(
    std::string_view owner_key) noexcept {
    return guarded("projects.list", [&]() -> sdk::Result<std::vector<sdk::ProjectRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelectProject) + " WHERE owner_key = ?1" + kOrder);
        select.bindText(1, owner_key);
        return readAll(select);
    });
}

sdk::Result<std::vector<sdk::ProjectRecord>> SqliteProjectRepository::listAll() noexcept {
    return guarded("projects.list_all", [&]() -> sdk::Result<std::vector<sdk::ProjectRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelectProject) + kOrder);
        return readAll(select);
    });
}

sdk::Status SqliteProjectRepository::remove(std::string_view id) noexcept {
    return guarded("projects.remove", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove = connection_.prepare("DELETE FROM projects WHERE id = ?1");
        remove.bindText(1, id);
        remove.run();
        return connection_.changes() == 0 ? notFound("project", id) : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_sqlite

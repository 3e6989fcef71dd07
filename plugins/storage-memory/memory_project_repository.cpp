#include "memory_project_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

namespace {

sdk::ProjectRecord stored(const sdk::ProjectRecord& project) {
    sdk::ProjectRecord copy = project;
    copy.created_at = toStoredTime(project.created_at);
    copy.updated_at = toStoredTime(project.updated_at);
    return copy;
}

}  // namespace

sdk::Status MemoryProjectRepository::create(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.create", [&] {
        std::lock_guard lock(state_.mutex);
        if (!state_.projects.emplace(project.id, stored(project)).second) {
            return alreadyExists("project", project.id);
        }
        return sdk::Status::success();
    });
}

sdk::Status MemoryProjectRepository::update(const sdk::ProjectRecord& project) noexcept {
    return guarded("projects.update", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.projects.find(project.id);
        if (found == state_.projects.end()) {
            return notFound("project", project.id);
        }
        sdk::ProjectRecord next = stored(project);
        next.owner_key = found->second.owner_key;
        next.created_at = found->second.created_at;
        found->second = std::move(next);
        return sdk::Status::success();
    });
}

sdk::Result<sdk::ProjectRecord> MemoryProjectRepository::get(std::string_view id) noexcept {
    return guarded("projects.get", [&]() -> sdk::Result<sdk::ProjectRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.projects.find(id);
        if (found == state_.projects.end()) {
            return notFound("project", id);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::ProjectRecord>> MemoryProjectRepository::list(
    std::string_view owner_key) noexcept {
    const std::string owner(owner_key);
    return select("projects.list", &owner);
}

sdk::Result<std::vector<sdk::ProjectRecord>> MemoryProjectRepository::listAll() noexcept {
    return select("projects.list_all", nullptr);
}

sdk::Result<std::vector<sdk::ProjectRecord>> MemoryProjectRepository::select(
    const char* operation, const std::string* owner_key) noexcept {
    return guarded(operation, [&]() -> sdk::Result<std::vector<sdk::ProjectRecord>> {
        std::vector<sdk::ProjectRecord> projects;
        {
            std::lock_guard lock(state_.mutex);
            for (const auto& [id, project] : state_.projects) {
                if (owner_key == nullptr || project.owner_key == *owner_key) {
                    projects.push_back(project);
                }
            }
        }
        std::sort(projects.begin(), projects.end(), [](const auto& a, const auto& b) {
            return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
        });
        return projects;
    });
}

sdk::Status MemoryProjectRepository::remove(std::string_view id) noexcept {
    return guarded("projects.remove", [&] {
        std::lock_guard lock(state_.mutex);
        return state_.projects.erase(std::string(id)) == 0 ? notFound("project", id)
                                                           : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_memory

#include "project_store.hpp"

#include <algorithm>
#include <stdexcept>

namespace sluice::plugins::route_appserver {

ProjectStore::ProjectStore(sdk::ProjectRepository& repository) : repository_(repository) {
    auto all = repository_.listAll();
    if (!all.ok()) {
        throw std::runtime_error("cannot load projects: " + all.status().message());
    }
    for (auto& project : all.value()) {
        projects_[project.id] = std::move(project);
    }
}

sdk::Status ProjectStore::create(const sdk::ProjectRecord& project) {
    std::lock_guard writing(write_mutex_);
    if (sdk::Status created = repository_.create(project); !created.ok()) {
        return created;
    }
    std::lock_guard lock(mutex_);
    projects_[project.id] = project;
    return sdk::Status::success();
}

std::optional<sdk::ProjectRecord> ProjectStore::get(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = projects_.find(id);
    return found == projects_.end() ? std::nullopt : std::optional(found->second);
}

std::vector<sdk::ProjectRecord> ProjectStore::all() const {
    std::vector<sdk::ProjectRecord> every;
    std::lock_guard lock(mutex_);
    for (const auto& [id, project] : projects_) {
        every.push_back(project);
    }
    return every;
}

std::vector<sdk::ProjectRecord> ProjectStore::list(const std::string& owner_key) const {
    std::vector<sdk::ProjectRecord> owned;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, project] : projects_) {
            if (project.owner_key == owner_key) {
                owned.push_back(project);
            }
        }
    }
    std::sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return owned;
}

std::optional<sdk::ProjectRecord> ProjectStore::byThread(const std::string& owner_key,
                                                         const std::string& thread_id) const {
    if (thread_id.empty()) {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    for (const auto& [id, project] : projects_) {
        if (project.owner_key == owner_key && project.thread_id == thread_id) {
            return project;
        }
    }
    return std::nullopt;
}

sdk::Result<sdk::ProjectRecord> ProjectStore::update(
    const std::string& id, const std::function<void(sdk::ProjectRecord&)>& change) {
    std::lock_guard writing(write_mutex_);
    auto project = get(id);
    if (!project) {
        return sdk::Status(sdk::StatusCode::NotFound, "project '" + id + "' not found");
    }
    change(*project);
    if (sdk::Status written = repository_.update(*project); !written.ok()) {
        return written;
    }
    std::lock_guard lock(mutex_);
    projects_[id] = *project;
    return *project;
}

}  // namespace sluice::plugins::route_appserver

#include "session_store.hpp"

#include <date/date.h>

#include <algorithm>
#include <sstream>

#include "json_fields.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/private_files.hpp"

namespace sluice::plugins::route_runner {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kPrefix = "session-";

sdk::Status writeMeta(const fs::path& dir, const json& meta) {
    return common::writePrivateFile(dir / "meta.json", meta.dump(2));
}

}  // namespace

std::string isoTime(std::chrono::system_clock::time_point instant) {
    return date::format("%FT%TZ", std::chrono::floor<std::chrono::milliseconds>(instant));
}

std::optional<std::chrono::system_clock::time_point> parseIsoTime(const std::string& text) {
    using namespace std::chrono;
    for (const char* format : {"%FT%T%Ez", "%FT%TZ", "%FT%T", "%FT%R%Ez", "%FT%RZ", "%FT%R"}) {
        std::istringstream in(text);
        date::sys_time<milliseconds> instant;
        in >> date::parse(format, instant);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
            return time_point_cast<system_clock::duration>(instant);
        }
    }
    return std::nullopt;
}

SessionStore::SessionStore(const fs::path& state_dir, const fs::path& secure_dir)
    : sessions_root_(state_dir / "sessions"),
      secure_root_(secure_dir.empty() ? state_dir / "secure" : secure_dir) {
    common::makePrivateDirectory(sessions_root_);
    common::makePrivateDirectory(secure_root_);
    load(sessions_root_);
    load(secure_root_);
}

void SessionStore::load(const fs::path& root) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0 || !entry.is_directory()) {
            continue;
        }
        auto text = common::readWholeFile(entry.path() / "meta.json");
        json meta = text.ok() ? common::parseJson(text.value()) : json();
        if (!meta.is_object() || textField(meta, "session_id") != name) {
            continue;
        }
        if (root == secure_root_) {
            meta["secure"] = true;  // where it lives decides, whatever a hand edit says
        }
        if (textField(meta, "status") == "running") {
            meta["status"] = "error";  // the gateway stopped during the run
        }
        const std::string thread = textField(meta, "codex_session_id");
        if (!thread.empty()) {
            by_thread_[thread] = name;
        }
        sessions_[name] = Entry{std::move(meta), entry.path(), false};
    }
}

sdk::Result<SessionView> SessionStore::create(bool secure, const std::string& owner_key,
                                              std::chrono::system_clock::time_point now,
                                              const std::string& random_hex) {
    const std::string id = kPrefix + random_hex;
    const fs::path dir = (secure ? secure_root_ : sessions_root_) / id;
    const std::string at = isoTime(now);
    json meta = {{"session_id", id},
                 {"codex_session_id", nullptr},
                 {"created_at", at},
                 {"updated_at", at},
                 {"status", "idle"},
                 {"secure", secure},
                 {"owner_key", owner_key},
                 {"metadata", json::object()},
                 {"usage_total", json::object()},
                 {"runs", json::array()}};
    if (auto made = common::makePrivateDirectory(dir); !made.ok()) {
        return made;
    }
    if (auto written = writeMeta(dir, meta); !written.ok()) {
        return written;
    }
    std::lock_guard lock(mutex_);
    sessions_[id] = Entry{meta, dir, false};
    return SessionView{std::move(meta), dir};
}

std::string SessionStore::canonicalId(const std::string& id) const {
    if (sessions_.count(id) != 0) {
        return id;
    }
    if (sessions_.count(kPrefix + id) != 0) {
        return kPrefix + id;
    }
    const auto thread = by_thread_.find(id);
    return thread != by_thread_.end() ? thread->second : std::string();
}

std::optional<SessionView> SessionStore::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const std::string key = canonicalId(id);
    const auto it = sessions_.find(key);
    if (it == sessions_.end()) {
        return std::nullopt;
    }
    return SessionView{it->second.meta, it->second.dir};
}

bool SessionStore::tryBegin(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(session_id);
    if (it == sessions_.end() || it->second.running) {
        return false;
    }
    it->second.running = true;
    return true;
}

void SessionStore::end(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    if (const auto it = sessions_.find(session_id); it != sessions_.end()) {
        it->second.running = false;
    }
}

sdk::Status SessionStore::update(const std::string& session_id,
                                 const std::function<void(json&)>& change) {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(session_id);
    if (it == sessions_.end()) {
        return {sdk::StatusCode::NotFound, "Session '" + session_id + "' not found"};
    }
    change(it->second.meta);
    const std::string thread = it->second.meta.value("codex_session_id", json()).is_string()
                                   ? it->second.meta["codex_session_id"].get<std::string>()
                                   : std::string();
    if (!thread.empty()) {
        by_thread_[thread] = session_id;
    }
    return writeMeta(it->second.dir, it->second.meta);
}

std::vector<SessionView> SessionStore::list(std::size_t limit, const std::string& since,
                                            bool include_secure) const {
    std::vector<SessionView> out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, entry] : sessions_) {
            if (flagField(entry.meta, "secure", false) && !include_secure) {
                continue;
            }
            if (!since.empty() && textField(entry.meta, "updated_at") < since) {
                continue;
            }
            out.push_back({entry.meta, entry.dir});
        }
    }
    std::sort(out.begin(), out.end(), [](const SessionView& a, const SessionView& b) {
        return textField(a.meta, "updated_at") > textField(b.meta, "updated_at");
    });
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

}  // namespace sluice::plugins::route_runner

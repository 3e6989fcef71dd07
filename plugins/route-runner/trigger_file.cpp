#include "trigger_file.hpp"

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/private_files.hpp"
#include "sluice/plugins/common/workspace_roots.hpp"
#include "trigger_schedule.hpp"

namespace sluice::plugins::route_runner {

namespace fs = std::filesystem;
using json = nlohmann::json;

sdk::Result<json> readTriggerFile(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return json::array();
    }
    auto text = common::readWholeFile(file);
    if (!text.ok()) {
        return text.status();
    }
    if (text.value().find_first_not_of(" \t\r\n") == std::string::npos) {
        return json::array();
    }
    const json document = common::parseJson(text.value());
    if (document.is_array()) {
        return document;
    }
    if (document.is_object() && document.value("triggers", json()).is_array()) {
        return document["triggers"];
    }
    return sdk::Status(sdk::StatusCode::InvalidArgument,
                       "Unable to read trigger configuration " + file.filename().string());
}

sdk::Status writeTriggerFile(const fs::path& file, const json& triggers,
                             const std::string& updated_at) {
    const json document = {{"version", 1}, {"updated_at", updated_at}, {"triggers", triggers}};
    return common::writePrivateFile(file, document.dump(2) + "\n");
}

sdk::Result<fs::path> triggerFileIn(const fs::path& dir, const std::string& default_file,
                                    const std::string& requested) {
    const std::string name = requested.empty() ? default_file : requested;
    const fs::path wanted = fs::path(name).is_absolute() ? fs::path(name) : dir / name;
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(dir, ec);
    const fs::path resolved = fs::weakly_canonical(wanted, ec);
    if (ec || !common::isWithin(resolved, root) || resolved == root ||
        resolved.extension() != ".json") {
        return sdk::Status(sdk::StatusCode::InvalidArgument,
                           "trigger_file must name a .json file inside the trigger directory");
    }
    return resolved;
}

sdk::Status normaliseTrigger(json& trigger, const std::string& new_id, const std::string& now) {
    if (!trigger.is_object()) {
        return {sdk::StatusCode::InvalidArgument, "a trigger must be an object"};
    }
    if (!trigger.value("id", json()).is_string() || trigger["id"].get<std::string>().empty()) {
        trigger["id"] = new_id;
    }
    const std::string id = trigger["id"];
    if (!trigger.value("prompt_text", json()).is_string() &&
        trigger.value("prompt", json()).is_string()) {
        trigger["prompt_text"] = trigger["prompt"];
    }
    if (!trigger.value("prompt_text", json()).is_string() ||
        trigger["prompt_text"].get<std::string>().empty()) {
        return {sdk::StatusCode::InvalidArgument, "Trigger " + id + " missing prompt_text"};
    }
    auto schedule = parseSchedule(trigger.value("schedule", json()));
    if (!schedule.ok()) {
        return {sdk::StatusCode::InvalidArgument,
                "Trigger " + id + ": " + schedule.status().message()};
    }
    if (!trigger.value("title", json()).is_string()) {
        trigger["title"] = id;
    }
    if (!trigger.value("enabled", json()).is_boolean()) {
        trigger["enabled"] = true;
    }
    if (!trigger.value("tags", json()).is_array()) {
        trigger["tags"] = json::array();
    }
    if (!trigger.value("created_at", json()).is_string()) {
        trigger["created_at"] = now;
    }
    return sdk::Status::success();
}

}  // namespace sluice::plugins::route_runner

#include "tests/emulator/turn_request.hpp"

namespace sluice::emulator {
namespace {

/// Collects `file_id` strings at any depth of `node` (input_file, input_image, ...).
void collectFileIds(const nlohmann::json& node, std::vector<std::string>& out, int depth = 0) {
    if (depth > 64)
        return;
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (key == "file_id" && value.is_string())
                out.push_back(value.get<std::string>());
            else
                collectFileIds(value, out, depth + 1);
        }
    } else if (node.is_array()) {
        for (const auto& value : node)
            collectFileIds(value, out, depth + 1);
    }
}

void readClientMetadata(const nlohmann::json& body, TurnRequest& turn) {
    if (const auto kind = body.find("request_kind"); kind != body.end() && kind->is_string()) {
        turn.request_kind = kind->get<std::string>();
    }
    const auto metadata = body.find("client_metadata");
    if (metadata == body.end() || !metadata->is_object())
        return;
    if (const auto state = metadata->find("x-codex-turn-state");
        state != metadata->end() && state->is_string()) {
        turn.turn_state = state->get<std::string>();
    }
    const auto turn_metadata = metadata->find("x-codex-turn-metadata");
    if (turn.request_kind || turn_metadata == metadata->end() || !turn_metadata->is_string())
        return;
    const auto parsed = nlohmann::json::parse(turn_metadata->get<std::string>(), nullptr, false);
    if (parsed.is_object() && parsed.contains("request_kind") &&
        parsed["request_kind"].is_string()) {
        turn.request_kind = parsed["request_kind"].get<std::string>();
    }
}

}  // namespace

std::optional<TurnRequest> parseTurnRequest(const nlohmann::json& body, std::string& error) {
    if (!body.is_object()) {
        error = "the request body must be a JSON object";
        return std::nullopt;
    }
    TurnRequest turn;
    const auto model = body.find("model");
    if (model == body.end() || !model->is_string() ||
        model->get_ref<const std::string&>().empty()) {
        error = "'model' is required";
        return std::nullopt;
    }
    turn.model = model->get<std::string>();
    if (const auto stream = body.find("stream"); stream != body.end() && stream->is_boolean()) {
        turn.stream = stream->get<bool>();
    }
    if (const auto generate = body.find("generate");
        generate != body.end() && generate->is_boolean()) {
        turn.generate = generate->get<bool>();
    }
    if (const auto previous = body.find("previous_response_id");
        previous != body.end() && previous->is_string()) {
        turn.previous_response_id = previous->get<std::string>();
    }
    if (const auto reasoning = body.find("reasoning");
        reasoning != body.end() && reasoning->is_object()) {
        if (const auto effort = reasoning->find("effort");
            effort != reasoning->end() && effort->is_string()) {
            turn.reasoning_effort = effort->get<std::string>();
        }
    }
    if (const auto tools = body.find("tools"); tools != body.end() && tools->is_array()) {
        for (const auto& tool : *tools) {
            turn.image_generation =
                turn.image_generation ||
                (tool.is_object() && tool.value("type", "") == "image_generation");
        }
    }
    readClientMetadata(body, turn);
    const auto input = body.find("input");
    if (input != body.end())
        collectFileIds(*input, turn.file_ids);
    if (input == body.end() || input->is_null())
        return turn;
    if (input->is_string()) {
        turn.input_items = 1;
        turn.last_input_type = "message";
        return turn;
    }
    if (!input->is_array()) {
        error = "'input' must be a string or an array of items";
        return std::nullopt;
    }
    turn.input_items = input->size();
    for (const auto& item : *input) {
        const auto type = item.is_object() ? item.find("type") : item.end();
        std::string type_name = "message";  // items without a type are role/content messages
        if (item.is_object() && type != item.end() && type->is_string()) {
            type_name = type->get<std::string>();
        }
        turn.has_function_call_output =
            turn.has_function_call_output || type_name == "function_call_output";
        turn.has_encrypted_content =
            turn.has_encrypted_content || (item.is_object() && item.contains("encrypted_content"));
        turn.last_input_type = std::move(type_name);
    }
    return turn;
}

}  // namespace sluice::emulator

#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sluice::integration {

/// A Chat Completions request body for the emulator's default model.
inline nlohmann::json chatBody(bool stream, const std::string& text = "hi") {
    return {{"model", "gpt-5.5"},
            {"stream", stream},
            {"messages", {{{"role", "user"}, {"content", text}}}}};
}

}  // namespace sluice::integration

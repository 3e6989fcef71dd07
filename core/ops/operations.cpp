#include "core/ops/operations.hpp"

#include <stdexcept>

namespace sluice::core::ops {

void Operations::add(OperationSpec spec) {
    std::string name = spec.name;
    if (!specs_.emplace(std::move(name), std::move(spec)).second) {
        throw std::logic_error("operation registered twice");
    }
}

sdk::Result<std::string> Operations::run(std::string_view name, std::string_view params_json,
                                         const sdk::Principal& caller) const noexcept {
    try {
        const auto it = specs_.find(name);
        if (it == specs_.end()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "no operation named '" + std::string(name) + "'");
        }
        const OperationSpec& spec = it->second;
        if (spec.callers.count(caller.kind) == 0 ||
            (spec.mutating && caller.kind == sdk::CredentialKind::McpToken)) {
            return sdk::Status(sdk::StatusCode::PermissionDenied,
                               "this credential may not run '" + spec.name + "'");
        }
        const nlohmann::json params =
            params_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(params_json, nullptr, false);
        if (!params.is_object()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "parameters must be a JSON object");
        }
        auto result = spec.handler(OperationCall{caller, params});
        if (!result.ok()) {
            return result.status();
        }
        return result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const std::exception& e) {
        return sdk::Status(sdk::StatusCode::Internal, std::string("operation failed: ") + e.what());
    }
}

sdk::Status invalidParam(std::string_view name, std::string_view problem) {
    return {sdk::StatusCode::InvalidArgument, std::string(name) + ": " + std::string(problem)};
}

std::optional<std::string> stringParam(const nlohmann::json& params, const char* name) {
    const auto it = params.find(name);
    if (it == params.end() || !it->is_string() || it->get<std::string>().empty()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

}  // namespace sluice::core::ops

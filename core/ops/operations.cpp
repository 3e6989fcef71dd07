#include "core/ops/operations.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/ops/json_schema.hpp"
#include "core/ops/schema.hpp"
#include "core/security/bounded_json.hpp"

namespace sluice::core::ops {

using json = nlohmann::json;

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
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "no operation named '" + std::string(name) + "'");
        }
        const OperationSpec& spec = it->second;
        if (!mayRun(spec, caller.kind)) {
            return sdk::Status(sdk::StatusCode::PermissionDenied,
                               "this credential may not run '" + spec.name + "'");
        }
        const nlohmann::json params =
            params_json.empty() ? nlohmann::json::object() : security::parseJson(params_json);
        if (!params.is_object()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "parameters must be a JSON object");
        }
        if (auto problem = schemaViolation(inputSchemaFor(spec, caller.kind), params)) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, *problem);
        }
        auto result = spec.handler(OperationCall{caller, params});
        if (!result.ok()) {
            return result.status();
        }
        return result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const nlohmann::json::exception& e) {
        return sdk::Status(sdk::StatusCode::InvalidArgument,
                           std::string("bad parameters: ") + e.what());
    } catch (const std::exception& e) {
        return sdk::Status(sdk::StatusCode::Internal, std::string("operation failed: ") + e.what());
    }
}

json inputSchemaFor(const OperationSpec& spec, sdk::CredentialKind kind) {
    constexpr const char* kPool = "pool";
    const bool keys_run_it = spec.callers.count(sdk::CredentialKind::PoolKey) != 0;
    const bool names_pool =
        spec.input_schema.contains("properties") && spec.input_schema["properties"].contains(kPool);
    const auto required = spec.input_schema.find("required");
    const bool already = required != spec.input_schema.end() &&
                         std::find(required->begin(), required->end(), kPool) != required->end();
    if (kind == sdk::CredentialKind::PoolKey || !keys_run_it || !names_pool || already) {
        return spec.input_schema;
    }
    json schema = spec.input_schema;
    schema["required"].push_back(kPool);
    return schema;
}

bool mayRun(const OperationSpec& spec, sdk::CredentialKind kind) noexcept {
    return spec.callers.count(kind) != 0 &&
           !(spec.mutating && kind == sdk::CredentialKind::McpToken);
}

void addCatalogueOperation(Operations& operations) {
    namespace s = schema;
    const json entry =
        s::shape({{"name", s::text("operation name")},
                  {"description", s::text("what it does", 4096)},
                  {"mutating", s::boolean("changes state (never offered to MCP tokens)")},
                  {"input_schema", s::anyObject("JSON Schema of the parameters")},
                  {"output_schema", s::anyObject("JSON Schema of the result")}},
                 {"name", "description", "mutating", "input_schema", "output_schema"});
    operations.add(
        {"operations.list",
         {sdk::CredentialKind::PoolKey, sdk::CredentialKind::AdminToken,
          sdk::CredentialKind::McpToken},
         false,
         "The operations this credential may run, with their parameter and result schemas",
         s::params({}),
         s::shape({{"operations", s::listOf(entry)}}, {"operations"}),
         [&operations](const OperationCall& call) -> sdk::Result<json> {
             json list = json::array();
             for (const auto& [name, spec] : operations.catalogue()) {
                 if (mayRun(spec, call.caller.kind)) {
                     list.push_back({{"name", name},
                                     {"description", spec.description},
                                     {"mutating", spec.mutating},
                                     {"input_schema", inputSchemaFor(spec, call.caller.kind)},
                                     {"output_schema", spec.output_schema}});
                 }
             }
             return json{{"operations", std::move(list)}};
         }});
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

#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::core::ops {

/// One call of an operation: the authenticated caller and its JSON parameters.
struct OperationCall {
    const sdk::Principal& caller;
    const nlohmann::json& params;
};

using OperationHandler = std::function<sdk::Result<nlohmann::json>(const OperationCall&)>;

/// What an operation is and who may run it. Parameters are checked against `input_schema`
/// before the handler runs; `output_schema` describes every successful result (MCP tools
/// declare both).
struct OperationSpec {
    std::string name;                       ///< "files.get", "pools.list", ...
    std::set<sdk::CredentialKind> callers;  ///< credential kinds allowed to run it
    bool mutating = false;                  ///< MCP tokens never run mutating operations
    std::string description;
    nlohmann::json input_schema;  ///< a closed object schema (see schema.hpp)
    nlohmann::json output_schema;
    OperationHandler handler;
};

/// The catalogue behind sdk::Gateway::operate: admin API, MCP tools and usage routes all run
/// the same operations, so every surface applies the same rules. Filled at startup; run()
/// is thread-safe. Handlers may block on storage (never on the routing path).
class Operations final {
public:
    void add(OperationSpec spec);
    /// Runs `name` for `caller`: InvalidArgument for unknown names or params that break the
    /// input schema, PermissionDenied when the caller's credential may not run it.
    sdk::Result<std::string> run(std::string_view name, std::string_view params_json,
                                 const sdk::Principal& caller) const noexcept;
    const std::map<std::string, OperationSpec, std::less<>>& catalogue() const noexcept {
        return specs_;
    }

private:
    std::map<std::string, OperationSpec, std::less<>> specs_;
};

/// Registers `operations.list`: the operations the caller may run, with their schemas.
void addCatalogueOperation(Operations& operations);

/// The parameters `kind` must send to `spec`, as run() checks them and operations.list shows
/// them. An operation Pool API keys run too acts on the key's own pool; an operator running it
/// must name the pool, so its `pool` parameter is required of operators.
nlohmann::json inputSchemaFor(const OperationSpec& spec, sdk::CredentialKind kind);
/// Whether `kind` may run `spec`.
bool mayRun(const OperationSpec& spec, sdk::CredentialKind kind) noexcept;

/// A typed "bad params" error naming the parameter.
sdk::Status invalidParam(std::string_view name, std::string_view problem);
/// The string parameter `name`, or nullopt (the handler then answers invalidParam).
std::optional<std::string> stringParam(const nlohmann::json& params, const char* name);

}  // namespace sluice::core::ops

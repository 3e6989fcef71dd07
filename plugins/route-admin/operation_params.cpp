#include "operation_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::route_admin {

using json = nlohmann::json;

namespace {

// Path parameters of the REST routes (see api_routes.hpp).
constexpr std::string_view kPathParams[] = {"pool", "account", "key", "id", "token", "sign_in"};

sdk::Status badParam(const std::string& name, const std::string& problem) {
    return {sdk::StatusCode::InvalidArgument, name + ": " + problem};
}

std::string declaredType(const json& input_schema, const std::string& name) {
    const auto properties = input_schema.find("properties");
    if (properties == input_schema.end() || !properties->contains(name)) {
        return "string";
    }
    const json& property = (*properties)[name];
    return property.contains("type") && property["type"].is_string()
               ? property["type"].get<std::string>()
               : "string";
}

sdk::Result<json> typedValue(const std::string& name, const std::string& text,
                             const std::string& type) {
    if (type == "integer") {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) {
            return badParam(name, "expected an integer, got '" + text + "'");
        }
        return json(value);
    }
    if (type == "number") {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) {
            return badParam(name, "expected a number, got '" + text + "'");
        }
        return json(value);
    }
    if (type == "boolean") {
        if (text == "true" || text == "false") {
            return json(text == "true");
        }
        return badParam(name, "expected true or false, got '" + text + "'");
    }
    if (type == "array") {  // "group_by=day,model"
        json items = json::array();
        for (std::size_t start = 0; start <= text.size();) {
            const std::size_t comma = std::min(text.find(',', start), text.size());
            if (comma > start) {
                items.push_back(text.substr(start, comma - start));
            }
            start = comma + 1;
        }
        return items;
    }
    return json(text);
}

sdk::Status addParam(json& params, const std::string& name, json value) {
    if (const auto existing = params.find(name); existing != params.end() && *existing != value) {
        return badParam(name, "given twice with different values");
    }
    params[name] = std::move(value);
    return sdk::Status::success();
}

}  // namespace

sdk::Result<json> operationParams(const sdk::Exchange& exchange, std::string_view body,
                                  const json& input_schema) {
    json params = json::object();
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        params = common::parseJson(body);
        if (!params.is_object()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "the request body must be a JSON object nested at most " +
                                   std::to_string(sdk::kMaxJsonDepth) + " levels");
        }
    }
    for (const std::string_view name : kPathParams) {
        if (const auto value = exchange.pathParam(name)) {
            auto status = addParam(params, std::string(name), std::string(*value));
            if (!status.ok()) {
                return status;
            }
        }
    }
    for (auto& [name, text] : common::parseQuery(exchange.query())) {
        auto value = typedValue(name, text, declaredType(input_schema, name));
        if (!value.ok()) {
            return value.status();
        }
        auto status = addParam(params, name, std::move(value.value()));
        if (!status.ok()) {
            return status;
        }
    }
    return params;
}

}  // namespace sluice::plugins::route_admin

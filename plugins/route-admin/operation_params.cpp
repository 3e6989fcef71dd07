#include "operation_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::route_admin {

using json = nlohmann::json;

namespace {

// Path parameters of the REST routes (see api_routes.hpp).

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

/// The names of a route path's parameters: "/a/{pool}/b/{id}" has pool and id.
std::vector<std::string_view> pathParamNames(std::string_view path) {
    std::vector<std::string_view> names;
    for (std::size_t open = path.find('{'); open != std::string_view::npos;
         open = path.find('{', open + 1)) {
        const std::size_t close = path.find('}', open);
        names.push_back(path.substr(open + 1, close - open - 1));
    }
    return names;
}

sdk::Status addParam(json& params, const std::string& name, json value) {
    if (const auto existing = params.find(name); existing != params.end() && *existing != value) {
        return badParam(name, "given twice with different values");
    }
    params[name] = std::move(value);
    return sdk::Status::success();
}

}  // namespace

sdk::Result<json> operationParams(const sdk::Exchange& exchange, std::string_view route_path,
                                  std::string_view body, const json& input_schema) {
    json params = json::object();
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        params = common::parseJson(body);
        if (!params.is_object()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "the request body must be a JSON object nested at most " +
                                   std::to_string(sdk::kMaxJsonDepth) + " levels");
        }
    }
    for (const std::string_view name : pathParamNames(route_path)) {
        const auto value = exchange.pathParam(name);
        if (!value) {
            return sdk::Status(sdk::StatusCode::Internal, "path parameter " + std::string(name) +
                                                              " is not matched by the route");
        }
        auto status = addParam(params, std::string(name), std::string(*value));
        if (!status.ok()) {
            return status;
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

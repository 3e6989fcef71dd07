#include "core/server/route_table.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace sluice::core::server {

namespace {

bool isParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Collisions ignore parameter names: /files/{id} and /files/{file_id} are the same route.
std::string shapeOf(const std::vector<std::string>& segments) {
    std::string shape;
    for (const auto& segment : segments) {
        shape += "/" + (isParameter(segment) ? std::string("{}") : segment);
    }
    return shape.empty() ? "/" : shape;
}

bool coversPath(const std::string& mount, std::string_view path) {
    if (mount == "/") {
        return true;
    }
    return path.size() >= mount.size() && path.compare(0, mount.size(), mount) == 0 &&
           (path.size() == mount.size() || path[mount.size()] == '/');
}

std::optional<PathParams> matchSegments(const CompiledRoute& route,
                                        const std::vector<std::string>& request) {
    if (route.segments.size() != request.size()) {
        return std::nullopt;
    }
    PathParams params;
    for (std::size_t i = 0; i < request.size(); ++i) {
        const std::string& expected = route.segments[i];
        if (isParameter(expected)) {
            if (request[i].empty()) {
                return std::nullopt;
            }
            params.emplace_back(expected.substr(1, expected.size() - 2), request[i]);
        } else if (expected != request[i]) {
            return std::nullopt;
        }
    }
    return params;
}

// How many leading segments of `request` the route's pattern matches.
std::size_t leadingMatch(const std::vector<std::string>& pattern,
                         const std::vector<std::string>& request) {
    std::size_t depth = 0;
    while (depth < pattern.size() && depth < request.size() &&
           (isParameter(pattern[depth]) || pattern[depth] == request[depth])) {
        ++depth;
    }
    return depth;
}

}  // namespace

std::vector<std::string> splitPath(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start < path.size()) {
        if (path[start] == '/') {
            ++start;
            continue;
        }
        const std::size_t end = path.find('/', start);
        segments.emplace_back(
            path.substr(start, end == std::string_view::npos ? path.size() - start : end - start));
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return segments;
}

RouteTable::RouteTable(std::vector<MountedFamily> families) : families_(std::move(families)) {
    std::set<std::pair<std::string, std::string>> mounted;
    for (const auto& family : families_) {
        if (!mounted.emplace(family.mount, family.family).second) {
            throw std::invalid_argument("family " + family.family + " is mounted twice at " +
                                        family.mount);
        }
    }
    std::map<std::string, const CompiledRoute*> taken;  // "METHOD shape" -> route
    for (const auto& family : families_) {
        for (sdk::RouteSpec& spec : family.instance->routes()) {
            CompiledRoute route;
            route.owner = &family;
            const std::string base = spec.absolute || family.mount == "/" ? "" : family.mount;
            route.pattern = base + spec.path;
            if (route.pattern.empty()) {
                route.pattern = "/";
            }
            route.segments = splitPath(route.pattern);
            route.spec = std::move(spec);
            routes_.push_back(std::move(route));
        }
    }
    for (const auto& route : routes_) {
        const std::string key = route.spec.method + " " + shapeOf(route.segments);
        const auto [it, fresh] = taken.emplace(key, &route);
        if (!fresh) {
            throw std::invalid_argument("route " + key + " is served by both " +
                                        it->second->owner->family + " and " + route.owner->family);
        }
    }
}

const MountedFamily* RouteTable::familyCovering(std::string_view path) const {
    const MountedFamily* best = nullptr;
    for (const auto& family : families_) {
        if (coversPath(family.mount, path) &&
            (best == nullptr || family.mount.size() > best->mount.size())) {
            best = &family;
        }
    }
    if (best == nullptr) {
        return nullptr;
    }
    // Families sharing the mount: the one serving the route nearest to the path answers, so
    // /v1/messages/x gets the Messages family's error dialect and /v1/files/x the OpenAI one.
    const std::vector<std::string> request = splitPath(path);
    const MountedFamily* nearest = best;
    std::size_t nearest_depth = 0;
    for (const auto& route : routes_) {
        if (route.owner->mount != best->mount) {
            continue;
        }
        const std::size_t depth = leadingMatch(route.segments, request);
        if (depth > nearest_depth) {
            nearest = route.owner;
            nearest_depth = depth;
        }
    }
    return nearest;
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
    const std::vector<std::string> request = splitPath(path);
    RouteMatch result;
    for (const auto& route : routes_) {
        auto params = matchSegments(route, request);
        if (!params) {
            continue;
        }
        if (route.spec.method == method) {
            result.kind = RouteMatch::Kind::Found;
            result.route = &route;
            result.family = route.owner;
            result.params = std::move(*params);
            return result;
        }
        if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(),
                      route.spec.method) == result.allowed_methods.end()) {
            result.allowed_methods.push_back(route.spec.method);
            result.family = route.owner;
        }
    }
    if (!result.allowed_methods.empty()) {
        result.kind = RouteMatch::Kind::MethodNotAllowed;
        return result;
    }
    result.family = familyCovering(path);
    return result;
}

}  // namespace sluice::core::server

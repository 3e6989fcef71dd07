#include "backend_routes.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace sluice::plugins::route_backend {
namespace {

BackendConfig config() {
    BackendConfig parsed;
    parsed.max_audio_bytes = 1024;
    return parsed;
}

TEST(BackendRoutes, EveryWhamRouteHasAllThreeSpellings) {
    std::map<std::string, std::set<std::string>> spellings;  // "METHOD suffix" -> prefixes
    for (const sdk::RouteSpec& route : backendRoutes(config())) {
        const bool api_codex = route.path.starts_with("/api/codex/");
        if (!route.path.starts_with("/wham/") && !api_codex) {
            continue;
        }
        const std::string suffix = route.path.substr(api_codex ? 10 : 5);
        const std::string spelling = !route.absolute ? "mount" : api_codex ? "api_codex" : "bare";
        spellings[route.method + " " + suffix].insert(spelling);
    }
    ASSERT_GT(spellings.size(), 40U);
    for (const auto& [route, prefixes] : spellings) {
        EXPECT_EQ(prefixes, (std::set<std::string>{"mount", "bare", "api_codex"})) << route;
    }
}

TEST(BackendRoutes, LiteralRoutesPrecedeParametersOfTheSameShape) {
    const auto routes = backendRoutes(config());
    auto position = [&](const std::string& method, const std::string& path, bool absolute) {
        for (std::size_t i = 0; i < routes.size(); ++i) {
            if (routes[i].method == method && routes[i].path == path &&
                routes[i].absolute == absolute) {
                return i;
            }
        }
        return routes.size();
    };
    EXPECT_LT(position("GET", "/wham/tasks/list", false),
              position("GET", "/wham/tasks/{task_id}", false));
    EXPECT_LT(position("GET", "/api/codex/tasks/rate_limit", true),
              position("GET", "/api/codex/tasks/{task_id}", true));
    EXPECT_LT(position("GET", "/wham/environments/recent", true),
              position("GET", "/wham/environments/{environment_id}", true));
}

TEST(BackendRoutes, OperationsNameTheirHandlers) {
    for (const sdk::RouteSpec& route : backendRoutes(config())) {
        if (route.operation == "backend.transcribe") {
            EXPECT_EQ(route.max_body_bytes, 1024U);
            EXPECT_EQ(handlerOf(route.operation), Handler::Transcribe);
        }
    }
    EXPECT_EQ(handlerOf("wham.task_stream"), Handler::TaskStream);
    EXPECT_EQ(handlerOf("backend.usage"), Handler::Usage);
    EXPECT_EQ(handlerOf("wham.proxy_stream"), Handler::PoolStream);
    EXPECT_EQ(handlerOf("wham.settings"), Handler::Settings);
}

TEST(UpstreamRoute, MapsEverySpellingToItsUpstreamPath) {
    EXPECT_EQ(upstreamRoute("/backend-api/wham/tasks/list"), "wham/tasks/list");
    EXPECT_EQ(upstreamRoute("/wham/usage"), "wham/usage");
    EXPECT_EQ(upstreamRoute("/api/codex/environments/env-1"), "wham/environments/env-1");
    EXPECT_EQ(upstreamRoute("/backend-api/codex/environments"), "codex/environments");
    EXPECT_EQ(upstreamRoute("/backend-api/codex/environments/wham/repos"),
              "codex/environments/wham/repos");
    EXPECT_EQ(upstreamRoute("/backend-api/files"), "");
}

}  // namespace
}  // namespace sluice::plugins::route_backend

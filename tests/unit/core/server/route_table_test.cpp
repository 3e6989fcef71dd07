#include "core/server/route_table.hpp"

#include <gtest/gtest.h>

namespace sluice::core::server {
namespace {

class StaticFamily final : public sdk::RouteFamily {
public:
    explicit StaticFamily(std::vector<sdk::RouteSpec> routes) : routes_(std::move(routes)) {}
    std::vector<sdk::RouteSpec> routes() const override { return routes_; }
    void handle(sdk::Exchange&) noexcept override {}
    void sendError(sdk::Exchange&, const sdk::ErrorInfo&) noexcept override {}

private:
    std::vector<sdk::RouteSpec> routes_;
};

MountedFamily family(const std::string& name, const std::string& mount,
                     std::vector<sdk::RouteSpec> routes) {
    return {name, mount, std::make_shared<StaticFamily>(std::move(routes))};
}

sdk::RouteSpec route(std::string method, std::string path, std::string operation,
                     bool absolute = false) {
    sdk::RouteSpec spec{std::move(method), std::move(path), std::move(operation)};
    spec.absolute = absolute;
    return spec;
}

TEST(RouteTableTest, MatchesUnderMountsWithParameters) {
    std::vector<MountedFamily> families;
    families.push_back(family(
        "backend", "/backend-api",
        {route("POST", "/files/{file_id}/uploaded", "files.uploaded"),
         route("GET", "/wham/usage", "usage"), route("GET", "/wham/usage", "usage.bare", true)}));
    families.push_back(
        family("codex", "/backend-api/codex", {route("POST", "/responses", "responses")}));
    const RouteTable table(std::move(families));

    auto match = table.match("POST", "/backend-api/files/file_123/uploaded");
    ASSERT_EQ(match.kind, RouteMatch::Kind::Found);
    EXPECT_EQ(match.route->spec.operation, "files.uploaded");
    ASSERT_EQ(match.params.size(), 1U);
    EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"file_id", "file_123"}));

    EXPECT_EQ(table.match("POST", "/backend-api/codex/responses").route->spec.operation,
              "responses");
    EXPECT_EQ(table.match("GET", "/wham/usage").route->spec.operation, "usage.bare");
}

TEST(RouteTableTest, DistinguishesWrongMethodFromUnknownPath) {
    std::vector<MountedFamily> families;
    families.push_back(
        family("codex", "/backend-api/codex", {route("POST", "/responses", "responses")}));
    const RouteTable table(std::move(families));

    const auto wrong_method = table.match("PUT", "/backend-api/codex/responses");
    EXPECT_EQ(wrong_method.kind, RouteMatch::Kind::MethodNotAllowed);
    EXPECT_EQ(wrong_method.allowed_methods, std::vector<std::string>{"POST"});

    const auto unknown = table.match("GET", "/backend-api/codex/nope");
    EXPECT_EQ(unknown.kind, RouteMatch::Kind::NotFound);
    ASSERT_NE(unknown.family, nullptr);
    EXPECT_EQ(unknown.family->family, "codex");

    EXPECT_EQ(table.match("GET", "/elsewhere").family, nullptr);
    EXPECT_EQ(table.match("GET", "/backend-api/codexx").family, nullptr);
}

TEST(RouteTableTest, RefusesMountAndRouteCollisionsNamingBothFamilies) {
    std::vector<MountedFamily> twice;
    twice.push_back(family("a", "/v1", {}));
    twice.push_back(family("a", "/v1", {}));
    try {
        RouteTable table(std::move(twice));
        FAIL() << "expected a collision";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "family a is mounted twice at /v1");
    }

    std::vector<MountedFamily> shared_route;
    shared_route.push_back(family("a", "/v1", {route("POST", "/messages", "one")}));
    shared_route.push_back(family("b", "/v1", {route("POST", "/messages", "two")}));
    try {
        RouteTable table(std::move(shared_route));
        FAIL() << "expected a collision";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "route POST /v1/messages is served by both a and b");
    }

    std::vector<MountedFamily> same_route;
    same_route.push_back(family("a", "/x", {route("GET", "/files/{id}", "one")}));
    same_route.push_back(family("b", "/y", {route("GET", "/x/files/{file}", "two", true)}));
    try {
        RouteTable table(std::move(same_route));
        FAIL() << "expected a collision";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "route GET /x/files/{} is served by both a and b");
    }
}

TEST(RouteTableTest, FamiliesShareAMountAndTheNearestAnswersUnknownPaths) {
    std::vector<MountedFamily> families;
    families.push_back(
        family("openai", "/v1",
               {route("POST", "/responses", "responses"), route("GET", "/files/{id}", "files")}));
    families.push_back(family(
        "anthropic", "/v1",
        {route("POST", "/messages", "messages"), route("POST", "/messages/{sub}", "other")}));
    const RouteTable table(std::move(families));

    EXPECT_EQ(table.match("POST", "/v1/responses").route->spec.operation, "responses");
    EXPECT_EQ(table.match("POST", "/v1/messages").route->spec.operation, "messages");
    EXPECT_EQ(table.match("POST", "/v1/messages/batches").route->owner->family, "anthropic");

    const auto wrong_method = table.match("GET", "/v1/messages");
    EXPECT_EQ(wrong_method.kind, RouteMatch::Kind::MethodNotAllowed);
    EXPECT_EQ(wrong_method.family->family, "anthropic");

    const auto deep = table.match("GET", "/v1/messages/batches/b1/results");
    EXPECT_EQ(deep.kind, RouteMatch::Kind::NotFound);
    EXPECT_EQ(deep.family->family, "anthropic");
    EXPECT_EQ(table.match("GET", "/v1/files/f/x").family->family, "openai");
    // Nothing near: the first family declared at the mount.
    EXPECT_EQ(table.match("GET", "/v1/nope").family->family, "openai");
}

}  // namespace
}  // namespace sluice::core::server

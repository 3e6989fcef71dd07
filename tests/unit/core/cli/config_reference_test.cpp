#include "core/cli/config_reference.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace sluice::core::cli {
namespace {

namespace field = sdk::field;

plugin::FactoryInfo factory(plugin::FactoryKind kind, std::string name, sdk::ConfigSchema schema) {
    return {kind,      std::move(name), "Does things", std::move(schema), "/somewhere/lib.so",
            "a-plugin"};
}

std::string render(const sdk::ConfigSchema& pipeline, std::vector<plugin::FactoryInfo> factories) {
    std::ostringstream out;
    writeConfigReference(out, pipeline, std::move(factories));
    return out.str();
}

TEST(ConfigReferenceTest, NestedFieldsGetDottedKeysWithDefaultsRangesAndNotes) {
    const std::string page = render(
        {field::objectMap(
             "pools", "Pools",
             {field::integer("ring_size", "Accounts tried").defaultsTo("3").between(1, 64)}),
         field::objectList("routes", "Routes", {field::string("family", "A | family").mandatory()}),
         field::object("secrets", "Secrets",
                       {field::string("key", "The key").mandatory().sensitive()})},
        {});
    EXPECT_NE(page.find("| `pools.<name>.ring_size` | `integer` | `3` | 1 to 64 |  | Accounts "
                        "tried |\n"),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("| `routes[].family` | `string` |  |  | required | A \\| family |\n"),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("| `secrets.key` | `string` |  |  | required, secret | The key |\n"),
              std::string::npos)
        << page;
}

TEST(ConfigReferenceTest, FactoriesAreGroupedByKindAndSortedByNameWithoutLibraryPaths) {
    const std::string page =
        render({}, {factory(plugin::FactoryKind::RoutingStrategy, "zeta", {}),
                    factory(plugin::FactoryKind::RouteFamily, "codex", {}),
                    factory(plugin::FactoryKind::RoutingStrategy, "alpha",
                            {field::string("mode", "Mode").oneOf({"a", "b"})}),
                    factory(plugin::FactoryKind::StorageBackend, "sqlite", {})});
    const auto storage = page.find("### `sqlite`");
    const auto alpha = page.find("### `alpha`");
    const auto zeta = page.find("### `zeta`");
    const auto codex = page.find("### `codex`");
    ASSERT_NE(codex, std::string::npos) << page;
    EXPECT_LT(storage, alpha);
    EXPECT_LT(alpha, zeta);
    EXPECT_LT(zeta, codex);
    EXPECT_NE(page.find("| `mode` | `string` |  | `a`, `b` |  | Mode |\n"), std::string::npos);
    EXPECT_NE(page.find("No settings."), std::string::npos);
    EXPECT_EQ(page.find("/somewhere"), std::string::npos) << "the page must not vary by machine";
}

}  // namespace
}  // namespace sluice::core::cli

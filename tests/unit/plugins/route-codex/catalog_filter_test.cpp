#include "catalog_filter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sluice::plugins::route_codex {
namespace {

using json = nlohmann::json;

json entry(const std::string& slug) {
    return {{"slug", slug},
            {"display_name", slug},
            {"supported_reasoning_levels", json::array()},
            {"shell_type", "shell_command"},
            {"visibility", "list"},
            {"supported_in_api", true},
            {"priority", 1},
            {"support_verbosity", false},
            {"truncation_policy", {{"mode", "tokens"}, {"limit", 10000}}},
            {"experimental_supported_tools", json::array()}};
}

std::vector<std::string> slugs(const std::string& body) {
    std::vector<std::string> out;
    const json document = json::parse(body);
    for (const json& model : document["models"]) {
        out.push_back(model["slug"].get<std::string>());
    }
    return out;
}

TEST(CatalogFilterTest, ReadsTheVersionFromTheQueryElseTheUserAgent) {
    EXPECT_EQ(clientVersionOf("0.169.0", std::nullopt), (ClientVersion{0, 169, 0}));
    EXPECT_EQ(clientVersionOf(std::nullopt, "codex_exec/0.171.2 (Debian 12.0.0; x86_64) xterm"),
              (ClientVersion{0, 171, 2}));
    EXPECT_EQ(clientVersionOf("garbage", "codex_cli_rs/0.170.0"), (ClientVersion{0, 170, 0}));
    EXPECT_FALSE(clientVersionOf(std::nullopt, "curl"));
    EXPECT_FALSE(clientVersionOf(std::nullopt, std::nullopt));
}

TEST(CatalogFilterTest, DropsEntriesAboveTheClientsVersionInEitherForm) {
    json newer = entry("gpt-next");
    newer["minimal_client_version"] = json::array({0, 170, 0});
    json newest = entry("gpt-later");
    newest["minimal_client_version"] = "0.200.0";
    json older = entry("gpt-5.5");
    older["minimal_client_version"] = json::array({0, 160, 0});
    const std::string body = json{{"models", {older, newer, newest}}}.dump();

    EXPECT_EQ(slugs(catalogFor(body, ClientVersion{0, 169, 0})),
              (std::vector<std::string>{"gpt-5.5"}));
    EXPECT_EQ(slugs(catalogFor(body, ClientVersion{0, 170, 0})),
              (std::vector<std::string>{"gpt-5.5", "gpt-next"}));
    // A client that does not say its version is not judged by version.
    EXPECT_EQ(catalogFor(body, std::nullopt), body);
}

TEST(CatalogFilterTest, DropsEntriesMissingARequiredFieldOrOfTheWrongType) {
    json missing = entry("no-shell");
    missing.erase("shell_type");
    json wrong = entry("bad-priority");
    wrong["priority"] = "high";
    const std::string body = json{{"models", {entry("gpt-5.5"), missing, wrong}}}.dump();
    EXPECT_EQ(slugs(catalogFor(body, ClientVersion{0, 169, 0})),
              (std::vector<std::string>{"gpt-5.5"}));
}

TEST(CatalogFilterTest, LeavesADecodableCatalogAndANonCatalogByteForByte) {
    const std::string body = json{{"models", {entry("gpt-5.5")}}, {"etag_hint", 1}}.dump(2);
    EXPECT_EQ(catalogFor(body, ClientVersion{0, 169, 0}), body);
    EXPECT_EQ(catalogFor("not json", ClientVersion{0, 169, 0}), "not json");
}

}  // namespace
}  // namespace sluice::plugins::route_codex

// The facts docs/clients states about Sluice, checked against the gateway itself: every Sluice
// URL path a page names is served by the route table of a gateway that mounts the client
// surfaces as config/sluice.yaml does (a base URL: some served route lies below it), and every
// page names its client's own documentation under "## Sources".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

namespace fs = std::filesystem;

const fs::path kPages = fs::path(SLUICE_SOURCE_DIR) / "docs" / "clients";

/// A path a page says Sluice serves, with the method when the page gives one.
struct PagePath {
    std::string method;
    std::string path;
};

std::string readFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> clientPages() {
    std::vector<fs::path> pages;
    for (const auto& entry : fs::directory_iterator(kPages)) {
        if (entry.path().extension() == ".md" && entry.path().filename() != "README.md") {
            pages.push_back(entry.path());
        }
    }
    return pages;
}

// The paths of the gateway URLs (the pages' placeholder address) and every code span holding an
// absolute path, e.g. `/v1/messages` or `POST /v1/responses`; query strings dropped.
std::vector<PagePath> sluicePaths(const std::string& text) {
    static const std::regex url(R"(http://127\.0\.0\.1:4000(/[A-Za-z0-9_./{}-]*)?)");
    static const std::regex span(R"(`((GET|POST|PATCH|DELETE) )?(/[A-Za-z0-9_./{}-]+)[^`]*`)");
    std::vector<PagePath> paths;
    for (std::sregex_iterator it(text.begin(), text.end(), url), end; it != end; ++it) {
        if ((*it)[1].matched && (*it)[1].length() > 1) {
            paths.push_back({"", (*it)[1].str()});
        }
    }
    for (std::sregex_iterator it(text.begin(), text.end(), span), end; it != end; ++it) {
        paths.push_back({(*it)[2].str(), (*it)[3].str()});
    }
    return paths;
}

// Routes that exist only to answer `unsupported_endpoint` are not served.
bool servedRoute(const core::server::CompiledRoute& route) {
    return !route.spec.operation.ends_with(".unsupported");
}

bool served(const core::server::RouteTable& table, const PagePath& page) {
    std::string path = page.path;
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    for (const char* method : {"GET", "POST", "PATCH", "DELETE"}) {
        if (!page.method.empty() && page.method != method) {
            continue;
        }
        const auto match = table.match(method, path);
        if (match.kind == core::server::RouteMatch::Kind::Found && servedRoute(*match.route)) {
            return true;
        }
    }
    if (!page.method.empty()) {
        return false;
    }
    for (const auto& route : table.routes()) {  // a base URL the client appends paths to
        if (servedRoute(route) && route.pattern.starts_with(path + "/")) {
            return true;
        }
    }
    return false;
}

// The https URLs listed under the page's "## Sources" heading.
std::vector<std::string> sourceUrls(const std::string& text) {
    const auto heading = text.find("\n## Sources\n");
    if (heading == std::string::npos) {
        return {};
    }
    const std::string section = text.substr(heading, text.find("\n## ", heading + 1) - heading);
    static const std::regex link(R"(https://[^\s)>`]+)");
    std::vector<std::string> urls;
    for (std::sregex_iterator it(section.begin(), section.end(), link), end; it != end; ++it) {
        urls.push_back(it->str());
    }
    return urls;
}

// The client surfaces at the mounts config/sluice.yaml gives them.
class ClientPagesTest : public ::testing::Test {
protected:
    static HarnessOptions options() {
        HarnessOptions o;
        o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
        o.accounts = {{"acct-a", "tok-a"}};
        o.plugins = {"route-backend", "route-openai", "route-anthropic"};
        o.extra_routes = {"{ family: backend_api }", "{ family: openai_v1 }",
                          "{ family: anthropic_messages }"};
        return o;
    }

    GatewayHarness harness{options()};
    const core::server::RouteTable& table = harness.gateway().routes();
};

TEST_F(ClientPagesTest, EveryPathAPageStatesIsServedByTheGateway) {
    auto pages = clientPages();
    ASSERT_GE(pages.size(), 16u) << "the client pages are missing from " << kPages;
    pages.push_back(kPages / "README.md");
    for (const auto& page : pages) {
        const auto paths = sluicePaths(readFile(page));
        EXPECT_FALSE(paths.empty()) << page.filename() << " names no Sluice URL";
        for (const auto& path : paths) {
            EXPECT_TRUE(served(table, path))
                << page.filename() << " states " << (path.method.empty() ? "" : path.method + " ")
                << path.path << ", which the gateway does not serve";
        }
    }
}

TEST_F(ClientPagesTest, PathsTheGatewayDoesNotServeAreCaught) {
    const std::string page =
        "`POST /v1/chat/completions`, `/v1/responses/input_tokens`, `/backend-api/codex/v1`\n"
        "base_url = \"http://127.0.0.1:4000/v1\"\n"
        "`/v1/chat/complete`, `/v1/embeddings`, `GET /v1/messages`, http://127.0.0.1:4000/v2\n";
    std::vector<std::string> refused;
    for (const auto& path : sluicePaths(page)) {
        if (!served(table, path)) {
            refused.push_back(path.method + (path.method.empty() ? "" : " ") + path.path);
        }
    }
    EXPECT_EQ(refused, (std::vector<std::string>{"/v2", "/v1/chat/complete", "/v1/embeddings",
                                                 "GET /v1/messages"}));
}

TEST(ClientPagesSourcesTest, EveryPageNamesItsClientsOwnDocumentation) {
    for (const auto& page : clientPages()) {
        const auto urls = sourceUrls(readFile(page));
        EXPECT_FALSE(urls.empty()) << page.filename() << " has no https link under ## Sources";
    }
}

TEST(ClientPagesSourcesTest, TheIndexLinksEveryPage) {
    const std::string index = readFile(kPages / "README.md");
    for (const auto& page : clientPages()) {
        const std::string link = "(" + page.filename().string() + ")";
        EXPECT_NE(index.find(link), std::string::npos) << "README.md does not link " << link;
    }
}

}  // namespace
}  // namespace sluice::integration

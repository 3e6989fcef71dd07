// Every refusal of the plugin loader, asserted with its exact text against fixture plugins that
// each break one rule (tests/loader/fixtures/).

#include "core/plugin/plugin_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/abi.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/loader/loader_fixtures.hpp"

namespace sluice::tests::loader {
namespace {

using core::plugin::FactoryKind;
using core::plugin::PluginError;
using core::plugin::PluginLoader;
using core::plugin::PluginRegistry;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string abiText(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

class PluginLoaderTest : public ::testing::Test {
protected:
    std::string refusal(const std::string& fixture) {
        return refusalOf(loader_, fixturePath(fixture));
    }
    std::vector<std::string> strategies() const {
        return registry_.names(FactoryKind::RoutingStrategy);
    }

    PluginRegistry registry_;
    PluginLoader loader_{{fixtureDir()}, registry_};
};

TEST_F(PluginLoaderTest, LoadsValidPluginAndCreatesItsStrategy) {
    loader_.loadFile(fixturePath("fixture-valid"));

    EXPECT_THAT(strategies(), ElementsAre("fixture_first"));
    const auto described = registry_.describe();
    ASSERT_EQ(described.size(), 1u);
    EXPECT_EQ(described[0].library_path, fixturePath("fixture-valid").string());
    EXPECT_EQ(described[0].plugin_name, "fixture-valid");

    sdk::testing::FakeHost host;
    const auto strategy =
        registry_.createStrategy("fixture_first", *sdk::testing::FakeConfig::map({}), host);
    ASSERT_NE(strategy, nullptr);
    std::vector<sdk::Candidate> candidates(3);
    candidates[1].tried = true;
    sdk::PickContext context;
    context.candidates = candidates.data();
    context.candidate_count = candidates.size();
    context.limit = 3;
    std::vector<std::uint32_t> order;
    strategy->order(context, order);
    EXPECT_THAT(order, ElementsAre(0u, 2u));
}

TEST_F(PluginLoaderTest, RefusesLibraryWithoutEntryPoint) {
    EXPECT_EQ(refusal("fixture-no-entry"),
              "plugin " + fixturePath("fixture-no-entry").string() +
                  ": missing entry point sluice_plugin_manifest_v1 (not a Sluice plugin)");
}

TEST_F(PluginLoaderTest, RefusesAbiMajorMismatch) {
    EXPECT_EQ(refusal("fixture-abi-major"),
              "plugin " + fixturePath("fixture-abi-major").string() +
                  ": SDK ABI major version mismatch: plugin " +
                  abiText(SLUICE_SDK_ABI_MAJOR + 1, SLUICE_SDK_ABI_MINOR) + ", host " +
                  abiText(SLUICE_SDK_ABI_MAJOR, SLUICE_SDK_ABI_MINOR));
}

TEST_F(PluginLoaderTest, RefusesNewerAbiMinor) {
    EXPECT_EQ(refusal("fixture-abi-minor"),
              "plugin " + fixturePath("fixture-abi-minor").string() + ": built against SDK ABI " +
                  abiText(SLUICE_SDK_ABI_MAJOR, SLUICE_SDK_ABI_MINOR + 1) +
                  ", newer than the host's " + abiText(SLUICE_SDK_ABI_MAJOR, SLUICE_SDK_ABI_MINOR));
}

TEST_F(PluginLoaderTest, RefusesBuildFingerprintMismatch) {
    const std::string host = SLUICE_SDK_BUILD_FINGERPRINT;
    ASSERT_NE(host.find("cxx11abi=1"), std::string::npos) << host;
    std::string plugin = host;
    plugin.replace(plugin.find("cxx11abi=1"), 10, "cxx11abi=0");

    EXPECT_EQ(refusal("fixture-old-string-abi"),
              "plugin " + fixturePath("fixture-old-string-abi").string() +
                  ": build fingerprint mismatch: plugin \"" + plugin + "\", host \"" + host + "\"");
}

TEST_F(PluginLoaderTest, RefusesManifestSmallerThanV1) {
    EXPECT_EQ(refusal("fixture-small-manifest"),
              "plugin " + fixturePath("fixture-small-manifest").string() +
                  ": manifest too small: " +
                  std::to_string(offsetof(SluicePluginManifest, register_factories)) +
                  " bytes, need at least " + std::to_string(sizeof(SluicePluginManifest)));
}

TEST_F(PluginLoaderTest, ReportsThrowingRegistrationAndAcceptsNothing) {
    EXPECT_EQ(refusal("fixture-throwing"), "plugin " + fixturePath("fixture-throwing").string() +
                                               ": registration failed: fixture refuses to start");
    EXPECT_THAT(strategies(), IsEmpty());
    EXPECT_FALSE(registry_.hasLibrary("fixture-throwing"));

    loader_.loadFile(fixturePath("fixture-valid"));
    EXPECT_THAT(strategies(), ElementsAre("fixture_first"));
}

TEST_F(PluginLoaderTest, RefusesStrategyNameTakenByAnotherLibrary) {
    loader_.loadFile(fixturePath("fixture-valid"));

    EXPECT_EQ(refusal("fixture-duplicate"),
              "plugin " + fixturePath("fixture-duplicate").string() +
                  ": routing strategy 'fixture_first' is already registered by " +
                  fixturePath("fixture-valid").string());
    EXPECT_FALSE(registry_.hasLibrary("fixture-duplicate"));
    EXPECT_EQ(registry_.describe().at(0).plugin_name, "fixture-valid");
}

TEST_F(PluginLoaderTest, RefusesUnresolvedSymbolAtLoadTime) {
    const std::string path = fixturePath("fixture-unresolved").string();
    const std::string message = refusal("fixture-unresolved");

    EXPECT_THAT(message, StartsWith("plugin " + path + ": cannot load: "));
    // Ends with dlerror()'s words: nothing of Boost's wrapping may trail them.
    EXPECT_THAT(message, EndsWith("undefined symbol: sluice_fixture_missing_function"));
}

TEST_F(PluginLoaderTest, RefusesMissingFile) {
    const std::string path = (fixtureDir() / "libsluice-fixture-absent.so").string();

    EXPECT_THAT(refusalOf(loader_, path),
                StartsWith("plugin " + path + ": cannot load: " + path + ": "));
    EXPECT_THAT(refusalOf(loader_, path), EndsWith("No such file or directory"));
}

TEST_F(PluginLoaderTest, RefusesWorldWritableFile) {
    TempDir dir;
    const auto copy = dir.copyFixture("fixture-valid");
    fs::permissions(copy, fs::perms::others_write, fs::perm_options::add);

    EXPECT_EQ(refusalOf(loader_, copy),
              "plugin " + copy.string() + ": refusing a world-writable file");
}

TEST_F(PluginLoaderTest, RefusesFileInWorldWritableDirectory) {
    TempDir dir;
    const auto copy = dir.copyFixture("fixture-valid");
    fs::permissions(dir.path(), fs::perms::all, fs::perm_options::replace);

    EXPECT_EQ(refusalOf(loader_, copy), "plugin " + copy.string() +
                                            ": refusing a file in world-writable directory " +
                                            fs::canonical(dir.path()).string());
}

TEST_F(PluginLoaderTest, LoadsByNameFromTheFirstSearchPathHoldingIt) {
    TempDir empty;
    TempDir shadow;
    const auto copy = shadow.copyFixture("fixture-valid");
    PluginLoader loader({empty.path(), shadow.path(), fixtureDir()}, registry_);

    EXPECT_EQ(loader.locate("fixture-valid"), copy);
    loader.load("fixture-valid");
    EXPECT_TRUE(registry_.hasLibrary("fixture-valid"));
    EXPECT_EQ(registry_.describe().at(0).library_path, copy.string());
}

TEST_F(PluginLoaderTest, NotFoundNamesEverySearchedDirectory) {
    TempDir first;
    TempDir second;
    PluginLoader loader({first.path(), second.path()}, registry_);

    try {
        loader.load("fixture-valid");
        FAIL() << "loaded a plugin from directories that do not hold it";
    } catch (const PluginError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "plugin 'fixture-valid' not found: no libsluice-fixture-valid.so in " +
                      first.path().string() + ", " + second.path().string());
    }
}

TEST_F(PluginLoaderTest, NotFoundWithoutSearchPathsSaysSo) {
    PluginLoader loader({}, registry_);

    try {
        loader.load("fixture-valid");
        FAIL() << "loaded a plugin without search paths";
    } catch (const PluginError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "plugin 'fixture-valid' not found: no libsluice-fixture-valid.so in "
                  "(no search paths)");
    }
}

TEST_F(PluginLoaderTest, RefusesPluginListedTwice) {
    loader_.load("fixture-valid");

    try {
        loader_.load("fixture-valid");
        FAIL() << "loaded the same plugin twice";
    } catch (const PluginError& e) {
        EXPECT_EQ(std::string(e.what()), "plugin " + fixturePath("fixture-valid").string() +
                                             ": a plugin named 'fixture-valid' is already loaded");
    }
    EXPECT_THAT(strategies(), ElementsAre("fixture_first"));
}

// A builtin registers nothing here: the refusal must come from the name, not from clashing
// factories.
int registerNothing(void*, char*, std::size_t) noexcept {
    return 0;
}

TEST_F(PluginLoaderTest, RefusesBuiltinListedTwice) {
    PluginLoader loader({fixtureDir()}, registry_, {{"fixture-builtin", &registerNothing}});
    loader.load("fixture-builtin");

    try {
        loader.load("fixture-builtin");
        FAIL() << "loaded the same builtin twice";
    } catch (const PluginError& e) {
        EXPECT_EQ(
            std::string(e.what()),
            "plugin builtin:fixture-builtin: a plugin named 'fixture-builtin' is already loaded");
    }
}

TEST_F(PluginLoaderTest, UnknownStrategyNameIsAnError) {
    loader_.loadFile(fixturePath("fixture-valid"));
    sdk::testing::FakeHost host;

    try {
        registry_.createStrategy("fixture_absent", *sdk::testing::FakeConfig::map({}), host);
        FAIL() << "created a strategy nobody registered";
    } catch (const PluginError& e) {
        EXPECT_EQ(std::string(e.what()), "no routing strategy named 'fixture_absent'");
    }
}

}  // namespace
}  // namespace sluice::tests::loader

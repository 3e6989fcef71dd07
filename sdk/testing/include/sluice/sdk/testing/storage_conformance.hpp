#pragma once

// The storage conformance suite: the behaviour every sdk::StorageBackend must share, whatever
// it stores data in. A backend's test binary instantiates it once, with a way to open a fresh
// and empty backend (files, if any, under the directory it is given):
//
//   #include "sluice/sdk/testing/fake_config.hpp"
//   #include "sluice/sdk/testing/storage_conformance.hpp"
//
//   SLUICE_INSTANTIATE_STORAGE_CONFORMANCE(MyStore, sluice::sdk::testing::StorageConformanceParam{
//       "my_store", [](sluice::sdk::HostServices& host, const std::filesystem::path& dir) {
//           auto config = sluice::sdk::testing::FakeConfig::map(
//               {{"path", sluice::sdk::testing::FakeConfig::scalar((dir / "db").string())}});
//           return MyStoreFactory().create(*config, host);
//       }});
//
// and links Sluice::sdk_testing and GTest::gtest_main. Use the macro at namespace scope, once
// per backend, each time with its own prefix. The fixture calls migrate() before each test.
//
// Beyond what storage_backend.hpp spells out, the suite pins down these shared behaviours:
// times come back truncated to the millisecond; account, key and token lists are in creation
// order (created_at, then insertion); pool update keeps created_at; updateCredentials clears
// status_reason; touch never moves last_used_at backwards; pages are (time DESC, id DESC) and
// a zero limit or an unknown cursor is InvalidArgument; quota upserts skip accounts that do
// not exist and removing an account removes its snapshots; an affinity expires at expires_at.
//
// The test bodies live in the sdk_testing static library. A linker only pulls an archive
// member in when something references it, and nothing references a TEST_P's registration, so
// the macro also references an anchor function that pulls every suite file in. A binary that
// links sdk_testing without the macro may still get the suite's files (for an unrelated weak
// symbol); the suite is then simply not instantiated, which is not an error.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::sdk::testing {

/// Opens a fresh, empty backend keeping its files under `dir` (or nowhere). Called on the test
/// thread once per test; `host` and `dir` outlive the returned backend.
using StorageBackendOpener =
    std::function<StorageBackendPtr(HostServices& host, const std::filesystem::path& dir)>;

/// One backend under test.
struct StorageConformanceParam {
    std::string name;  ///< shown in test names: letters, digits and '_' only
    StorageBackendOpener open;
};

/// Prints the backend's name in gtest messages (gtest looks this name up).
// NOLINTNEXTLINE(readability-identifier-naming)
void PrintTo(const StorageConformanceParam& param, std::ostream* out);

/// Names each instantiated test after the backend.
std::string storageConformanceName(const ::testing::TestParamInfo<StorageConformanceParam>& info);

/// Per test: a fake host, a temporary directory and a freshly opened, migrated backend.
class StorageConformanceTest : public ::testing::TestWithParam<StorageConformanceParam> {
protected:
    void SetUp() override;
    void TearDown() override;

    StorageBackend& storage() { return *backend_; }
    FakeHost& host() { return host_; }

private:
    FakeHost host_;
    std::unique_ptr<TempDirectory> directory_;
    StorageBackendPtr backend_;
};

/// Pulls every file of the suite into the test binary; returns 0. Used by the macro below.
int linkStorageConformanceSuite();

}  // namespace sluice::sdk::testing

/// Instantiates the suite for one backend; `prefix` becomes the first part of every test name.
/// gtest matches an instantiation to its TEST_Ps by the suite's spelled name, so this expands
/// inside the fixture's namespace where the name is spelled exactly as in the suite's files.
#define SLUICE_INSTANTIATE_STORAGE_CONFORMANCE(prefix, ...)                                  \
    namespace sluice::sdk::testing {                                                         \
    INSTANTIATE_TEST_SUITE_P(prefix, StorageConformanceTest, ::testing::Values(__VA_ARGS__), \
                             storageConformanceName);                                        \
    }                                                                                        \
    [[maybe_unused]] static const int sluice_storage_conformance_linked_##prefix =           \
        ::sluice::sdk::testing::linkStorageConformanceSuite()

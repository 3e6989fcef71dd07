#include "plugins/storage-memory/memory_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"

namespace {

using sluice::sdk::testing::FakeConfig;

sluice::sdk::StorageBackendPtr openMemory(sluice::sdk::HostServices& host,
                                          const std::filesystem::path& /*dir*/) {
    return sluice::plugins::storage_memory::MemoryBackendFactory().create(*FakeConfig::map({}),
                                                                          host);
}

}  // namespace

SLUICE_INSTANTIATE_STORAGE_CONFORMANCE(Memory, sluice::sdk::testing::StorageConformanceParam{
                                                   "memory", openMemory});

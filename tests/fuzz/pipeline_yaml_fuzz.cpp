#include <cstdint>
#include <string>

#include "core/config/pipeline_schema.hpp"
#include "core/config/schema_validator.hpp"
#include "core/config/yaml_reader.hpp"
#include "core/config/yaml_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::core::config;
    const std::string text(reinterpret_cast<const char*>(data), size);
    ConfigIssues issues;
    const EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
    auto tree = readYaml(text, no_env, issues);
    if (tree && tree->kind() == sluice::sdk::ConfigKind::Map) {
        validateAgainstSchema(*tree, pipelineSchema(), issues);
        (void)writeYaml(*tree);
    }
    return 0;
}

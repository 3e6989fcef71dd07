#include "core/cli/commands.hpp"
#include "core/config/yaml_reader.hpp"

namespace sluice::core::cli {

std::unique_ptr<runtime::Runtime> CommandContext::openRuntime() const {
    return openRuntime(config);
}

std::unique_ptr<runtime::Runtime> CommandContext::openRuntime(
    const std::filesystem::path& pipeline) const {
    return runtime::Runtime::open(
        {pipeline, executable, config::processEnvironment(), {}, min_log_level});
}

control::ControlContext CommandContext::controlFor(runtime::Runtime& runtime) const {
    return control::ControlContext{runtime.storage(), control::borrowedPipeline(runtime.pipeline()),
                                   runtime.secrets(), runtime.host().clock(), nullptr};
}

int CommandContext::fail(const sdk::Status& status) const {
    err << "error: " << status.message() << '\n';
    return 1;
}

}  // namespace sluice::core::cli

#include "core/runtime/runtime.hpp"

#include <algorithm>

#include "core/config/pipeline_loader.hpp"
#include "core/observability/log_sink.hpp"

namespace sluice::core::runtime {

namespace {

std::string joinIssues(const config::ConfigIssues& issues) {
    std::string text;
    for (const auto& issue : issues) {
        text += (text.empty() ? "" : "\n") + issue.describe();
    }
    return text;
}

}  // namespace

StartupError::StartupError(config::ConfigIssues issues)
    : std::runtime_error(joinIssues(issues)), issues_(std::move(issues)) {}

std::unique_ptr<security::SecretBox> makeSecretBox(const config::SecretSettings& settings) {
    std::map<std::uint32_t, std::string> keys;
    keys[settings.key_version] = security::SecretBox::decodeKey(settings.key).value_or("");
    for (const auto& retired : settings.retired_keys) {
        keys[retired.version] = security::SecretBox::decodeKey(retired.key).value_or("");
    }
    return std::make_unique<security::SecretBox>(std::move(keys), settings.key_version);
}

std::unique_ptr<Runtime> Runtime::open(const RuntimeOptions& options) {
    std::unique_ptr<Runtime> runtime(new Runtime());
    runtime->executable_ = options.executable;
    runtime->environment_ = options.env;
    runtime->registry_ = std::make_unique<plugin::PluginRegistry>();
    const config::PipelineLoader loader(options.env, plugin::defaultPluginPaths(options.executable),
                                        options.builtins);
    config::ConfigIssues issues =
        loader.load(options.config, *runtime->registry_, runtime->pipeline_);
    if (!issues.empty()) {
        throw StartupError(std::move(issues));
    }
    const config::Pipeline& pipeline = runtime->pipeline_;
    runtime->host_ = std::make_unique<Host>(
        std::make_unique<observability::LogSink>(
            pipeline.logging.file,
            std::max(observability::parseLogLevel(pipeline.logging.level), options.min_log_level)),
        sdk::UpstreamIdentity{pipeline.upstream.client_version, pipeline.upstream.codex_path,
                              pipeline.upstream.backend_path});
    runtime->secrets_ = makeSecretBox(pipeline.secrets);
    try {
        runtime->storage_ = runtime->registry_->createStorage(
            pipeline.storage.type, *pipeline.storage.config, *runtime->host_);
    } catch (const sdk::ConfigError& e) {
        throw StartupError({{e.path(), e.message(), 0}});
    } catch (const std::exception& e) {
        throw StartupError({{"storage", std::string("cannot open storage: ") + e.what(), 0}});
    }
    if (const sdk::Status migrated = runtime->storage_->migrate(); !migrated.ok()) {
        throw StartupError({{"storage", "cannot migrate storage: " + migrated.message(), 0}});
    }
    if (auto* stores = dynamic_cast<sdk::StoresProjects*>(runtime->storage_.get())) {
        runtime->host_->setProjectRepository(&stores->projects());
    }
    return runtime;
}

Runtime::~Runtime() = default;

}  // namespace sluice::core::runtime

#include "route_openai_factory.hpp"

#include "openai_family.hpp"
#include "sluice/plugins/common/host_upstream.hpp"

namespace sluice::plugins::route_openai {

namespace {

class OpenAiV1Factory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "openai_v1"; }
    std::string description() const override {
        return "Narrow OpenAI-compatible /v1 surface for OpenAI SDK clients: models, responses, "
               "chat "
               "completions, usage, files, audio transcription and images, served by the pool's "
               "Codex accounts";
    }
    std::string defaultMount() const override { return "/v1"; }
    sdk::ConfigSchema schema() const override { return openAiConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        OpenAiConfig parsed = parseOpenAiConfig(config, common::upstreamIdentityOf(host, config));
        sdk::ResponseStore* store = nullptr;
        if (parsed.response_store) {
            auto* lender = dynamic_cast<sdk::HostResponseStore*>(&host);
            store = lender == nullptr ? nullptr : lender->responseStore();
            if (store == nullptr) {
                throw sdk::ConfigError(config.get("response_store")->path(),
                                       "the response store needs a storage backend that keeps "
                                       "stored responses (sqlite, postgres or memory)");
            }
        }
        return std::make_unique<OpenAiFamily>(std::move(parsed), host, store);
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<OpenAiV1Factory>());
}

}  // namespace sluice::plugins::route_openai

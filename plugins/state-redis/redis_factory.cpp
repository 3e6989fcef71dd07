#include "redis_factory.hpp"

#include <memory>
#include <stdexcept>

#include "redis_config.hpp"
#include "redis_shared_state.hpp"

namespace sluice::plugins::state_redis {

std::string RedisStateFactory::description() const {
    return "Redis server (Poco::Redis): change notifications between gateway replicas over "
           "pub/sub; serving goes on without it";
}

sdk::ConfigSchema RedisStateFactory::schema() const {
    return redisConfigSchema();
}

sdk::SharedStatePtr RedisStateFactory::create(const sdk::ConfigNode& config,
                                              sdk::HostServices& host) const {
    return std::make_unique<RedisSharedState>(parseRedisConfig(config), host);
}

void registerFactories(sdk::Registrar& registrar) {
    auto* registrar_v2 = dynamic_cast<sdk::RegistrarV2*>(&registrar);
    if (registrar_v2 == nullptr) {
        throw std::runtime_error("the host does not take shared state plugins (SDK 2.5)");
    }
    registrar_v2->addSharedState(std::make_unique<RedisStateFactory>());
}

}  // namespace sluice::plugins::state_redis

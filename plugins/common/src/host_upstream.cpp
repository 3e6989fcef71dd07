#include "sluice/plugins/common/host_upstream.hpp"

namespace sluice::plugins::common {

sdk::UpstreamIdentity upstreamIdentityOf(sdk::HostServices& host, const sdk::ConfigNode& config) {
    const auto* upstream = dynamic_cast<const sdk::HostUpstream*>(&host);
    if (upstream == nullptr) {
        throw sdk::ConfigError(config.path(),
                               "this host lends no upstream identity (SDK 1.5 HostUpstream): "
                               "the family cannot build upstream requests");
    }
    return upstream->upstreamIdentity();
}

}  // namespace sluice::plugins::common

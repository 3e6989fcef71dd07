#include "customer_config.hpp"

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_customer {

namespace {

namespace field = sdk::field;
namespace cfg = sdk::config;

// The scheme only: the operation that embeds the URL checks the rest (customer.profile's
// gateway_url), so there is one definition of a gateway origin.
bool hasWebScheme(const std::string& url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

sdk::ConfigSchema customerConfigSchema() {
    return {
        field::string("public_url",
                      "scheme://host[:port] as customers reach the gateway, used in the Codex CLI "
                      "provider block of GET /me (empty: the listen address)")
            .defaultsTo("\"\""),
        field::size("max_body", "Largest request body (a Stripe event included)")
            .defaultsTo("64KiB"),
    };
}

CustomerConfig parseCustomerConfig(const sdk::ConfigNode& config) {
    CustomerConfig parsed;
    parsed.public_url = cfg::getString(config, "public_url");
    if (!parsed.public_url.empty() && !hasWebScheme(parsed.public_url)) {
        throw sdk::ConfigError(config.get("public_url")->path(), "must be http(s)://host[:port]");
    }
    parsed.max_body_bytes = common::positiveSize(config, "max_body");
    return parsed;
}

}  // namespace sluice::plugins::route_customer

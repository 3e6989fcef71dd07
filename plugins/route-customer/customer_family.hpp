#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "customer_config.hpp"
#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/request_screen.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_customer {

/// The customer routes of issue 17 (`/api/v1` by default): a Pool key linked to a customer's
/// wallet reads its wallet, transactions and keys and manages its keys. Every route runs one
/// gateway operation (customer.*) as the caller, so the rules, the audit and the reads live in
/// the host; this family parses, maps and answers in the gateway's error envelope
/// {"error":{"message","type","code","param"}}. The reads also take the username of a customer
/// an operator opted in (seed 002's compatibility switch); changes always need a key.
/// Immutable after construction; handle() is called concurrently.
class CustomerFamily final : public sdk::RouteFamily, public sdk::AcceptsCustomerUsernames {
public:
    /// `settings` (may be null: a host that is not serving) gives the bound listen address,
    /// the provider block's origin when `public_url` is empty.
    CustomerFamily(CustomerConfig config, const sdk::HostSettings* settings)
        : config_(std::move(config)), settings_(settings) {}

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;
    bool acceptsCustomerUsername(std::string_view operation) const noexcept override;

private:
    void serve(sdk::Exchange& exchange);
    /// The operation's parameters from the request, or nullopt once an error was answered.
    std::optional<nlohmann::json> params(sdk::Exchange& exchange);
    /// Where customers reach the gateway: `public_url`, else the bound listen address.
    std::optional<std::string> origin() const;

    CustomerConfig config_;
    const sdk::HostSettings* settings_;
};

}  // namespace sluice::plugins::route_customer

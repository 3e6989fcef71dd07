#include "core/dispatch/upstream_envelope.hpp"

#include <array>

#include "core/routing/pool_quota.hpp"

namespace sluice::core::dispatch {

namespace {

constexpr std::array<std::string_view, 19> kForbidden{"authorization",    "proxy-authorization",
                                                      "cookie",           "host",
                                                      "connection",       "keep-alive",
                                                      "proxy-connection", "te",
                                                      "trailer",          "transfer-encoding",
                                                      "upgrade",          "content-length",
                                                      "content-encoding", "chatgpt-account-id",
                                                      "x-api-key",        "originator",
                                                      "user-agent",       "version",
                                                      "accept-encoding"};

constexpr std::array<std::string_view, 8> kRelayedExact{
    "content-type",  "cache-control", "x-codex-turn-state", "openai-model", "x-reasoning-included",
    "x-models-etag", "etag",          "x-request-id"};

}  // namespace

UpstreamEnvelope::UpstreamEnvelope(const config::UpstreamSettings& settings)
    : originator_(settings.originator),
      user_agent_(settings.originator + "/" + settings.client_version + " (sluice)"),
      version_(settings.client_version) {}

bool UpstreamEnvelope::isForbidden(std::string_view name) noexcept {
    for (const std::string_view forbidden : kForbidden) {
        if (sdk::equalsIgnoreCase(name, forbidden)) {
            return true;
        }
    }
    return false;
}

sdk::Headers UpstreamEnvelope::headersFor(const routing::RoutedAccount& account,
                                          const sdk::DispatchRequest& request) const {
    sdk::Headers headers;
    headers.reserve(request.headers.size() + 7);
    headers.push_back({"Authorization", "Bearer " + account.access_token});
    headers.push_back({"chatgpt-account-id", account.chatgpt_account_id});
    headers.push_back({"originator", originator_});
    headers.push_back({"User-Agent", user_agent_});
    headers.push_back({"version", version_});
    headers.push_back({"Accept", request.event_stream ? "text/event-stream" : "application/json"});
    for (const sdk::Header& header : request.headers) {
        if (!isForbidden(header.name) && !sdk::equalsIgnoreCase(header.name, "accept")) {
            headers.push_back(header);
        }
    }
    return headers;
}

sdk::Headers UpstreamEnvelope::relayable(const sdk::Headers& upstream) {
    sdk::Headers out;
    for (const sdk::Header& header : upstream) {
        bool keep = routing::isQuotaHeader(header.name);
        for (const std::string_view name : kRelayedExact) {
            keep = keep || sdk::equalsIgnoreCase(header.name, name);
        }
        if (keep) {
            out.push_back(header);
        }
    }
    return out;
}

}  // namespace sluice::core::dispatch

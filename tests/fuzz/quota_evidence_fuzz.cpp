#include <cstdint>
#include <string>

#include "core/routing/quota_evidence.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::core::routing;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const sluice::sdk::TimePoint now{std::chrono::seconds(1'800'000'000)};
    QuotaObservation quota = quotaFromError(text, now);
    quota.merge(quotaFromRateLimitEvent(text, now));
    quota.merge(quotaFromHeaders({{"x-codex-primary-used-percent", text},
                                  {"x-codex-primary-reset-at", text},
                                  {"x-codex-primary-reset-after-seconds", text},
                                  {"x-codex-credits-has-credits", text},
                                  {"x-codex-credits-unlimited", text}},
                                 now));
    return 0;
}

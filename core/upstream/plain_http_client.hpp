#pragma once

#include <cstdint>

#include "sluice/sdk/host_services.hpp"

namespace sluice::core::upstream {

/// sdk::HttpClient over Poco: one connection per call (these calls are rare, e.g. uploading a
/// file to the upload URL an upstream handed out), TLS verified with the system CAs, answers
/// bounded to `max_body_bytes`.
class PlainHttpClient final : public sdk::HttpClient {
public:
    explicit PlainHttpClient(std::uint64_t max_body_bytes = 64ULL << 20)
        : max_body_bytes_(max_body_bytes) {}

    sdk::Result<sdk::HttpReply> send(const sdk::HttpCall& call) noexcept override;

private:
    std::uint64_t max_body_bytes_;
};

}  // namespace sluice::core::upstream

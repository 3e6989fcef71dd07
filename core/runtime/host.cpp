#include "core/runtime/host.hpp"

#include "core/security/encoding.hpp"

namespace sluice::core::runtime {

std::uint64_t SystemRandom::next() noexcept {
    return security::fastRandom64();
}

class Host::ComponentLogger final : public sdk::Logger {
public:
    ComponentLogger(observability::LogSink& sink, std::string component)
        : sink_(sink), component_(std::move(component)) {}

    bool enabled(sdk::LogLevel level) const noexcept override { return sink_.enabled(level); }

    void log(sdk::LogLevel level, std::string_view event,
             std::initializer_list<sdk::LogField> fields) noexcept override {
        if (!sink_.enabled(level)) {
            return;
        }
        try {
            sink_.write(level, observability::formatLogLine(level, component_, event, fields));
        } catch (...) {
            // Out of memory while formatting: drop the line rather than the request.
        }
    }

private:
    observability::LogSink& sink_;
    std::string component_;
};

Host::Host(std::unique_ptr<observability::LogSink> sink, sdk::UpstreamIdentity upstream)
    : sink_(std::move(sink)), upstream_(std::move(upstream)) {}

Host::~Host() = default;

sdk::Logger& Host::logger(std::string_view component) {
    std::lock_guard lock(mutex_);
    auto it = loggers_.find(component);
    if (it == loggers_.end()) {
        it = loggers_
                 .emplace(std::string(component),
                          std::make_unique<ComponentLogger>(*sink_, std::string(component)))
                 .first;
    }
    return *it->second;
}

sdk::ListenAddress Host::listenAddress() const {
    std::lock_guard lock(listen_mutex_);
    return listen_;
}

void Host::setListenAddress(sdk::ListenAddress address) {
    std::lock_guard lock(listen_mutex_);
    listen_ = std::move(address);
}

sdk::Result<sdk::DelegatedCredential> Host::delegate(std::string_view key_id,
                                                     std::chrono::seconds ttl) noexcept {
    sdk::DelegatedCredentials* delegation = delegation_.load();
    if (delegation == nullptr) {
        return sdk::Status(sdk::StatusCode::Unavailable, "the gateway is not serving");
    }
    return delegation->delegate(key_id, ttl);
}

}  // namespace sluice::core::runtime

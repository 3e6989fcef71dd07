#include "sluice/sdk/testing/fake_host.hpp"

#include <atomic>

namespace sluice::sdk::testing {

FakeClock::FakeClock(std::chrono::system_clock::time_point start) : start_(start) {}

std::chrono::system_clock::time_point FakeClock::now() const noexcept {
    return start_ + std::chrono::milliseconds(offset_ms_.load());
}

std::chrono::steady_clock::time_point FakeClock::steadyNow() const noexcept {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(offset_ms_.load()));
}

void FakeClock::advance(std::chrono::milliseconds delta) noexcept {
    offset_ms_ += delta.count();
}

std::uint64_t FakeRandom::next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class FakeHost::Log final : public Logger {
public:
    Log(FakeHost& host, std::string component) : host_(host), component_(std::move(component)) {}

    bool enabled(LogLevel) const noexcept override { return true; }

    void log(LogLevel level, std::string_view event,
             std::initializer_list<LogField> fields) noexcept override {
        LoggedLine line{level, component_, std::string(event), {}};
        for (const LogField& f : fields) {
            line.fields.emplace_back(std::string(f.key), std::string(f.value));
        }
        host_.record(std::move(line));
    }

private:
    FakeHost& host_;
    std::string component_;
};

namespace {

std::string seriesKey(std::string_view name, const MetricLabels& labels) {
    std::string key(name);
    for (const auto& [k, v] : labels) {
        key += "|" + k + "=" + v;
    }
    return key;
}

class FakeCounter final : public Counter {
public:
    void add(std::uint64_t amount) noexcept override { value += amount; }
    std::atomic<std::uint64_t> value{0};
};

class FakeGauge final : public Gauge {
public:
    void set(double v) noexcept override { value = v; }
    void add(double delta) noexcept override {
        double current = value.load();
        while (!value.compare_exchange_weak(current, current + delta)) {
        }
    }
    std::atomic<double> value{0};
};

class FakeHistogram final : public Histogram {
public:
    void observe(double) noexcept override { ++count; }
    std::atomic<std::uint64_t> count{0};
};

}  // namespace

class FakeHost::Registry final : public Metrics {
public:
    Counter& counter(std::string_view name, std::string_view, const MetricLabels& labels) override {
        std::lock_guard lock(mutex_);
        auto& slot = counters_[seriesKey(name, labels)];
        if (!slot) {
            slot = std::make_unique<FakeCounter>();
        }
        return *slot;
    }
    Gauge& gauge(std::string_view name, std::string_view, const MetricLabels& labels) override {
        std::lock_guard lock(mutex_);
        auto& slot = gauges_[seriesKey(name, labels)];
        if (!slot) {
            slot = std::make_unique<FakeGauge>();
        }
        return *slot;
    }
    Histogram& histogram(std::string_view name, std::string_view, const MetricLabels& labels,
                         const std::vector<double>&) override {
        std::lock_guard lock(mutex_);
        auto& slot = histograms_[seriesKey(name, labels)];
        if (!slot) {
            slot = std::make_unique<FakeHistogram>();
        }
        return *slot;
    }
    std::uint64_t counterValue(const std::string& name, const MetricLabels& labels) const {
        std::lock_guard lock(mutex_);
        const auto it = counters_.find(seriesKey(name, labels));
        return it == counters_.end() ? 0 : it->second->value.load();
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<FakeCounter>> counters_;
    std::map<std::string, std::unique_ptr<FakeGauge>> gauges_;
    std::map<std::string, std::unique_ptr<FakeHistogram>> histograms_;
};

Result<HttpReply> FakeHttpClient::send(const HttpCall& call) noexcept {
    std::lock_guard lock(mutex_);
    calls_.push_back({call.method, call.url, call.headers, std::string(call.body)});
    if (replies_.empty()) {
        return Status(StatusCode::Unavailable, "no reply queued for " + call.url);
    }
    Result<HttpReply> reply = std::move(replies_.front());
    replies_.erase(replies_.begin());
    return reply;
}

void FakeHttpClient::enqueue(Result<HttpReply> reply) {
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(reply));
}

std::vector<FakeHttpClient::RecordedCall> FakeHttpClient::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

FakeHost::FakeHost() : registry_(std::make_unique<Registry>()) {}
FakeHost::~FakeHost() = default;

Logger& FakeHost::logger(std::string_view component) {
    std::lock_guard lock(mutex_);
    auto& slot = loggers_[std::string(component)];
    if (!slot) {
        slot = std::make_unique<Log>(*this, std::string(component));
    }
    return *slot;
}

Metrics& FakeHost::metrics() {
    return *registry_;
}

std::vector<LoggedLine> FakeHost::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

std::uint64_t FakeHost::counterValue(const std::string& name, const MetricLabels& labels) const {
    return registry_->counterValue(name, labels);
}

void FakeHost::record(LoggedLine line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
}

}  // namespace sluice::sdk::testing

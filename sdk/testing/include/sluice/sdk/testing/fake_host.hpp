#pragma once

// A HostServices for plugin tests: records log lines, keeps metrics in memory, and lets the
// test drive time and randomness. Thread-safe like the real host.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sluice/sdk/host_services.hpp"

namespace sluice::sdk::testing {

struct LoggedLine {
    LogLevel level;
    std::string component;
    std::string event;
    std::vector<std::pair<std::string, std::string>> fields;
};

/// A clock that only moves when the test says so.
class FakeClock final : public Clock {
public:
    explicit FakeClock(
        std::chrono::system_clock::time_point start =
            std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)));

    std::chrono::system_clock::time_point now() const noexcept override;
    std::chrono::steady_clock::time_point steadyNow() const noexcept override;
    void advance(std::chrono::milliseconds delta) noexcept;

private:
    std::atomic<std::int64_t> offset_ms_{0};
    std::chrono::system_clock::time_point start_;
};

/// Deterministic splitmix64 sequence.
class FakeRandom final : public Random {
public:
    explicit FakeRandom(std::uint64_t seed = 42) : state_(seed) {}
    std::uint64_t next() noexcept override;

private:
    std::atomic<std::uint64_t> state_;
};

/// An HttpClient that answers from a queue and records every call (bodies included: tests only).
class FakeHttpClient final : public HttpClient {
public:
    struct RecordedCall {
        std::string method;
        std::string url;
        Headers headers;
        std::string body;
    };

    Result<HttpReply> send(const HttpCall& call) noexcept override;
    /// Queues the answer to the next call; with none queued a call is Unavailable.
    void enqueue(Result<HttpReply> reply);
    std::vector<RecordedCall> calls() const;

private:
    mutable std::mutex mutex_;
    std::vector<Result<HttpReply>> replies_;
    std::vector<RecordedCall> calls_;
};

class FakeHost final : public HostServices {
public:
    FakeHost();
    ~FakeHost() override;

    Logger& logger(std::string_view component) override;
    Metrics& metrics() override;
    const Clock& clock() override { return clock_; }
    Random& random() override { return random_; }
    HttpClient& httpClient() override { return http_; }

    FakeClock& fakeClock() { return clock_; }
    FakeHttpClient& fakeHttp() { return http_; }
    /// Every line logged so far, in order.
    std::vector<LoggedLine> lines() const;
    /// Current value of a counter series, 0 when never incremented.
    std::uint64_t counterValue(const std::string& name, const MetricLabels& labels = {}) const;

    void record(LoggedLine line);

private:
    class Log;
    class Registry;

    mutable std::mutex mutex_;
    std::vector<LoggedLine> lines_;
    std::map<std::string, std::unique_ptr<Log>> loggers_;
    std::unique_ptr<Registry> registry_;
    FakeClock clock_;
    FakeRandom random_;
    FakeHttpClient http_;
};

}  // namespace sluice::sdk::testing

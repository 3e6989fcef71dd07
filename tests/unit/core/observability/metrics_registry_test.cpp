#include "core/observability/metrics_registry.hpp"

#include <gtest/gtest.h>

#include "core/observability/log_sink.hpp"

namespace sluice::core::observability {
namespace {

TEST(MetricsRegistryTest, RendersPrometheusTextWithLabels) {
    MetricsRegistry registry;
    registry.counter("sluice_test_requests_total", "Requests", {{"status", "2xx"}}).add(3);
    registry.gauge("sluice_test_in_flight", "In flight", {}).set(2);
    auto& histogram = registry.histogram("sluice_test_seconds", "Latency",
                                         {{"route_class", "proxy_http"}}, {0.1, 1});
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(5);
    const std::string text = registry.renderPrometheus();
    EXPECT_NE(text.find("# TYPE sluice_test_requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("sluice_test_requests_total{status=\"2xx\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("sluice_test_in_flight 2\n"), std::string::npos);
    EXPECT_NE(text.find("sluice_test_seconds_bucket{route_class=\"proxy_http\",le=\"0."
                        "10000000000000001\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("sluice_test_seconds_bucket{route_class=\"proxy_http\",le=\"+Inf\"} 3\n"),
              std::string::npos);
    EXPECT_NE(text.find("sluice_test_seconds_count{route_class=\"proxy_http\"} 3\n"),
              std::string::npos);
}

TEST(MetricsRegistryTest, SameSeriesReturnsTheSameHandle) {
    MetricsRegistry registry;
    auto& a = registry.counter("sluice_test_total", "t", {{"k", "v"}});
    auto& b = registry.counter("sluice_test_total", "t", {{"k", "v"}});
    EXPECT_EQ(&a, &b);
    EXPECT_THROW(registry.gauge("sluice_test_total", "t", {}), std::logic_error);
}

TEST(MetricsRegistryTest, ReplacedGaugesAreTheFamilysOnlySeries) {
    MetricsRegistry registry;
    registry.replaceGauges("sluice_test_balance", "b", {{{{"w", "a"}}, 1.5}, {{{"w", "b"}}, 2}});
    registry.replaceGauges("sluice_test_balance", "b", {{{{"w", "b"}}, 3}, {{{"w", "c"}}, 0}});
    const std::string text = registry.renderPrometheus();
    EXPECT_EQ(text.find("w=\"a\""), std::string::npos) << text;
    EXPECT_NE(text.find("sluice_test_balance{w=\"b\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("sluice_test_balance{w=\"c\"} 0\n"), std::string::npos) << text;
    registry.replaceGauges("sluice_test_balance", "b", {});
    EXPECT_EQ(registry.renderPrometheus().find("sluice_test_balance{"), std::string::npos);
}

TEST(LogLineTest, QuotesValuesThatNeedIt) {
    const std::string line = formatLogLine(sdk::LogLevel::Warning, "dispatch", "circuit_changed",
                                           {{"account", "team-a"}, {"reason", "said \"no\"\n"}});
    EXPECT_NE(line.find(" level=warning component=dispatch event=circuit_changed account=team-a "
                        "reason=\"said \\\"no\\\"\\n\""),
              std::string::npos);
    EXPECT_EQ(line.rfind("ts=", 0), 0U);
}

}  // namespace
}  // namespace sluice::core::observability

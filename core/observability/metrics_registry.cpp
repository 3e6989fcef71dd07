#include "core/observability/metrics_registry.hpp"

#include <atomic>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace sluice::core::observability {

namespace {

void atomicAdd(std::atomic<double>& target, double delta) noexcept {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
    }
}

std::string formatNumber(double value) {
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    std::ostringstream out;
    out.precision(17);
    out << value;
    return out.str();
}

std::string escapeLabel(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string labelText(const sdk::MetricLabels& labels, const std::string& extra = {}) {
    std::string out;
    for (const auto& [key, value] : labels) {
        out += (out.empty() ? "" : ",") + key + "=\"" + escapeLabel(value) + "\"";
    }
    if (!extra.empty()) {
        out += (out.empty() ? "" : ",") + extra;
    }
    return out.empty() ? "" : "{" + out + "}";
}

class AtomicCounter final : public sdk::Counter {
public:
    void add(std::uint64_t amount) noexcept override {
        value_.fetch_add(amount, std::memory_order_relaxed);
    }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class AtomicGauge final : public sdk::Gauge {
public:
    void set(double value) noexcept override { value_.store(value, std::memory_order_relaxed); }
    void add(double delta) noexcept override { atomicAdd(value_, delta); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class BucketHistogram final : public sdk::Histogram {
public:
    explicit BucketHistogram(std::vector<double> bounds)
        : bounds_(std::move(bounds)), buckets_(bounds_.size() + 1) {}

    void observe(double value) noexcept override {
        std::size_t i = 0;
        while (i < bounds_.size() && value > bounds_[i]) {
            ++i;
        }
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        atomicAdd(sum_, value);
    }

    void render(std::ostream& out, const std::string& name, const sdk::MetricLabels& labels) const {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= bounds_.size(); ++i) {
            cumulative += buckets_[i].load(std::memory_order_relaxed);
            const std::string le =
                i < bounds_.size() ? formatNumber(bounds_[i]) : std::string("+Inf");
            out << name << "_bucket" << labelText(labels, "le=\"" + le + "\"") << ' ' << cumulative
                << '\n';
        }
        out << name << "_sum" << labelText(labels) << ' ' << formatNumber(sum_.load()) << '\n';
        out << name << "_count" << labelText(labels) << ' ' << cumulative << '\n';
    }

private:
    std::vector<double> bounds_;
    std::vector<std::atomic<std::uint64_t>> buckets_;
    std::atomic<double> sum_{0.0};
};

std::string seriesKey(const sdk::MetricLabels& labels) {
    return labelText(labels);
}

}  // namespace

struct MetricsRegistry::Family {
    std::string help;
    const char* type = "counter";
    // Series keyed by their rendered label set; std::map keeps exposition order stable.
    std::map<std::string, std::pair<sdk::MetricLabels, std::unique_ptr<AtomicCounter>>> counters;
    std::map<std::string, std::pair<sdk::MetricLabels, std::unique_ptr<AtomicGauge>>> gauges;
    std::map<std::string, std::pair<sdk::MetricLabels, std::unique_ptr<BucketHistogram>>>
        histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 const char* type) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        auto created = std::make_unique<Family>();
        created->help = std::string(help);
        created->type = type;
        it = families_.emplace(std::string(name), std::move(created)).first;
    } else if (std::string_view(it->second->type) != type) {
        throw std::logic_error("metric " + std::string(name) + " is already a " + it->second->type);
    }
    return *it->second;
}

sdk::Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                       const sdk::MetricLabels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, "counter").counters[seriesKey(labels)];
    if (!slot.second) {
        slot = {labels, std::make_unique<AtomicCounter>()};
    }
    return *slot.second;
}

sdk::Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                   const sdk::MetricLabels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, "gauge").gauges[seriesKey(labels)];
    if (!slot.second) {
        slot = {labels, std::make_unique<AtomicGauge>()};
    }
    return *slot.second;
}

sdk::Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                           const sdk::MetricLabels& labels,
                                           const std::vector<double>& bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, "histogram").histograms[seriesKey(labels)];
    if (!slot.second) {
        slot = {labels, std::make_unique<BucketHistogram>(bounds)};
    }
    return *slot.second;
}

void MetricsRegistry::replaceGauges(
    std::string_view name, std::string_view help,
    const std::vector<std::pair<sdk::MetricLabels, double>>& samples) {
    std::lock_guard lock(mutex_);
    auto& gauges = family(name, help, "gauge").gauges;
    gauges.clear();
    for (const auto& [labels, value] : samples) {
        auto& slot = gauges[seriesKey(labels)];
        slot = {labels, std::make_unique<AtomicGauge>()};
        slot.second->set(value);
    }
}

std::size_t MetricsRegistry::addCollector(std::function<void()> refresh) {
    std::lock_guard lock(mutex_);
    collectors_.emplace(next_collector_, std::move(refresh));
    return next_collector_++;
}

void MetricsRegistry::removeCollector(std::size_t id) {
    std::lock_guard lock(mutex_);
    collectors_.erase(id);
}

std::string MetricsRegistry::renderPrometheus() const {
    std::map<std::size_t, std::function<void()>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    for (const auto& [id, refresh] : collectors) {
        refresh();  // outside the lock: collectors create and set series
    }
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : families_) {
        out << "# HELP " << name << ' ' << family->help << '\n';
        out << "# TYPE " << name << ' ' << family->type << '\n';
        for (const auto& [key, series] : family->counters) {
            out << name << key << ' ' << series.second->value() << '\n';
        }
        for (const auto& [key, series] : family->gauges) {
            out << name << key << ' ' << formatNumber(series.second->value()) << '\n';
        }
        for (const auto& [key, series] : family->histograms) {
            series.second->render(out, name, series.first);
        }
    }
    return out.str();
}

}  // namespace sluice::core::observability

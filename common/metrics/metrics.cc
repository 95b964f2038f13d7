#include "common/metrics/metrics.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace preflight::metrics {
namespace {

void AtomicAdd(std::atomic<double>& target, double by) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

// Prometheus' float syntax: the shortest text that reads back as the same double.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

void AppendEscaped(std::string& out, absl::string_view text, bool quotes) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

// {a="1",b="2"}, with an extra label (le) when given; nothing when there are no labels.
std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      absl::string_view extra_name = "", absl::string_view extra_value = "") {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    absl::StrAppend(&out, names[i], "=\"");
    AppendEscaped(out, values[i], /*quotes=*/true);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out.push_back(',');
    absl::StrAppend(&out, extra_name, "=\"", extra_value, "\"");
  }
  out.push_back('}');
  return out;
}

}  // namespace

void Counter::Increment(double by) {
  if (by > 0) AtomicAdd(value_, by);
}

void Gauge::Add(double by) { AtomicAdd(value_, by); }

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < bounds_->size() && value > (*bounds_)[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_->size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                              0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                              1,      2.5,     5,      10};
  return buckets;
}

Registry::Entry& Registry::Add(absl::string_view name, absl::string_view help, Type type,
                               std::vector<std::string> label_names) {
  std::unique_ptr<Entry>& slot = entries_[std::string(name)];
  if (slot != nullptr) {
    // The same metric registered again (two instances of one component) shares the family;
    // the same name for another metric is a wiring bug.
    assert(slot->type == type && slot->label_names == label_names);
    return *slot;
  }
  slot = std::make_unique<Entry>();
  slot->name = std::string(name);
  slot->help = std::string(help);
  slot->type = type;
  slot->label_names = std::move(label_names);
  return *slot;
}

Family<Counter>& Registry::AddCounter(absl::string_view name, absl::string_view help,
                                      std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(name, help, Type::kCounter, std::move(label_names));
  if (entry.counters == nullptr) {
    entry.counters.reset(
        new Family<Counter>(entry.label_names.size(), [] { return std::make_unique<Counter>(); }));
  }
  return *entry.counters;
}

Family<Gauge>& Registry::AddGauge(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(name, help, Type::kGauge, std::move(label_names));
  if (entry.gauges == nullptr) {
    entry.gauges.reset(
        new Family<Gauge>(entry.label_names.size(), [] { return std::make_unique<Gauge>(); }));
  }
  return *entry.gauges;
}

Family<Histogram>& Registry::AddHistogram(absl::string_view name, absl::string_view help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(name, help, Type::kHistogram, std::move(label_names));
  if (entry.histograms == nullptr) {
    entry.bounds = std::move(bounds);
    const std::vector<double>* kept = &entry.bounds;
    entry.histograms.reset(new Family<Histogram>(
        entry.label_names.size(), [kept] { return std::make_unique<Histogram>(kept); }));
  }
  return *entry.histograms;
}

void Registry::AddCallbackGauge(absl::string_view name, absl::string_view help,
                                std::vector<std::string> label_names,
                                std::function<std::vector<Sample>()> collect) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(name, help, Type::kGauge, std::move(label_names));
  if (!entry.collect) entry.collect = std::move(collect);
}

void Registry::AddCallbackCounter(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names,
                                  std::function<std::vector<Sample>()> collect) {
  absl::MutexLock lock(&mu_);
  Entry& entry = Add(name, help, Type::kCounter, std::move(label_names));
  if (!entry.collect) entry.collect = std::move(collect);
}

void Registry::RenderEntry(const Entry& entry, std::string& out) {
  absl::StrAppend(&out, "# HELP ", entry.name, " ");
  AppendEscaped(out, entry.help, /*quotes=*/false);
  out.push_back('\n');
  const char* type = entry.type == Type::kCounter ? "counter"
                     : entry.type == Type::kGauge ? "gauge"
                                                  : "histogram";
  absl::StrAppend(&out, "# TYPE ", entry.name, " ", type, "\n");
  const auto line = [&](absl::string_view suffix, const std::string& labels, double value) {
    absl::StrAppend(&out, entry.name, suffix, labels, " ", FormatValue(value), "\n");
  };
  if (entry.collect) {
    for (const Sample& sample : entry.collect()) {
      line("", LabelText(entry.label_names, sample.labels), sample.value);
    }
  }
  if (entry.counters != nullptr) {
    absl::MutexLock lock(&entry.counters->mu_);
    for (const auto& [values, counter] : entry.counters->children_) {
      line("", LabelText(entry.label_names, values), counter->Value());
    }
  }
  if (entry.gauges != nullptr) {
    absl::MutexLock lock(&entry.gauges->mu_);
    for (const auto& [values, gauge] : entry.gauges->children_) {
      line("", LabelText(entry.label_names, values), gauge->Value());
    }
  }
  if (entry.histograms != nullptr) {
    absl::MutexLock lock(&entry.histograms->mu_);
    for (const auto& [values, histogram] : entry.histograms->children_) {
      const Histogram::Snapshot snapshot = histogram->Read();
      for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
        const std::string bound =
            i < entry.bounds.size() ? FormatValue(entry.bounds[i]) : std::string("+Inf");
        line("_bucket", LabelText(entry.label_names, values, "le", bound),
             static_cast<double>(snapshot.cumulative[i]));
      }
      line("_sum", LabelText(entry.label_names, values), snapshot.sum);
      line("_count", LabelText(entry.label_names, values), static_cast<double>(snapshot.count));
    }
  }
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& [name, entry] : entries_) RenderEntry(*entry, out);
  return out;
}

}  // namespace preflight::metrics

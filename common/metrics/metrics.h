#pragma once

// Prometheus metrics for both services: counters, gauges and histograms with labels, and gauges
// computed when scraped, rendered in the text exposition format (version 0.0.4). Debian ships no
// Prometheus client for C++; this is the small part of one that the services need.

#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace preflight::metrics {

// Label values in the order of their family's label names.
using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void Increment(double by = 1);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: increasing upper bounds; +Inf is implied.
  explicit Histogram(const std::vector<double>* bounds);
  void Observe(double value);
  void ObserveDuration(absl::Duration duration) { Observe(absl::ToDoubleSeconds(duration)); }

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double>* const bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative, one per bound and +Inf
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 100 µs to 10 s.
const std::vector<double>& LatencyBuckets();

// A metric name with its label names; one child metric per distinct set of label values.
template <typename Metric>
class Family {
 public:
  // The child for `values` (one per label name), created on first use; the reference stays
  // valid as long as the registry. Callers on hot paths keep it.
  Metric& WithLabels(const LabelValues& values);

 private:
  friend class Registry;
  Family(size_t label_count, std::function<std::unique_ptr<Metric>()> make)
      : label_count_(label_count), make_(std::move(make)) {}

  const size_t label_count_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_ ABSL_GUARDED_BY(mu_);
};

// One sample of a gauge computed at scrape time.
struct Sample {
  LabelValues labels;
  double value = 0;
};

// All metrics of a process, and their rendering. Thread-safe. Families are registered at wiring
// time; registering a name again with the same type and labels returns the same family. Names
// follow Prometheus conventions (snake_case, unit suffix, counters `_total`).
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Family<Counter>& AddCounter(absl::string_view name, absl::string_view help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(absl::string_view name, absl::string_view help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(absl::string_view name, absl::string_view help,
                                  std::vector<std::string> label_names,
                                  std::vector<double> bounds = LatencyBuckets());
  // A gauge whose samples `collect` returns at each scrape (counts read from a store, a
  // subscriber's position). `collect` must be cheap or cache its answer.
  void AddCallbackGauge(absl::string_view name, absl::string_view help,
                        std::vector<std::string> label_names,
                        std::function<std::vector<Sample>()> collect);
  // The same for a counter kept elsewhere (the kernel's CPU time, a store's running total).
  void AddCallbackCounter(absl::string_view name, absl::string_view help,
                          std::vector<std::string> label_names,
                          std::function<std::vector<Sample>()> collect);

  // The text exposition format: HELP and TYPE lines, then the samples, families sorted by name.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Entry {
    std::string name;
    std::string help;
    Type type;
    std::vector<std::string> label_names;
    std::vector<double> bounds;
    std::unique_ptr<Family<Counter>> counters;
    std::unique_ptr<Family<Gauge>> gauges;
    std::unique_ptr<Family<Histogram>> histograms;
    std::function<std::vector<Sample>()> collect;
  };
  Entry& Add(absl::string_view name, absl::string_view help, Type type,
             std::vector<std::string> label_names) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void RenderEntry(const Entry& entry, std::string& out);

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
};

// ---- implementation of the template ----

template <typename Metric>
Metric& Family<Metric>::WithLabels(const LabelValues& values) {
  // One value per label name, always: a mismatch is a wiring bug.
  assert(values.size() == label_count_);
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Metric>& child = children_[values];
  if (child == nullptr) child = make_();
  return *child;
}

}  // namespace preflight::metrics

#include "common/metrics/metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersCountersGaugesAndCallbacksInTheTextFormat) {
  Registry registry;
  Family<Counter>& calls = registry.AddCounter("calls_total", "Calls made.", {"method", "code"});
  calls.WithLabels({"Get", "OK"}).Increment();
  calls.WithLabels({"Get", "OK"}).Increment(2);
  calls.WithLabels({"Get", "NOT_FOUND"}).Increment();
  registry.AddGauge("temperature_celsius", "Now.").WithLabels({}).Set(-1.5);
  registry.AddCallbackGauge("items", "Items by status.", {"status"}, [] {
    return std::vector<Sample>{{{"done"}, 3}, {{"open"}, 0}};
  });
  EXPECT_EQ(registry.Render(),
            "# HELP calls_total Calls made.\n"
            "# TYPE calls_total counter\n"
            "calls_total{method=\"Get\",code=\"NOT_FOUND\"} 1\n"
            "calls_total{method=\"Get\",code=\"OK\"} 3\n"
            "# HELP items Items by status.\n"
            "# TYPE items gauge\n"
            "items{status=\"done\"} 3\n"
            "items{status=\"open\"} 0\n"
            "# HELP temperature_celsius Now.\n"
            "# TYPE temperature_celsius gauge\n"
            "temperature_celsius -1.5\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  Histogram& seconds =
      registry.AddHistogram("wait_seconds", "Waits.", {"kind"}, {0.1, 1}).WithLabels({"a"});
  seconds.Observe(0.05);
  seconds.Observe(0.1);  // on the bound: counted in it
  seconds.Observe(0.5);
  seconds.Observe(7);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("wait_seconds_bucket{kind=\"a\",le=\"0.1\"} 2\n"
                              "wait_seconds_bucket{kind=\"a\",le=\"1\"} 3\n"
                              "wait_seconds_bucket{kind=\"a\",le=\"+Inf\"} 4\n"
                              "wait_seconds_sum{kind=\"a\"} 7.65\n"
                              "wait_seconds_count{kind=\"a\"} 4\n"));
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.AddCounter("odd_total", "Line\none \\ two.", {"value"})
      .WithLabels({"a\"b\\c\nd"})
      .Increment();
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP odd_total Line\\none \\\\ two.\n"));
  EXPECT_THAT(text, HasSubstr("odd_total{value=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(MetricsTest, CountersOnlyGoUpAndConcurrentIncrementsAllCount) {
  Registry registry;
  Counter& counter = registry.AddCounter("n_total", "N.").WithLabels({});
  counter.Increment(-5);
  EXPECT_EQ(counter.Value(), 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counter] {
      for (int i = 0; i < 10000; ++i) counter.Increment();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Value(), 40000);
}

}  // namespace
}  // namespace preflight::metrics

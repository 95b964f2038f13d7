// Queries across launches against the number of launches (issue 14, point 4): fills two stores
// of one tenant, with 100 and with 10,000 launches of the built-in 36-item template, about a fifth
// of them at risk, and times, per call, ListLaunches(at_risk_only), ListItems for one person
// (assignee filter) and ListItems(at_risk_only) across the tenant. Each is answered from the
// store's indexes (migration 4) and the stored at-risk bounds, verified on candidates only, so the
// time per call should not grow with the store: the ratio 10,000 / 100 is printed and should be
// near 1.
//
// The real LaunchService and SQLite store in a temporary folder (synchronous=OFF: fsync is not
// under test), a fixed clock, four writer threads so the fill shares transactions (group commit).
// Not a CTest test: `build-release/cross_launch_benchmark [--small=100] [--large=10000]
// [--calls=200] [--rounds=3]` (docs/benchmarks.md).

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/clock.h"

namespace preflight::checklist {
namespace {

int64_t Flag(int argc, char** argv, const std::string& name, int64_t fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    int64_t value = 0;
    if (arg.rfind(prefix, 0) == 0 && absl::SimpleAtoi(arg.substr(prefix.size()), &value)) {
      return value;
    }
  }
  return fallback;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cross_launch_benchmark: %s\n", what.c_str());
  std::exit(1);
}

// The person whose week is asked for works on a fixed number of launches, whatever the size of
// the tenant: a person's load does not grow with the company.
constexpr char kPerson[] = "bench.me";
constexpr int kPersonLaunches = 30;

absl::Time Noon(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), absl::FixedTimeZone(8 * 3600));
}

struct Store {
  explicit Store(int launches) : clock(Noon(2026, 9, 1)), testbed(&clock), size(launches) {
    if (!testbed.Open(testing::ChecklistTestbed::FastStore()).ok()) Die("cannot open a store");
    LaunchServiceLimits limits;
    // Room for the large store in one tenant.
    limits.max_launches_per_tenant = std::max(limits.max_launches_per_tenant, launches);
    service = testbed.NewService(nullptr, nullptr, limits);
  }

  // Creates the launches from four threads; every fifth has a target too close to make (at
  // risk), and the person's items are in the first kPersonLaunches.
  void Fill() {
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    const auto work = [&] {
      for (int i = next++; i < size; i = next++) {
        NewLaunch request = testing::ShopLaunch("acme");
        request.display_name = absl::StrCat("Launch ", i);
        request.owner = absl::StrCat("owner", i % 40);
        const absl::CivilDay today(2026, 9, 1);
        request.target_launch_date = i % 5 == 0 ? today + 20 + i % 10 : today + 150 + i % 200;
        request.profile.takes_payments = i % 2 == 0;
        absl::StatusOr<LaunchState> created = service->CreateLaunch(request, "", Actor{"bench"});
        if (!created.ok()) {
          std::fprintf(stderr, "CreateLaunch: %s\n", created.status().ToString().c_str());
          failed = true;
          return;
        }
        if (i < kPersonLaunches) {
          for (const char* code : {"BIZ", "ICP_FILING", "MP_ACCOUNT"}) {
            ItemPatch patch;
            patch.assignee = kPerson;
            if (!service->UpdateItem(created->launch.id, code, patch, std::nullopt, Actor{"bench"})
                     .ok()) {
              failed = true;
            }
          }
        }
      }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(work);
    for (std::thread& thread : threads) thread.join();
    if (failed) Die("filling the store failed");
  }

  FakeClock clock;
  testing::ChecklistTestbed testbed;
  std::unique_ptr<LaunchService> service;
  const int size;
};

// One query; returns how many results it got, so a wrong answer is seen.
using Query = int (*)(LaunchService& service);

int AtRiskLaunches(LaunchService& service) {
  LaunchListFilter filter;
  filter.store_filter.tenant = "acme";
  filter.at_risk_only = true;
  absl::StatusOr<LaunchPage> page = service.ListLaunches(filter, "", 10);
  if (!page.ok()) Die(std::string(page.status().message()));
  for (const LaunchState& state : page->launches) {
    if (!state.launch.schedule.at_risk) Die("a launch not at risk");
  }
  return static_cast<int>(page->launches.size());
}

int PersonsItems(LaunchService& service) {
  ItemListFilter filter;
  filter.store_filter.tenant = "acme";
  filter.store_filter.assignee = kPerson;
  absl::StatusOr<ItemPage> page = service.ListItems(filter, std::nullopt, 50);
  if (!page.ok()) Die(std::string(page.status().message()));
  return static_cast<int>(page->items.size());
}

int AtRiskItems(LaunchService& service) {
  ItemListFilter filter;
  filter.store_filter.tenant = "acme";
  filter.at_risk_only = true;
  absl::StatusOr<ItemPage> page = service.ListItems(filter, std::nullopt, 50);
  if (!page.ok()) Die(std::string(page.status().message()));
  for (const Item& item : page->items) {
    if (!item.schedule.at_risk) Die("an item not at risk");
  }
  return static_cast<int>(page->items.size());
}

// Median microseconds per call over `calls` calls.
double MicrosPerCall(LaunchService& service, Query query, int calls, int* results) {
  std::vector<double> times;
  times.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    const absl::Time start = absl::Now();
    *results = query(service);
    times.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string LoadAverage() {
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  if (file == nullptr) return "?";
  char buffer[64] = {};
  const size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
  std::fclose(file);
  std::string text(buffer, n);
  return text.substr(0, text.find(' ', text.find(' ', text.find(' ') + 1) + 1));
}

int Run(int argc, char** argv) {
  const int small = static_cast<int>(Flag(argc, argv, "small", 100));
  const int middle = static_cast<int>(Flag(argc, argv, "middle", 1000));
  const int large = static_cast<int>(Flag(argc, argv, "large", 10000));
  const int calls = static_cast<int>(Flag(argc, argv, "calls", 200));
  const int rounds = static_cast<int>(Flag(argc, argv, "rounds", 3));
  std::printf(
      "cross_launch_benchmark: A %d, M %d and B %d launches (36-item template, 1 in 5 "
      "at risk), median of %d calls, rounds A M B x %d\n",
      small, middle, large, calls, rounds);
  std::printf("load average before: %s\n", LoadAverage().c_str());

  Store a(small);
  Store m(middle);
  Store b(large);
  for (Store* store : {&a, &m, &b}) {
    const absl::Time start = absl::Now();
    store->Fill();
    // Two months on, with no write in between: launches and items have become at risk since
    // their bounds were stored, so the queries verify candidates rather than read flags.
    store->clock.SetTime(Noon(2026, 11, 2));
    std::printf("filled %d launches in %.1f s\n", store->size,
                absl::ToDoubleSeconds(absl::Now() - start));
  }

  struct Row {
    const char* name;
    Query query;
  };
  const Row rows[] = {{"ListLaunches(at_risk_only), page 10", &AtRiskLaunches},
                      {"ListItems(assignee), page 50", &PersonsItems},
                      {"ListItems(at_risk_only), page 50", &AtRiskItems}};
  std::printf("\n%-36s | %7s %7s %7s | %9s %9s %9s | %5s %5s\n", "query", "found A", "found M",
              "found B", "us/call A", "us/call M", "us/call B", "B/A", "B/M");
  for (const Row& row : rows) {
    Store* stores[] = {&a, &m, &b};
    double last[3] = {0, 0, 0};
    int found[3] = {0, 0, 0};
    std::vector<double> b_over_a;
    std::vector<double> b_over_m;
    // Warm the schedule cache and the page cache alike for all.
    for (int i = 0; i < 3; ++i) MicrosPerCall(*stores[i]->service, row.query, 5, &found[i]);
    for (int round = 0; round < rounds; ++round) {
      for (int i = 0; i < 3; ++i) {
        last[i] = MicrosPerCall(*stores[i]->service, row.query, calls, &found[i]);
      }
      b_over_a.push_back(last[2] / last[0]);
      b_over_m.push_back(last[2] / last[1]);
    }
    std::sort(b_over_a.begin(), b_over_a.end());
    std::sort(b_over_m.begin(), b_over_m.end());
    std::printf("%-36s | %7d %7d %7d | %9.0f %9.0f %9.0f | %5.2f %5.2f\n", row.name, found[0],
                found[1], found[2], last[0], last[1], last[2], b_over_a[b_over_a.size() / 2],
                b_over_m[b_over_m.size() / 2]);
  }
  std::printf("\n(B/A, B/M: medians over the rounds of the ratios of us/call.)\n");
  std::printf("load average after: %s\n", LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace preflight::checklist

int main(int argc, char** argv) { return preflight::checklist::Run(argc, argv); }

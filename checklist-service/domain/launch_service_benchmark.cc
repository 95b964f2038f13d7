// CPU cost of the checklist's use cases, without the transport and without fsync (the store runs
// with synchronous=OFF): what one GetLaunch or UpdateItem costs the domain and the store. Run it
// under `perf record -g` to see where a request's time goes; docs/performance.md has figures.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "checklist-service/domain/launch_service.h"
#include "checklist-service/testing/launch_service_testing.h"
#include "common/clock.h"

namespace preflight::checklist {
namespace {

struct Fixture {
  Fixture() : clock(absl::FromUnixSeconds(1795000000)), testbed(&clock) {
    if (!testbed.Open(testing::ChecklistTestbed::FastStore()).ok()) std::abort();
    service = testbed.NewService();
    launch_id = testing::CreateShopLaunch(*service);
    if (launch_id.empty()) std::abort();
  }
  FakeClock clock;
  testing::ChecklistTestbed testbed;
  std::unique_ptr<LaunchService> service;
  std::string launch_id;
};

void BM_GetLaunch(benchmark::State& state) {
  Fixture fixture;
  for (auto _ : state) {
    absl::StatusOr<LaunchState> launch = fixture.service->GetLaunch(fixture.launch_id);
    if (!launch.ok()) state.SkipWithError("GetLaunch failed");
    benchmark::DoNotOptimize(launch);
  }
}
BENCHMARK(BM_GetLaunch);

void BM_UpdateItemNotes(benchmark::State& state) {
  Fixture fixture;
  int64_t n = 0;
  for (auto _ : state) {
    ItemPatch patch;
    patch.notes = absl::StrCat("note ", ++n);
    absl::StatusOr<Item> item = fixture.service->UpdateItem(fixture.launch_id, "MP_ACCOUNT", patch,
                                                            std::nullopt, Actor{"bench"});
    if (!item.ok()) state.SkipWithError("UpdateItem failed");
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_UpdateItemNotes);

}  // namespace
}  // namespace preflight::checklist

// Costs of the two hot store paths: committing one item update with its event (durable,
// synchronous=FULL) and loading a launch with a template's worth of items.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "checklist-service/storage/legacy_json_codec.h"
#include "checklist-service/storage/snapshot_proto_codec.h"
#include "checklist-service/storage/sqlite_checklist_store.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

constexpr int kItems = 25;
constexpr char kLaunchId[] = "bench-launch";

std::unique_ptr<SqliteChecklistStore> OpenOrDie(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteChecklistStore>> store =
      SqliteChecklistStore::Open(path, SqliteChecklistStore::Options{});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    std::abort();
  }
  return *std::move(store);
}

Item MakeItem(int index) {
  Item item;
  item.launch_id = kLaunchId;
  item.code = absl::StrCat("ITEM_", index);
  item.title_en = absl::StrCat("Qualification number ", index);
  item.title_zh = "资质";
  item.group = "filing";
  item.duration = {v1::DAY_UNIT_WORKING_DAYS, 3, 10, 24};
  item.depends_on = {{absl::StrCat("ITEM_", index > 0 ? index - 1 : 0), 3}};
  item.source = "S4";
  item.notes = "Prepare the licence scan and the responsible person's ID.";
  item.schedule.latest_finish = absl::CivilDay(2026, 9, 1);
  item.schedule.projected_finish = absl::CivilDay(2026, 8, 14);
  return item;
}

// A launch with kItems items, created in one commit as the service does.
LaunchState SeedLaunch(SqliteChecklistStore& store) {
  LaunchState state;
  state.launch.id = kLaunchId;
  state.launch.tenant = "tenant";
  state.launch.display_name = "Benchmark launch";
  state.launch.owner = "owner@example.com";
  state.launch.target_launch_date = absl::CivilDay(2026, 9, 1);
  state.launch.template_id = "default";
  ChangeSet create;
  create.launch = state.launch;
  for (int i = 0; i < kItems; ++i) {
    state.items.push_back(MakeItem(i));
    create.items.push_back(state.items.back());
  }
  if (absl::StatusOr<std::vector<Event>> done = store.Commit(create); !done.ok()) {
    std::fprintf(stderr, "seed: %s\n", done.status().ToString().c_str());
    std::abort();
  }
  return state;
}

void BM_CommitItemUpdateWithEvent(benchmark::State& bench) {
  testing::TempDir dir;
  std::unique_ptr<SqliteChecklistStore> store = OpenOrDie(dir.Join("bench.db"));
  LaunchState state = SeedLaunch(*store);
  Item item = state.items[kItems / 2];
  for (auto _ : bench) {
    ++item.version;
    item.notes = absl::StrCat("revision ", item.version);
    ChangeSet change;
    change.items.push_back(item);
    Event event;
    event.type = EventType::kItemUpdated;
    event.tenant = state.launch.tenant;
    event.launch_id = kLaunchId;
    event.item_code = item.code;
    event.actor = "bench";
    event.summary = "notes changed";
    event.item = item;
    change.events.push_back(std::move(event));
    absl::StatusOr<std::vector<Event>> done = store->Commit(change);
    if (!done.ok()) {
      bench.SkipWithError(done.status().ToString().c_str());
      return;
    }
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_CommitItemUpdateWithEvent)->UseRealTime();

void BM_LoadLaunch25Items(benchmark::State& bench) {
  testing::TempDir dir;
  std::unique_ptr<SqliteChecklistStore> store = OpenOrDie(dir.Join("bench.db"));
  SeedLaunch(*store);
  for (auto _ : bench) {
    absl::StatusOr<LaunchState> loaded = store->LoadLaunch(kLaunchId);
    if (!loaded.ok() || loaded->items.size() != kItems) {
      bench.SkipWithError("LoadLaunch failed");
      return;
    }
    benchmark::DoNotOptimize(loaded);
  }
  bench.SetItemsProcessed(bench.iterations());
}
BENCHMARK(BM_LoadLaunch25Items)->UseRealTime();

// The codec's share of LoadLaunch: decoding one item payload (binary since schema 3).
void BM_DecodeItem(benchmark::State& bench) {
  const std::string payload = EncodeItem(MakeItem(7));
  for (auto _ : bench) {
    absl::StatusOr<Item> item = DecodeItem(payload);
    benchmark::DoNotOptimize(item);
  }
  bench.SetBytesProcessed(bench.iterations() * payload.size());
}
BENCHMARK(BM_DecodeItem);

// The same item as the JSON payload of schema 2 (legacy_json_codec.h), for comparison.
void BM_DecodeItemLegacyJson(benchmark::State& bench) {
  const std::string payload = legacy_json::EncodeItem(MakeItem(7));
  for (auto _ : bench) {
    absl::StatusOr<Item> item = legacy_json::DecodeItem(payload);
    benchmark::DoNotOptimize(item);
  }
  bench.SetBytesProcessed(bench.iterations() * payload.size());
}
BENCHMARK(BM_DecodeItemLegacyJson);

}  // namespace
}  // namespace preflight::checklist

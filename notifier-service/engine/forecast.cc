#include "notifier-service/engine/forecast.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace preflight::notifier {

absl::StatusOr<std::vector<ForecastEntry>> Forecast(NotifierStore* store,
                                                    const ReminderScheduler& scheduler,
                                                    const Router& router,
                                                    const ForecastQuery& query, absl::Time now) {
  std::vector<ForecastEntry> entries;
  std::string after_launch;
  std::string after_code;
  constexpr int kPage = 500;
  while (true) {
    absl::StatusOr<std::vector<ItemRecord>> records =
        store->ListScheduledItems(query.tenant, query.launch_id, after_launch, after_code, kPage);
    if (!records.ok()) return records.status();
    for (const ItemRecord& record : *records) {
      const ItemInfo& item = record.info;
      if (record.acknowledged_version != 0 && record.acknowledged_version >= item.version) {
        continue;
      }
      absl::StatusOr<std::optional<LaunchInfo>> launch = store->GetLaunch(item.launch_id);
      if (!launch.ok()) return launch.status();
      if (!launch->has_value()) continue;
      absl::StatusOr<std::vector<HandledRung>> handled =
          store->HandledRungs(item.launch_id, item.code);
      if (!handled.ok()) return handled.status();
      std::set<std::string> handled_ids;
      for (const HandledRung& rung : *handled) handled_ids.insert(rung.rung_id);

      std::vector<Rung> missed;
      std::vector<Rung> ahead;
      for (Rung& rung :
           scheduler.Plan(**launch, item, now - scheduler.catch_up_window(), now + query.horizon)) {
        if (handled_ids.count(rung.id) > 0) continue;
        (rung.send_time <= now ? missed : ahead).push_back(std::move(rung));
      }
      std::vector<std::pair<Rung, bool>> planned;  // rung, late
      if (!missed.empty()) {
        ReminderScheduler::CatchUpChoice choice =
            scheduler.ChooseCatchUp(**launch, std::move(missed), now);
        if (choice.send.has_value()) {
          Rung rung = *std::move(choice.send);
          rung.send_time = scheduler.NextSendable(**launch, now, rung.urgent);
          planned.emplace_back(std::move(rung), choice.late);
        }
      }
      for (Rung& rung : ahead) planned.emplace_back(std::move(rung), false);

      for (auto& [rung, late] : planned) {
        ForecastEntry entry;
        entry.send_time = rung.send_time;
        if (record.snoozed_until.has_value() && *record.snoozed_until > entry.send_time) {
          entry.send_time = scheduler.NextSendable(**launch, *record.snoozed_until, rung.urgent);
        }
        if (entry.send_time > now + query.horizon) continue;
        absl::StatusOr<std::vector<Route>> routes = router.RoutesFor(**launch, item, rung);
        if (!routes.ok()) return routes.status();
        if (!query.recipient_id.empty()) {
          routes->erase(std::remove_if(routes->begin(), routes->end(),
                                       [&](const Route& route) {
                                         return route.recipient.id != query.recipient_id ||
                                                route.recipient.tenant != query.recipient_tenant;
                                       }),
                        routes->end());
          if (routes->empty()) continue;
        }
        entry.launch = **launch;
        entry.item = item;
        entry.rung = std::move(rung);
        entry.late = late;
        entry.routes = *std::move(routes);
        entries.push_back(std::move(entry));
      }
    }
    if (static_cast<int>(records->size()) < kPage) break;
    after_launch = records->back().info.launch_id;
    after_code = records->back().info.code;
  }
  std::stable_sort(entries.begin(), entries.end(), ForecastBefore);
  return entries;
}

std::string ForecastLaunchKey(const ForecastEntry& entry) {
  if (entry.rung.kind == RungKind::kWeeklyDigest)
    return absl::StrCat("tenants/", entry.launch.tenant);
  return entry.item.launch_id;
}

bool ForecastBefore(const ForecastEntry& a, const ForecastEntry& b) {
  if (a.send_time != b.send_time) return a.send_time < b.send_time;
  const std::string a_launch = ForecastLaunchKey(a);
  const std::string b_launch = ForecastLaunchKey(b);
  if (a_launch != b_launch) return a_launch < b_launch;
  if (a.item.code != b.item.code) return a.item.code < b.item.code;
  return a.rung.id < b.rung.id;
}

}  // namespace preflight::notifier

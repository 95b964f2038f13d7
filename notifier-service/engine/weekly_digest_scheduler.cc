#include "notifier-service/engine/weekly_digest_scheduler.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "notifier-service/engine/dispatcher.h"

namespace preflight::notifier {
namespace {

// How often the managers are looked at when nothing falls due sooner.
constexpr absl::Duration kRescan = absl::Minutes(1);

std::string RungId(absl::CivilDay monday) {
  return absl::StrCat("weekly-digest:", FormatCivilDay(monday));
}

// The managers by tenant.
std::map<std::string, std::vector<Recipient>> ByTenant(std::vector<Recipient> managers) {
  std::map<std::string, std::vector<Recipient>> by_tenant;
  for (Recipient& manager : managers) by_tenant[manager.tenant].push_back(std::move(manager));
  return by_tenant;
}

}  // namespace

WeeklyDigestScheduler::WeeklyDigestScheduler(NotifierStore* store,
                                             const ReminderScheduler* scheduler,
                                             std::function<size_t(ChannelType)> max_text_bytes)
    : store_(store), scheduler_(scheduler), max_text_bytes_(std::move(max_text_bytes)) {}

std::string WeeklyDigestScheduler::DedupKey(absl::string_view tenant, absl::CivilDay monday,
                                            absl::string_view recipient, ChannelType channel) {
  return DeliveryDedupKey("weekly-digest", tenant, FormatCivilDay(monday), recipient, channel);
}

void WeeklyDigestScheduler::RecipientsChanged() {
  absl::MutexLock lock(&mu_);
  next_scan_ = absl::InfinitePast();
}

std::string WeeklyDigestScheduler::TimeZoneOrDefault(const std::string& name) const {
  absl::TimeZone zone;
  if (!name.empty() && absl::LoadTimeZone(name, &zone)) return name;
  return scheduler_->policy().default_time_zone_name;
}

absl::StatusOr<std::string> WeeklyDigestScheduler::TenantZoneName(absl::string_view tenant) {
  absl::StatusOr<std::vector<LaunchInfo>> launches = store_->ListTenantLaunches(tenant);
  if (!launches.ok()) return launches.status();
  // The zone most launches name; a tie goes to the first name in order.
  std::map<std::string, int> votes;
  for (const LaunchInfo& launch : *launches) ++votes[TimeZoneOrDefault(launch.time_zone)];
  std::string best = scheduler_->policy().default_time_zone_name;
  int most = 0;
  for (const auto& [name, count] : votes) {
    if (count > most) {
      best = name;
      most = count;
    }
  }
  return best;
}

std::optional<WeeklyDigestScheduler::TenantWeek> WeeklyDigestScheduler::WeekOf(
    const std::string& tenant, const std::string& zone_name, absl::CivilDay day) const {
  const std::optional<int> minute = scheduler_->policy().weekly_digest_minute_of_day;
  if (!minute.has_value()) return std::nullopt;
  const std::optional<absl::CivilDay> start = WorkingWeekStart(scheduler_->calendar(), day);
  if (!start.has_value()) return std::nullopt;
  TenantWeek week;
  week.tenant = tenant;
  week.zone_name = zone_name;
  absl::LoadTimeZone(zone_name, &week.zone);
  week.monday = WeekMonday(day);
  week.start = *start;
  week.send_time = absl::FromCivil(
      absl::CivilMinute(start->year(), start->month(), start->day(), *minute / 60, *minute % 60),
      week.zone);
  return week;
}

absl::StatusOr<WeeklyDigest> WeeklyDigestScheduler::Compose(const TenantWeek& week,
                                                            absl::CivilDay as_of) {
  absl::StatusOr<std::vector<LaunchInfo>> launches = store_->ListTenantLaunches(week.tenant);
  if (!launches.ok()) return launches.status();
  std::vector<DigestLaunchInput> inputs;
  inputs.reserve(launches->size());
  for (LaunchInfo& launch : *launches) {
    absl::StatusOr<std::vector<ItemRecord>> records = store_->ListLaunchItems(launch.launch_id);
    if (!records.ok()) return records.status();
    DigestLaunchInput input;
    input.launch = std::move(launch);
    for (ItemRecord& record : *records) input.items.push_back(std::move(record.info));
    inputs.push_back(std::move(input));
  }
  return ComposeWeeklyDigest(week.tenant, week.start, as_of, inputs, scheduler_->calendar());
}

absl::StatusOr<std::vector<Delivery>> WeeklyDigestScheduler::MakeDeliveries(
    const TenantWeek& week, const std::vector<Recipient>& managers, absl::Time send_time, bool late,
    absl::Time now, bool include_decided) {
  std::vector<Delivery> deliveries;
  std::optional<WeeklyDigest> digest;  // composed only when some delivery needs it
  for (const Recipient& manager : managers) {
    const std::string recipient = RecipientKeyText(manager.tenant, manager.id);
    for (const RecipientChannel& channel : manager.channels) {
      std::string key = DedupKey(week.tenant, week.monday, recipient, channel.type);
      if (!include_decided) {
        absl::StatusOr<bool> exists = store_->DeliveryExists(key);
        if (!exists.ok()) return exists.status();
        if (*exists) continue;
      }
      if (!digest.has_value()) {
        // As of the day it goes out: a late digest says what is true then.
        absl::StatusOr<WeeklyDigest> composed =
            Compose(week, absl::ToCivilDay(send_time, week.zone));
        if (!composed.ok()) return composed.status();
        digest = *std::move(composed);
      }
      const size_t limit =
          std::min<size_t>(max_text_bytes_(channel.type),
                           scheduler_->policy().LimitFor(channel.type).max_text_bytes);
      const RenderedMessage message = RenderWeeklyDigest(*digest, manager.language, limit);
      Delivery delivery;
      delivery.dedup_key = std::move(key);
      delivery.tenant = week.tenant;
      delivery.rung_id = RungId(week.monday);
      delivery.kind = RungKind::kWeeklyDigest;
      delivery.recipient_tenant = manager.tenant;
      delivery.recipient_id = manager.id;
      delivery.reason = "manager";
      delivery.channel = channel.type;
      delivery.target = channel.target;
      delivery.secret_ref = channel.secret_ref;
      delivery.subject = message.subject;
      delivery.text = message.text;
      delivery.markdown = message.markdown;
      delivery.data_json = message.data_json;
      delivery.late = late;
      delivery.create_time = now;
      delivery.update_time = now;
      delivery.next_attempt_time = send_time;
      deliveries.push_back(std::move(delivery));
    }
  }
  return deliveries;
}

absl::StatusOr<int> WeeklyDigestScheduler::RunOnce(absl::Time now) {
  if (!scheduler_->policy().weekly_digest_minute_of_day.has_value()) return 0;
  if (ready_ && !ready_()) return 0;
  {
    absl::MutexLock lock(&mu_);
    if (now < next_scan_) return 0;
  }
  absl::StatusOr<std::vector<Recipient>> managers = store_->ListManagers();
  if (!managers.ok()) return managers.status();
  absl::Time next_scan = now + kRescan;
  int created = 0;
  for (const auto& [tenant, tenant_managers] : ByTenant(*std::move(managers))) {
    absl::StatusOr<std::string> zone_name = TenantZoneName(tenant);
    if (!zone_name.ok()) return zone_name.status();
    absl::TimeZone zone;
    absl::LoadTimeZone(*zone_name, &zone);
    const absl::CivilDay today = absl::ToCivilDay(now, zone);
    std::optional<TenantWeek> week = WeekOf(tenant, *zone_name, today);
    if (!week.has_value() || now < week->send_time) {
      if (week.has_value()) next_scan = std::min(next_scan, week->send_time);
      continue;
    }
    // Due, or missed earlier this week: out at once, or at the end of quiet hours if that is
    // still this week; a digest that could only go next week is skipped.
    LaunchInfo where;
    where.tenant = tenant;
    where.time_zone = *zone_name;
    const absl::Time send_time = scheduler_->NextSendable(where, now, /*urgent=*/false);
    if (absl::ToCivilDay(send_time, zone) > WeekMonday(today) + 6) continue;
    const bool late = now - week->send_time > scheduler_->policy().late_after;
    absl::StatusOr<std::vector<Delivery>> deliveries =
        MakeDeliveries(*week, tenant_managers, send_time, late, now, /*include_decided=*/false);
    if (!deliveries.ok()) return deliveries.status();
    if (deliveries->empty()) continue;
    Decision decision;
    decision.deliveries = *std::move(deliveries);
    absl::StatusOr<std::vector<Delivery>> inserted = store_->CommitDecision(decision);
    if (!inserted.ok()) return inserted.status();
    created += static_cast<int>(inserted->size());
  }
  absl::MutexLock lock(&mu_);
  next_scan_ = std::max(next_scan_, next_scan);
  return created;
}

absl::StatusOr<std::vector<ForecastEntry>> WeeklyDigestScheduler::Forecast(
    const ForecastQuery& query, absl::Time now) {
  std::vector<ForecastEntry> entries;
  if (!scheduler_->policy().weekly_digest_minute_of_day.has_value()) return entries;
  std::string tenant_filter = query.tenant;
  if (!query.launch_id.empty()) {
    absl::StatusOr<std::optional<LaunchInfo>> launch = store_->GetLaunch(query.launch_id);
    if (!launch.ok()) return launch.status();
    if (!launch->has_value()) return entries;
    if (!tenant_filter.empty() && tenant_filter != (*launch)->tenant) return entries;
    tenant_filter = (*launch)->tenant;
  }
  absl::StatusOr<std::vector<Recipient>> managers = store_->ListManagers();
  if (!managers.ok()) return managers.status();
  const absl::Time until = now + query.horizon;
  for (auto& [tenant, tenant_managers] : ByTenant(*std::move(managers))) {
    if (!tenant_filter.empty() && tenant != tenant_filter) continue;
    if (!query.recipient_id.empty()) {
      tenant_managers.erase(std::remove_if(tenant_managers.begin(), tenant_managers.end(),
                                           [&](const Recipient& manager) {
                                             return manager.id != query.recipient_id ||
                                                    manager.tenant != query.recipient_tenant;
                                           }),
                            tenant_managers.end());
      if (tenant_managers.empty()) continue;
    }
    absl::StatusOr<std::string> zone_name = TenantZoneName(tenant);
    if (!zone_name.ok()) return zone_name.status();
    absl::TimeZone zone;
    absl::LoadTimeZone(*zone_name, &zone);
    LaunchInfo where;
    where.tenant = tenant;
    where.time_zone = *zone_name;
    const absl::CivilDay today = absl::ToCivilDay(now, zone);
    const absl::CivilDay last_day = absl::ToCivilDay(until, zone);
    for (absl::CivilDay monday = WeekMonday(today); monday <= last_day; monday += 7) {
      std::optional<TenantWeek> week = WeekOf(tenant, *zone_name, monday);
      if (!week.has_value()) continue;
      if (week->send_time >= until) break;
      absl::Time send_time = week->send_time;
      bool late = false;
      std::vector<Delivery> deliveries;
      if (send_time <= now) {
        // This week's digest, if not all of it is in the ledger yet: as RunOnce would send it.
        send_time = scheduler_->NextSendable(where, now, /*urgent=*/false);
        if (absl::ToCivilDay(send_time, zone) > monday + 6) continue;
        late = now - week->send_time > scheduler_->policy().late_after;
        absl::StatusOr<std::vector<Delivery>> made =
            MakeDeliveries(*week, tenant_managers, send_time, late, now, false);
        if (!made.ok()) return made.status();
        deliveries = *std::move(made);
      } else {
        absl::StatusOr<std::vector<Delivery>> made =
            MakeDeliveries(*week, tenant_managers, send_time, false, now, true);
        if (!made.ok()) return made.status();
        deliveries = *std::move(made);
      }
      if (deliveries.empty()) continue;
      ForecastEntry entry;
      entry.launch = where;
      entry.item.title_zh = "每周摘要";
      entry.item.title_en = "Weekly digest";
      entry.rung.id = RungId(monday);
      entry.rung.kind = RungKind::kWeeklyDigest;
      entry.rung.deadline = week->start;
      entry.rung.send_time = week->send_time;
      entry.send_time = send_time;
      entry.late = late;
      for (const Delivery& delivery : deliveries) {
        Route route;
        for (const Recipient& manager : tenant_managers) {
          if (manager.id == delivery.recipient_id) route.recipient = manager;
        }
        route.channel.type = delivery.channel;
        route.channel.target = delivery.target;
        route.reason = "manager";
        route.text = delivery.text;
        entry.routes.push_back(std::move(route));
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace preflight::notifier

#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/domain/weekly_digest.h"
#include "notifier-service/engine/forecast.h"
#include "notifier-service/engine/reminder_scheduler.h"

namespace preflight::notifier {

// Sends each tenant's managers (RecipientRole::kManager) one weekly digest per channel, at the
// policy's weekly_digest_time on the first working day of the tenant's week (WorkingWeekStart),
// in the tenant's zone: the zone most of its launches name, else the policy's default zone.
//
// Each digest is a delivery in the same ledger as every reminder, with the dedup key
// "weekly-digest/{tenant}/{monday}/{recipient}/{channel}": deciding it twice (a restart, an
// event replay, a second pass) inserts nothing, and once decided the delivery worker's lease,
// retries and crash recovery apply to it like to any other. A digest whose time passed while the
// notifier was down is sent late, once, on the next pass of the same week (deferred out of quiet
// hours); a week missed whole is skipped, since next week's digest says what is still true.
// A digest with nothing to report is still sent and says so.
class WeeklyDigestScheduler {
 public:
  // `max_text_bytes` gives the largest message text of a channel type.
  WeeklyDigestScheduler(NotifierStore* store, const ReminderScheduler* scheduler,
                        std::function<size_t(ChannelType)> max_text_bytes);

  // Decides every digest whose time has come at `now` and is not in the ledger yet. Returns how
  // many deliveries it created. Looks at the managers at most once a minute unless told of a
  // change (RecipientsChanged) or a digest time falls due sooner.
  absl::StatusOr<int> RunOnce(absl::Time now);
  // A recipient was created, changed or deleted: look again on the next pass.
  void RecipientsChanged();
  // Digests are decided only while `ready` says so: the service sets it to "caught up with the
  // checklist's event stream", so a digest decided just after a start never reads a picture the
  // stream has not brought up to date. Unset: always ready. Set before the first RunOnce.
  void SetReadiness(std::function<bool()> ready) { ready_ = std::move(ready); }

  // The digests the scheduler will send in [now, now + horizon), including one due now and not
  // decided yet, as forecast entries (kind kWeeklyDigest, no item; each route's `text` is the
  // digest as composed now for that recipient and channel). Filters: the query's tenant, its
  // launch's tenant, its recipient.
  absl::StatusOr<std::vector<ForecastEntry>> Forecast(const ForecastQuery& query, absl::Time now);

  // "weekly-digest/{tenant}/{monday}/{recipient}/{channel}".
  static std::string DedupKey(absl::string_view tenant, absl::CivilDay monday,
                              absl::string_view recipient, ChannelType channel);

 private:
  struct TenantWeek {
    std::string tenant;
    absl::TimeZone zone;
    std::string zone_name;
    // The Monday that names the week and its first working day.
    absl::CivilDay monday;
    absl::CivilDay start;
    absl::Time send_time;
  };

  absl::StatusOr<std::string> TenantZoneName(absl::string_view tenant);
  // The week of `day` in the tenant's zone; nullopt when it has no working weekday.
  std::optional<TenantWeek> WeekOf(const std::string& tenant, const std::string& zone_name,
                                   absl::CivilDay day) const;
  absl::StatusOr<WeeklyDigest> Compose(const TenantWeek& week, absl::CivilDay as_of);
  // The deliveries of `week` to `managers` whose keys are not taken yet (all of them with
  // `include_decided`), rendered, to go out at `send_time`.
  absl::StatusOr<std::vector<Delivery>> MakeDeliveries(const TenantWeek& week,
                                                       const std::vector<Recipient>& managers,
                                                       absl::Time send_time, bool late,
                                                       absl::Time now, bool include_decided);
  std::string TimeZoneOrDefault(const std::string& name) const;

  NotifierStore* const store_;
  const ReminderScheduler* const scheduler_;
  const std::function<size_t(ChannelType)> max_text_bytes_;
  std::function<bool()> ready_;
  absl::Mutex mu_;
  absl::Time next_scan_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace preflight::notifier

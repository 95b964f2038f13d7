#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "common/sqlite/group_writer.h"
#include "common/sqlite/reader_writer.h"
#include "common/sqlite/sqlite_options.h"
#include "notifier-service/domain/notifier_store.h"

namespace preflight::notifier {

// NotifierStore in one SQLite file (WAL), through a SqliteReaderWriter: writes go through a
// single connection, each one IMMEDIATE transaction; reads use a second, read-only connection,
// so a read never waits for a commit's fsync. Every SQLite failure comes back as a status (see
// SqliteErrorToStatus); nothing throws. This class is the facade: it names each operation and
// sets its transaction; the SQL of each concern is in the *_sql.h files beside it.
//
// Beyond the interface's contract:
// - ApplyEvents skips listed deliveries that are unknown or no longer PENDING.
// - CommitDecision for an item the store does not know still records the rungs and deliveries
//   (test notifications are about no real item); there is no next check to update.
// - The ledger entry written by RecordAttempt carries each delivery's own attempt count (the
//   lease counted it), so the deliveries of one digest keep their own numbering.
// - UpdateRecipient keeps the stored create_time; UpdateRecipient of an unknown id is NOT_FOUND.
// - An inbox message for a delivery that already has one is ignored (a resend after a lost
//   outcome must not show twice).
class SqliteNotifierStore final : public NotifierStore {
 public:
  using Options = SqliteOptions;

  // Opens or creates the database at `path` (a file: the two connections must share it) and
  // applies pending schema migrations. FAILED_PRECONDITION when the file was written by a newer
  // schema, or is opened read-only before being migrated. `clock` (the real clock when null;
  // must outlive the store) dates the cancellations ApplyEvents writes.
  static absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> Open(const std::string& path,
                                                                   Options options,
                                                                   const Clock* clock = nullptr);

  ~SqliteNotifierStore() override;
  SqliteNotifierStore(const SqliteNotifierStore&) = delete;
  SqliteNotifierStore& operator=(const SqliteNotifierStore&) = delete;

  absl::StatusOr<int64_t> AppliedSequence() override;
  absl::StatusOr<std::string> StreamLogEpoch() override;
  absl::Status SetStreamLogEpoch(absl::string_view epoch) override;
  absl::Status ResetStream() override;
  absl::Status ApplyEvents(absl::Span<const EventEffects> batch) override;

  absl::StatusOr<std::optional<LaunchInfo>> GetLaunch(absl::string_view launch_id) override;
  absl::StatusOr<std::vector<LaunchInfo>> ListTenantLaunches(absl::string_view tenant) override;
  absl::StatusOr<bool> DeliveryExists(absl::string_view dedup_key) override;
  absl::StatusOr<std::vector<Recipient>> ListManagers() override;
  absl::StatusOr<std::optional<ItemRecord>> GetItem(absl::string_view launch_id,
                                                    absl::string_view code) override;
  absl::StatusOr<std::vector<ItemRecord>> ListLaunchItems(absl::string_view launch_id) override;
  absl::StatusOr<std::vector<ItemRecord>> ItemsToCheck(absl::Time now, int limit) override;
  absl::StatusOr<std::vector<ItemRecord>> ListScheduledItems(absl::string_view tenant,
                                                             absl::string_view launch_id,
                                                             absl::string_view after_launch_id,
                                                             absl::string_view after_code,
                                                             int limit) override;
  absl::Status UpdateItemControls(const ItemRecord& record) override;
  absl::StatusOr<std::vector<HandledRung>> HandledRungs(absl::string_view launch_id,
                                                        absl::string_view code) override;

  absl::StatusOr<std::vector<Delivery>> CommitDecision(const Decision& decision) override;
  std::vector<absl::StatusOr<std::vector<Delivery>>> CommitDecisions(
      const std::vector<Decision>& decisions) override;
  absl::StatusOr<std::vector<Delivery>> PendingDeliveriesOfItem(absl::string_view launch_id,
                                                                absl::string_view code) override;
  absl::StatusOr<std::vector<Delivery>> DueDeliveries(absl::Time now, int limit) override;
  absl::StatusOr<std::vector<Delivery>> DeliveriesInState(DeliveryState state, int limit) override;
  absl::StatusOr<int> LeaseDeliveries(const std::vector<int64_t>& ids, absl::string_view unit_key,
                                      absl::Time now) override;
  absl::Status RecordAttempt(const AttemptOutcome& outcome) override;
  absl::Status ReleaseLease(const std::vector<int64_t>& ids, absl::Time next_attempt_time) override;
  absl::Status DeferPendingDeliveries(ChannelType channel, absl::string_view target,
                                      absl::Time until) override;
  absl::StatusOr<std::vector<Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                       int64_t before_id, int limit) override;
  absl::StatusOr<std::optional<Delivery>> GetDelivery(int64_t id) override;

  absl::Status CreateRecipient(const Recipient& recipient) override;
  absl::StatusOr<std::optional<Recipient>> GetRecipient(absl::string_view tenant,
                                                        absl::string_view id) override;
  absl::StatusOr<std::vector<Recipient>> ListRecipients(absl::string_view tenant,
                                                        absl::string_view after_tenant,
                                                        absl::string_view after_id,
                                                        int limit) override;
  absl::StatusOr<std::vector<Recipient>> SubscribersOf(absl::string_view tenant,
                                                       absl::string_view launch_id) override;
  absl::Status UpdateRecipient(const Recipient& recipient) override;
  absl::Status DeleteRecipient(absl::string_view tenant, absl::string_view id,
                               std::optional<int64_t> expected_version) override;

  absl::StatusOr<std::vector<InboxMessage>> ListInbox(absl::string_view tenant,
                                                      absl::string_view id, int64_t before_id,
                                                      int limit) override;
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override;

  absl::StatusOr<std::vector<DeliveryCount>> CountDeliveries() override;
  absl::StatusOr<int64_t> CountScheduledItems() override;
  absl::StatusOr<std::optional<absl::Time>> NextDueTime() override;

 private:
  SqliteNotifierStore(std::unique_ptr<SqliteReaderWriter> db, const Clock* clock);

  const std::unique_ptr<SqliteReaderWriter> db_;
  // Leases and outcomes, written by many send lanes at once: one fsync for those that coincide.
  SqliteGroupWriter grouped_;
  const Clock* const clock_;
};

}  // namespace preflight::notifier

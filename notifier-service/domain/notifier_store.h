#pragma once

// Durable state of the notifier: its cursor in the checklist's event stream, what it knows of
// launches and items, each item's reminder controls, the rungs it has handled, deliveries, the
// append-only delivery ledger, recipients and inboxes. Every method that changes state runs in
// one transaction: it is wholly durable when it returns OK, or not made at all.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "notifier-service/domain/delivery.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier {

// An item with the notifier's own controls over its ladder.
struct ItemRecord {
  ItemInfo info;
  // Earliest time a rung may be due: the dispatcher looks at the item again then. Absent when
  // nothing is planned (done, acknowledged, no dates).
  std::optional<absl::Time> next_check_time;
  // Reminders are held until then.
  std::optional<absl::Time> snoozed_until;
  // The item version the ladder was acknowledged at; 0 when not acknowledged. The ladder resumes
  // when the item's version moves past it.
  int64_t acknowledged_version = 0;
};

// A rung the dispatcher has dealt with: sent, or skipped in a catch-up. Never handled twice.
struct HandledRung {
  std::string launch_id;
  std::string item_code;
  std::string rung_id;
  // "sent", "skipped", "acknowledged".
  std::string outcome;
  absl::Time time = absl::UnixEpoch();
};

// The effects of one checklist event, committed with the cursor.
struct EventEffects {
  // The event's sequence: becomes the applied sequence.
  int64_t sequence = 0;
  std::optional<LaunchInfo> launch;
  // Items written whole (info and controls).
  std::vector<ItemRecord> items;
  // Rungs to record as handled without sending (missed while the ladder was acknowledged).
  std::vector<HandledRung> handled;
  // Pending deliveries the change made wrong (done, moved, reassigned): cancelled with a ledger
  // entry carrying `cancel_reason`.
  std::vector<int64_t> cancel_delivery_ids;
  std::string cancel_reason;
};

// What the dispatcher decided for one item at one moment.
struct Decision {
  std::string launch_id;
  std::string item_code;
  std::vector<HandledRung> handled;
  // Inserted unless a delivery with the same dedup key exists (then silently skipped).
  std::vector<Delivery> deliveries;
  // The item's controls after the decision.
  std::optional<absl::Time> next_check_time;
};

struct DeliveryFilter {
  std::string tenant;
  std::string launch_id;
  std::string item_code;  // with launch_id
  std::string recipient_id;
  std::optional<DeliveryState> state;
  std::optional<ChannelType> channel;
  // With recipient_id: the recipient's tenant ("" for a tenant-less recipient).
  std::string recipient_tenant;
};

struct InboxMessage {
  int64_t id = 0;
  std::string recipient_id;
  int64_t delivery_id = 0;
  std::string subject;
  std::string body;
  absl::Time create_time = absl::UnixEpoch();
  // The recipient's tenant ("" for a tenant-less recipient), with recipient_id.
  std::string recipient_tenant;
  // Read from the delivery when listing (not stored with the message): the item it was about,
  // empty for a test message.
  std::string launch_id;
  std::string item_code;
};

// What a send attempt came to, for a set of deliveries sent as one message.
struct AttemptOutcome {
  std::vector<int64_t> delivery_ids;
  DeliveryState new_state = DeliveryState::kDelivered;
  // For kPending (a retry): when to try again.
  absl::Time next_attempt_time = absl::UnixEpoch();
  DeliveryAttempt attempt;
  // For inbox deliveries: the messages to store in the same transaction.
  std::vector<InboxMessage> inbox;
};

// How many deliveries are in one state on one channel (for the metrics).
struct DeliveryCount {
  DeliveryState state = DeliveryState::kPending;
  ChannelType channel = ChannelType::kLog;
  int64_t count = 0;
};

class NotifierStore {
 public:
  virtual ~NotifierStore() = default;

  // ---- The event stream -------------------------------------------------------------------------
  // The last applied sequence; 0 at first start.
  virtual absl::StatusOr<int64_t> AppliedSequence() = 0;
  // The checklist's log epoch the applied sequence belongs to; empty until a stream named one.
  virtual absl::StatusOr<std::string> StreamLogEpoch() = 0;
  // Records the epoch a stream that accepted the cursor named.
  virtual absl::Status SetStreamLogEpoch(absl::string_view epoch) = 0;
  // Forgets the event stream, to read the checklist's log again from 0 after it was restored to
  // an earlier point: the cursor, its epoch and what the notifier knows of launches and items.
  // Deliveries, the ledger, the rungs already handled, recipients and inboxes stay, so no
  // reminder in the ledger is sent again.
  virtual absl::Status ResetStream() = 0;
  // Commits the effects of consecutive events in one transaction, in order, and advances the
  // cursor to the last one's sequence: all of them or none. FAILED_PRECONDITION (nothing
  // written) when the sequences do not rise above the applied sequence and each other.
  virtual absl::Status ApplyEvents(absl::Span<const EventEffects> batch) = 0;
  absl::Status ApplyEvent(const EventEffects& effects) {
    return ApplyEvents(absl::MakeConstSpan(&effects, 1));
  }

  // ---- Launches and items -----------------------------------------------------------------------
  virtual absl::StatusOr<std::optional<LaunchInfo>> GetLaunch(absl::string_view launch_id) = 0;
  // The launches of one tenant, by id (the weekly digest's view of the tenant).
  virtual absl::StatusOr<std::vector<LaunchInfo>> ListTenantLaunches(absl::string_view tenant) = 0;
  virtual absl::StatusOr<std::optional<ItemRecord>> GetItem(absl::string_view launch_id,
                                                            absl::string_view code) = 0;
  // Items of one launch, by code.
  virtual absl::StatusOr<std::vector<ItemRecord>> ListLaunchItems(absl::string_view launch_id) = 0;
  // Items whose next_check_time is at or before `now`, earliest first, at most `limit`.
  virtual absl::StatusOr<std::vector<ItemRecord>> ItemsToCheck(absl::Time now, int limit) = 0;
  // Items with a next_check_time, in (launch_id, code) order after the given key, for the
  // forecast; filters are optional.
  virtual absl::StatusOr<std::vector<ItemRecord>> ListScheduledItems(
      absl::string_view tenant, absl::string_view launch_id, absl::string_view after_launch_id,
      absl::string_view after_code, int limit) = 0;
  // Sets an item's snooze, acknowledgement and next check (the info stays as the stream left it).
  // NOT_FOUND for an unknown item.
  virtual absl::Status UpdateItemControls(const ItemRecord& record) = 0;
  // The rungs of an item already handled.
  virtual absl::StatusOr<std::vector<HandledRung>> HandledRungs(absl::string_view launch_id,
                                                                absl::string_view code) = 0;

  // ---- Deliveries -------------------------------------------------------------------------------
  // Records handled rungs, inserts the deliveries (dedup by key) and updates the item's next
  // check, in one transaction. Returns the deliveries actually inserted, with their ids.
  virtual absl::StatusOr<std::vector<Delivery>> CommitDecision(const Decision& decision) = 0;
  // CommitDecision for each, in order, each all or nothing with its own result; a store that can
  // share one transaction among them overrides this.
  virtual std::vector<absl::StatusOr<std::vector<Delivery>>> CommitDecisions(
      const std::vector<Decision>& decisions) {
    std::vector<absl::StatusOr<std::vector<Delivery>>> results;
    results.reserve(decisions.size());
    for (const Decision& decision : decisions) results.push_back(CommitDecision(decision));
    return results;
  }
  // Pending deliveries of one item (to cancel when the item changes).
  virtual absl::StatusOr<std::vector<Delivery>> PendingDeliveriesOfItem(absl::string_view launch_id,
                                                                        absl::string_view code) = 0;
  // Pending deliveries whose next attempt is due at `now`, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<Delivery>> DueDeliveries(absl::Time now, int limit) = 0;
  // The deliveries in one state (SENDING at start-up: those a crash interrupted).
  virtual absl::StatusOr<std::vector<Delivery>> DeliveriesInState(DeliveryState state,
                                                                  int limit) = 0;
  // Marks the deliveries SENDING, increments their attempts and sets their unit key, before the
  // send, and returns the attempt number this lease starts (the first delivery's new count).
  // FAILED_PRECONDITION (nothing written) if any of them is no longer PENDING or not yet due at
  // `now`: a pass working from an older read must not send a retry early or twice.
  virtual absl::StatusOr<int> LeaseDeliveries(const std::vector<int64_t>& ids,
                                              absl::string_view unit_key, absl::Time now) = 0;
  // Undoes a lease whose send never started (the endpoint said Retry-After meanwhile): the
  // deliveries are PENDING again from `next_attempt_time`, with the attempt count they had and no
  // ledger entry. Only deliveries still SENDING change.
  virtual absl::Status ReleaseLease(const std::vector<int64_t>& ids,
                                    absl::Time next_attempt_time) = 0;
  // Records an attempt's outcome: new state, the ledger entry for each delivery, inbox messages.
  virtual absl::Status RecordAttempt(const AttemptOutcome& outcome) = 0;
  // Moves the next attempt of every PENDING delivery to `channel` + `target` that is due before
  // `until` to `until` (the endpoint asked to be left alone until then, with Retry-After).
  virtual absl::Status DeferPendingDeliveries(ChannelType channel, absl::string_view target,
                                              absl::Time until) = 0;
  // Newest first; ids below `before_id` (0: from the newest), at most `limit`, with history.
  virtual absl::StatusOr<std::vector<Delivery>> ListDeliveries(const DeliveryFilter& filter,
                                                               int64_t before_id, int limit) = 0;
  virtual absl::StatusOr<std::optional<Delivery>> GetDelivery(int64_t id) = 0;
  // Whether a delivery with this dedup key was ever decided (in any state).
  virtual absl::StatusOr<bool> DeliveryExists(absl::string_view dedup_key) = 0;

  // ---- Recipients -------------------------------------------------------------------------------
  // A recipient is its (tenant, id): the same id in two tenants, or in a tenant and tenant-less
  // (tenant ""), names different recipients.
  // ALREADY_EXISTS for a (tenant, id) that is taken.
  virtual absl::Status CreateRecipient(const Recipient& recipient) = 0;
  virtual absl::StatusOr<std::optional<Recipient>> GetRecipient(absl::string_view tenant,
                                                                absl::string_view id) = 0;
  // By (tenant, id) after (`after_tenant`, `after_id`); `tenant` empty lists all.
  virtual absl::StatusOr<std::vector<Recipient>> ListRecipients(absl::string_view tenant,
                                                                absl::string_view after_tenant,
                                                                absl::string_view after_id,
                                                                int limit) = 0;
  // Recipients subscribed to "tenants/{tenant}" or "launches/{launch_id}".
  virtual absl::StatusOr<std::vector<Recipient>> SubscribersOf(absl::string_view tenant,
                                                               absl::string_view launch_id) = 0;
  // Every tenant's managers (RecipientRole::kManager), by (tenant, id).
  virtual absl::StatusOr<std::vector<Recipient>> ListManagers() = 0;
  // Writes (recipient.tenant, recipient.id) only if its stored version is recipient.version - 1,
  // else ABORTED.
  virtual absl::Status UpdateRecipient(const Recipient& recipient) = 0;
  // NOT_FOUND when absent; ABORTED when `expected_version` is set and differs.
  virtual absl::Status DeleteRecipient(absl::string_view tenant, absl::string_view id,
                                       std::optional<int64_t> expected_version) = 0;

  // ---- Inbox and secrets ------------------------------------------------------------------------
  // The inbox of recipient (`tenant`, `id`), newest first, ids below `before_id` (0: from the
  // newest).
  virtual absl::StatusOr<std::vector<InboxMessage>> ListInbox(absl::string_view tenant,
                                                              absl::string_view id,
                                                              int64_t before_id, int limit) = 0;
  // A random secret kept in the database under `name`, created on first use.
  virtual absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) = 0;

  // ---- Counts for the metrics (each reads a whole table: callers cache them) --------------------
  // Deliveries by state and channel; combinations with none are left out.
  virtual absl::StatusOr<std::vector<DeliveryCount>> CountDeliveries() = 0;
  // Items whose reminder ladder has a rung still to come (a next check is planned).
  virtual absl::StatusOr<int64_t> CountScheduledItems() = 0;
  // The earliest time something falls due: an item's next check or a pending delivery's next
  // attempt (possibly in the past); nullopt when nothing is planned. The engine sleeps until then.
  virtual absl::StatusOr<std::optional<absl::Time>> NextDueTime() = 0;
};

}  // namespace preflight::notifier

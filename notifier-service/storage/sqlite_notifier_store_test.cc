#include "notifier-service/storage/sqlite_notifier_store.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/storage/notifier_migrations.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsOkAndAbsent;
using testing::IsOkAndHolds;
using ::testing::Optional;

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

LaunchInfo MakeLaunch(const std::string& id, const std::string& tenant = "acme") {
  LaunchInfo launch;
  launch.launch_id = id;
  launch.tenant = tenant;
  launch.display_name = absl::StrCat("Launch ", id, " 小程序");
  launch.owner = "olivia";
  launch.time_zone = "Asia/Shanghai";
  launch.target_launch_date = absl::CivilDay(2026, 6, 1);
  launch.went_live_date = std::nullopt;
  launch.version = 3;
  return launch;
}

ItemRecord MakeItem(const std::string& launch_id, const std::string& code,
                    std::optional<absl::Time> next_check = std::nullopt) {
  ItemRecord record;
  record.info.launch_id = launch_id;
  record.info.code = code;
  record.info.title_en = absl::StrCat("Title of ", code);
  record.info.title_zh = "ICP 备案";
  record.info.status = "IN_PROGRESS";
  record.info.done = false;
  record.info.assignee = "alice";
  record.info.version = 4;
  record.info.latest_start = absl::CivilDay(2026, 2, 3);
  record.info.due = absl::CivilDay(2026, 3, 10);
  record.info.post_launch = true;
  record.info.expiry = std::nullopt;
  record.info.started = true;
  record.info.renewal_days = {60, 30, 7};
  record.info.approved = absl::CivilDay(2026, 1, 20);
  record.next_check_time = next_check;
  record.snoozed_until = kT0 + absl::Hours(5);
  record.acknowledged_version = 2;
  return record;
}

Delivery MakeDelivery(const std::string& key, const std::string& launch_id = "L1",
                      const std::string& code = "ICP") {
  Delivery delivery;
  delivery.dedup_key = key;
  delivery.tenant = "acme";
  delivery.launch_id = launch_id;
  delivery.item_code = code;
  delivery.rung_id = "due:2026-03-10:-3";
  delivery.kind = RungKind::kOverdue;
  delivery.item_version = 4;
  delivery.recipient_id = "alice";
  delivery.reason = "assignee";
  delivery.channel = ChannelType::kWecom;
  delivery.target = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k";
  delivery.secret_ref = "env:WECOM_SECRET";
  delivery.state = DeliveryState::kPending;
  delivery.subject = "【Preflight】ICP 备案: due in 3 working days";
  delivery.text = "text body";
  delivery.markdown = "**markdown**";
  delivery.data_json = R"({"item":"ICP"})";
  delivery.urgent = true;
  delivery.late = true;
  delivery.digest = false;
  delivery.attempts = 0;
  delivery.unit_key = "";
  delivery.create_time = kT0;
  delivery.next_attempt_time = kT0;
  delivery.update_time = kT0 + absl::Seconds(1);
  return delivery;
}

Recipient MakeRecipient(const std::string& id, const std::string& tenant = "acme") {
  Recipient recipient;
  recipient.id = id;
  recipient.tenant = tenant;
  recipient.display_name = absl::StrCat("Person ", id);
  recipient.language = "zh";
  recipient.channels = {
      RecipientChannel{ChannelType::kWebhook, "https://hooks.example.com/x", "env:HOOK_KEY"},
      RecipientChannel{ChannelType::kInbox, "", ""}};
  recipient.digest = true;
  recipient.subscriptions = {"tenants/acme"};
  recipient.version = 1;
  recipient.create_time = kT0;
  recipient.update_time = kT0;
  return recipient;
}

void ExpectItemEq(const ItemRecord& want, const ItemRecord& got) {
  EXPECT_EQ(got.info.launch_id, want.info.launch_id);
  EXPECT_EQ(got.info.code, want.info.code);
  EXPECT_EQ(got.info.title_en, want.info.title_en);
  EXPECT_EQ(got.info.title_zh, want.info.title_zh);
  EXPECT_EQ(got.info.status, want.info.status);
  EXPECT_EQ(got.info.done, want.info.done);
  EXPECT_EQ(got.info.assignee, want.info.assignee);
  EXPECT_EQ(got.info.version, want.info.version);
  EXPECT_EQ(got.info.latest_start, want.info.latest_start);
  EXPECT_EQ(got.info.due, want.info.due);
  EXPECT_EQ(got.info.post_launch, want.info.post_launch);
  EXPECT_EQ(got.info.expiry, want.info.expiry);
  EXPECT_EQ(got.info.started, want.info.started);
  EXPECT_EQ(got.info.renewal_days, want.info.renewal_days);
  EXPECT_EQ(got.info.approved, want.info.approved);
  EXPECT_EQ(got.next_check_time, want.next_check_time);
  EXPECT_EQ(got.snoozed_until, want.snoozed_until);
  EXPECT_EQ(got.acknowledged_version, want.acknowledged_version);
}

void ExpectLaunchEq(const LaunchInfo& want, const LaunchInfo& got) {
  EXPECT_EQ(got.launch_id, want.launch_id);
  EXPECT_EQ(got.tenant, want.tenant);
  EXPECT_EQ(got.display_name, want.display_name);
  EXPECT_EQ(got.owner, want.owner);
  EXPECT_EQ(got.time_zone, want.time_zone);
  EXPECT_EQ(got.target_launch_date, want.target_launch_date);
  EXPECT_EQ(got.went_live_date, want.went_live_date);
  EXPECT_EQ(got.version, want.version);
}

// Every field but the id and the history.
void ExpectDeliveryEq(const Delivery& want, const Delivery& got) {
  EXPECT_EQ(got.dedup_key, want.dedup_key);
  EXPECT_EQ(got.tenant, want.tenant);
  EXPECT_EQ(got.launch_id, want.launch_id);
  EXPECT_EQ(got.item_code, want.item_code);
  EXPECT_EQ(got.rung_id, want.rung_id);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.item_version, want.item_version);
  EXPECT_EQ(got.recipient_id, want.recipient_id);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.channel, want.channel);
  EXPECT_EQ(got.target, want.target);
  EXPECT_EQ(got.secret_ref, want.secret_ref);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.subject, want.subject);
  EXPECT_EQ(got.text, want.text);
  EXPECT_EQ(got.markdown, want.markdown);
  EXPECT_EQ(got.data_json, want.data_json);
  EXPECT_EQ(got.urgent, want.urgent);
  EXPECT_EQ(got.late, want.late);
  EXPECT_EQ(got.digest, want.digest);
  EXPECT_EQ(got.attempts, want.attempts);
  EXPECT_EQ(got.unit_key, want.unit_key);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.next_attempt_time, want.next_attempt_time);
  EXPECT_EQ(got.update_time, want.update_time);
}

void ExpectRecipientEq(const Recipient& want, const Recipient& got) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.tenant, want.tenant);
  EXPECT_EQ(got.display_name, want.display_name);
  EXPECT_EQ(got.language, want.language);
  EXPECT_EQ(got.channels, want.channels);
  EXPECT_EQ(got.digest, want.digest);
  EXPECT_EQ(got.subscriptions, want.subscriptions);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.update_time, want.update_time);
}

std::vector<std::string> Codes(const std::vector<ItemRecord>& records) {
  std::vector<std::string> codes;
  for (const ItemRecord& record : records) codes.push_back(record.info.code);
  return codes;
}

std::vector<std::string> Keys(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> keys;
  for (const Delivery& delivery : deliveries) keys.push_back(delivery.dedup_key);
  return keys;
}

std::vector<std::string> RecipientIds(const std::vector<Recipient>& recipients) {
  std::vector<std::string> ids;
  for (const Recipient& recipient : recipients) ids.push_back(recipient.id);
  return ids;
}

std::vector<std::string> Outcomes(const std::vector<DeliveryAttempt>& history) {
  std::vector<std::string> outcomes;
  for (const DeliveryAttempt& attempt : history) outcomes.push_back(attempt.outcome);
  return outcomes;
}

class SqliteNotifierStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("notifier.db"); }

  std::unique_ptr<SqliteNotifierStore> OpenStore(
      SqliteNotifierStore::Options options = SqliteNotifierStore::Options{}) {
    absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> store =
        SqliteNotifierStore::Open(Path(), options, &clock_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Commits deliveries for one item; returns them with their ids.
  std::vector<Delivery> Insert(SqliteNotifierStore& store, std::vector<Delivery> deliveries) {
    Decision decision;
    decision.launch_id = deliveries.front().launch_id;
    decision.item_code = deliveries.front().item_code;
    decision.deliveries = std::move(deliveries);
    absl::StatusOr<std::vector<Delivery>> inserted = store.CommitDecision(decision);
    EXPECT_TRUE(inserted.ok()) << inserted.status();
    return inserted.ok() ? *std::move(inserted) : std::vector<Delivery>{};
  }

  Delivery Stored(SqliteNotifierStore& store, int64_t id) {
    absl::StatusOr<std::optional<Delivery>> found = store.GetDelivery(id);
    EXPECT_TRUE(found.ok()) << found.status();
    EXPECT_TRUE(found.ok() && found->has_value()) << "delivery " << id << " missing";
    return found.ok() && found->has_value() ? **found : Delivery{};
  }

  FakeClock clock_{kT0 + absl::Hours(100)};
  ::preflight::testing::TempDir dir_;
};

// ---- Opening and schema ----------------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, FreshDatabaseHasStrictSchemaAndCursorAtZero) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(0));

  SQLite::Database raw(Path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt(),
            static_cast<int>(NotifierMigrations().size()));
  for (const char* table : {"cursor", "launches", "items", "handled_rungs", "deliveries", "ledger",
                            "recipients", "recipient_subscriptions", "inbox", "secrets"}) {
    SQLite::Statement query(raw, "SELECT strict FROM pragma_table_list WHERE name = ?");
    query.bind(1, std::string(table));
    ASSERT_TRUE(query.executeStep()) << table;
    EXPECT_EQ(query.getColumn(0).getInt(), 1) << table << " is not STRICT";
  }
}

TEST_F(SqliteNotifierStoreTest, InMemoryPathIsRejected) {
  EXPECT_EQ(SqliteNotifierStore::Open(":memory:", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteNotifierStoreTest, NonPositiveLimitsAreInvalid) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->ItemsToCheck(kT0, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->DueDeliveries(kT0, -1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ListDeliveries({}, 0, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ListRecipients("", "", "", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ListInbox("", "a", 0, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DeliveryStateNameTest, NamesEveryState) {
  EXPECT_EQ(DeliveryStateName(DeliveryState::kPending), "pending");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kSending), "sending");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kDelivered), "delivered");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kDeadLettered), "dead_lettered");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kOutcomeUnknown), "outcome_unknown");
  EXPECT_EQ(DeliveryStateName(DeliveryState::kCancelled), "cancelled");
}

// ---- The event stream --------------------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, ApplyEventStoresLaunchAndItemsAndAdvancesTheCursor) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EventEffects effects;
  effects.sequence = 7;
  effects.launch = MakeLaunch("L1");
  effects.items = {MakeItem("L1", "MP_ACCOUNT", kT0), MakeItem("L1", "ICP")};
  effects.items[1].snoozed_until = std::nullopt;
  effects.items[1].acknowledged_version = 0;
  effects.items[1].info.latest_start = std::nullopt;
  effects.items[1].info.expiry = absl::CivilDay(2027, 1, 31);
  effects.items[1].info.done = true;
  ASSERT_TRUE(store->ApplyEvent(effects).ok());

  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(7));
  absl::StatusOr<std::optional<LaunchInfo>> launch = store->GetLaunch("L1");
  ASSERT_TRUE(launch.ok()) << launch.status();
  ASSERT_TRUE(launch->has_value());
  ExpectLaunchEq(*effects.launch, **launch);

  absl::StatusOr<std::optional<ItemRecord>> item = store->GetItem("L1", "ICP");
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->has_value());
  ExpectItemEq(effects.items[1], **item);

  absl::StatusOr<std::vector<ItemRecord>> items = store->ListLaunchItems("L1");
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_THAT(Codes(*items), ElementsAre("ICP", "MP_ACCOUNT"));
  ExpectItemEq(effects.items[0], (*items)[1]);

  EXPECT_THAT(store->GetLaunch("nope"), IsOkAndAbsent());
  EXPECT_THAT(store->GetItem("L1", "nope"), IsOkAndAbsent());
  EXPECT_THAT(store->ListLaunchItems("nope"), IsOkAndHolds(IsEmpty()));

  // A later event rewrites the launch and the item whole.
  EventEffects update;
  update.sequence = 8;
  update.launch = MakeLaunch("L1");
  update.launch->went_live_date = absl::CivilDay(2026, 5, 30);
  update.launch->owner = "oscar";
  update.launch->version = 4;
  update.items = {MakeItem("L1", "ICP")};
  update.items[0].info.status = "APPROVED";
  update.items[0].info.version = 5;
  update.items[0].next_check_time = std::nullopt;
  ASSERT_TRUE(store->ApplyEvent(update).ok());
  ExpectLaunchEq(*update.launch, store->GetLaunch("L1").value().value());
  ExpectItemEq(update.items[0], store->GetItem("L1", "ICP").value().value());
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(8));
}

TEST_F(SqliteNotifierStoreTest, ApplyEventAtOrBelowTheCursorIsRefusedAndWritesNothing) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EventEffects first;
  first.sequence = 5;
  first.launch = MakeLaunch("L1");
  ASSERT_TRUE(store->ApplyEvent(first).ok());

  for (int64_t sequence : {5, 4, 0}) {
    EventEffects stale;
    stale.sequence = sequence;
    stale.launch = MakeLaunch("L1");
    stale.launch->owner = "mallory";
    stale.items = {MakeItem("L1", "ICP")};
    absl::Status status = store->ApplyEvent(stale);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_THAT(status.message(), HasSubstr("applied sequence 5"));
  }
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(5));
  EXPECT_EQ(store->GetLaunch("L1").value().value().owner, "olivia");
  EXPECT_THAT(store->GetItem("L1", "ICP"), IsOkAndAbsent());
}

TEST_F(SqliteNotifierStoreTest, ApplyEventsCommitsABatchWholeOrNotAtAll) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<EventEffects> batch(3);
  batch[0].sequence = 1;
  batch[0].launch = MakeLaunch("L1");
  batch[1].sequence = 2;
  batch[1].items = {MakeItem("L1", "ICP")};
  batch[2].sequence = 3;
  batch[2].launch = MakeLaunch("L1");
  batch[2].launch->owner = "wang.wei";
  ASSERT_TRUE(store->ApplyEvents(batch).ok());
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(3));
  EXPECT_EQ(store->GetLaunch("L1").value().value().owner, "wang.wei");
  EXPECT_TRUE(store->GetItem("L1", "ICP").value().has_value());

  // A batch whose sequences do not rise fails whole: its first event is not kept either.
  std::vector<EventEffects> bad(2);
  bad[0].sequence = 4;
  bad[0].items = {MakeItem("L1", "MP_ACCOUNT")};
  bad[1].sequence = 4;
  absl::Status status = store->ApplyEvents(bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("event 4 is not after the applied sequence 4"));
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(3));
  EXPECT_THAT(store->GetItem("L1", "MP_ACCOUNT"), IsOkAndAbsent());
  EXPECT_TRUE(store->ApplyEvents({}).ok());
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(3));
}

TEST_F(SqliteNotifierStoreTest, ApplyEventCancelsOnlyPendingDeliveriesWithALedgerEntry) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Delivery> inserted =
      Insert(*store, {MakeDelivery("a"), MakeDelivery("b"), MakeDelivery("c")});
  ASSERT_EQ(inserted.size(), 3u);
  ASSERT_TRUE(store->LeaseDeliveries({inserted[1].id}, "", kT0).ok());

  EventEffects effects;
  effects.sequence = 1;
  effects.cancel_delivery_ids = {inserted[0].id, inserted[1].id, 9999};
  effects.cancel_reason = "item is APPROVED (event 1)";
  ASSERT_TRUE(store->ApplyEvent(effects).ok());

  const Delivery cancelled = Stored(*store, inserted[0].id);
  EXPECT_EQ(cancelled.state, DeliveryState::kCancelled);
  EXPECT_EQ(cancelled.update_time, clock_.Now());
  ASSERT_EQ(cancelled.history.size(), 1u);
  EXPECT_EQ(cancelled.history[0].outcome, "cancelled");
  EXPECT_EQ(cancelled.history[0].provider_answer, "item is APPROVED (event 1)");
  EXPECT_EQ(cancelled.history[0].time, clock_.Now());
  EXPECT_EQ(cancelled.history[0].attempt, 0);

  const Delivery sending = Stored(*store, inserted[1].id);
  EXPECT_EQ(sending.state, DeliveryState::kSending);
  EXPECT_THAT(sending.history, IsEmpty());
  EXPECT_EQ(Stored(*store, inserted[2].id).state, DeliveryState::kPending);
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(1));
}

TEST_F(SqliteNotifierStoreTest, FullDatabaseFailsTheWholeEventAndLeavesTheCursor) {
  std::vector<Delivery> inserted;
  {
    std::unique_ptr<SqliteNotifierStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    EventEffects first;
    first.sequence = 1;
    first.launch = MakeLaunch("L1");
    ASSERT_TRUE(store->ApplyEvent(first).ok());
    inserted = Insert(*store, {MakeDelivery("a")});
    ASSERT_EQ(inserted.size(), 1u);
  }
  SqliteNotifierStore::Options options;
  options.max_page_count = 1;  // SQLite raises it to the current size: no room to grow
  std::unique_ptr<SqliteNotifierStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);

  EventEffects big;
  big.sequence = 2;
  big.launch = MakeLaunch("L1");
  big.launch->owner = "oscar";
  big.cancel_delivery_ids = {inserted[0].id};
  big.cancel_reason = "gone";
  for (int i = 0; i < 25; ++i) {
    ItemRecord item = MakeItem("L1", absl::StrCat("ITEM_", i));
    item.info.title_en = std::string(4000, 't');
    big.items.push_back(item);
  }
  absl::Status status = store->ApplyEvent(big);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;

  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(1));
  EXPECT_EQ(store->GetLaunch("L1").value().value().owner, "olivia");
  EXPECT_THAT(store->ListLaunchItems("L1"), IsOkAndHolds(IsEmpty()));
  const Delivery untouched = Stored(*store, inserted[0].id);
  EXPECT_EQ(untouched.state, DeliveryState::kPending);
  EXPECT_THAT(untouched.history, IsEmpty());
  store.reset();

  // With room again the same event goes through.
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->ApplyEvent(big).ok());
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(2));
  EXPECT_EQ(store->ListLaunchItems("L1").value().size(), 25u);
  EXPECT_EQ(Stored(*store, inserted[0].id).state, DeliveryState::kCancelled);
}

// ---- Items -----------------------------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, ItemsToCheckAreTheDueOnesEarliestFirst) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EventEffects effects;
  effects.sequence = 1;
  effects.items = {MakeItem("L1", "LATE", kT0 + absl::Hours(2)),
                   MakeItem("L1", "EARLY", kT0 - absl::Hours(1)), MakeItem("L2", "AT_NOW", kT0),
                   MakeItem("L1", "FUTURE", kT0 + absl::Hours(9)), MakeItem("L1", "NEVER")};
  ASSERT_TRUE(store->ApplyEvent(effects).ok());

  EXPECT_THAT(store->ItemsToCheck(kT0, 10).value_or(std::vector<ItemRecord>{}),
              ::testing::ResultOf(Codes, ElementsAre("EARLY", "AT_NOW")));
  EXPECT_THAT(store->ItemsToCheck(kT0 + absl::Hours(2), 2).value_or(std::vector<ItemRecord>{}),
              ::testing::ResultOf(Codes, ElementsAre("EARLY", "AT_NOW")));
  EXPECT_THAT(store->ItemsToCheck(kT0 + absl::Hours(2), 10).value_or(std::vector<ItemRecord>{}),
              ::testing::ResultOf(Codes, ElementsAre("EARLY", "AT_NOW", "LATE")));
}

TEST_F(SqliteNotifierStoreTest, ScheduledItemsPageByKeyAndFilterByTenantAndLaunch) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Items of L2 arrive before their launch: they learn the tenant when it comes.
  EventEffects early;
  early.sequence = 1;
  early.items = {MakeItem("L2", "A", kT0)};
  ASSERT_TRUE(store->ApplyEvent(early).ok());

  EventEffects effects;
  effects.sequence = 2;
  effects.launch = MakeLaunch("L1", "acme");
  effects.items = {MakeItem("L1", "B", kT0), MakeItem("L1", "A", kT0 + absl::Hours(1)),
                   MakeItem("L1", "C")};
  ASSERT_TRUE(store->ApplyEvent(effects).ok());
  EventEffects other;
  other.sequence = 3;
  other.launch = MakeLaunch("L2", "globex");
  ASSERT_TRUE(store->ApplyEvent(other).ok());
  EventEffects third;
  third.sequence = 4;
  third.launch = MakeLaunch("L3", "acme");
  third.items = {MakeItem("L3", "Z", kT0)};
  ASSERT_TRUE(store->ApplyEvent(third).ok());

  auto list = [&](const std::string& tenant, const std::string& launch, const std::string& after_l,
                  const std::string& after_c, int limit) {
    absl::StatusOr<std::vector<ItemRecord>> items =
        store->ListScheduledItems(tenant, launch, after_l, after_c, limit);
    EXPECT_TRUE(items.ok()) << items.status();
    std::vector<std::string> keys;
    for (const ItemRecord& record : items.value_or(std::vector<ItemRecord>{})) {
      keys.push_back(absl::StrCat(record.info.launch_id, "/", record.info.code));
    }
    return keys;
  };
  EXPECT_THAT(list("", "", "", "", 10), ElementsAre("L1/A", "L1/B", "L2/A", "L3/Z"));
  EXPECT_THAT(list("", "", "", "", 2), ElementsAre("L1/A", "L1/B"));
  EXPECT_THAT(list("", "", "L1", "B", 2), ElementsAre("L2/A", "L3/Z"));
  EXPECT_THAT(list("acme", "", "", "", 10), ElementsAre("L1/A", "L1/B", "L3/Z"));
  EXPECT_THAT(list("globex", "", "", "", 10), ElementsAre("L2/A"));
  EXPECT_THAT(list("", "L1", "L1", "A", 10), ElementsAre("L1/B"));
  EXPECT_THAT(list("globex", "L1", "", "", 10), IsEmpty());
}

TEST_F(SqliteNotifierStoreTest, UpdateItemControlsKeepsTheInfo) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EventEffects effects;
  effects.sequence = 1;
  effects.items = {MakeItem("L1", "ICP", kT0)};
  ASSERT_TRUE(store->ApplyEvent(effects).ok());

  ItemRecord controls = MakeItem("L1", "ICP");
  controls.info.title_en = "must not be written";
  controls.info.version = 99;
  controls.next_check_time = kT0 + absl::Hours(48);
  controls.snoozed_until = kT0 + absl::Hours(47);
  controls.acknowledged_version = 4;
  ASSERT_TRUE(store->UpdateItemControls(controls).ok());

  ItemRecord want = effects.items[0];
  want.next_check_time = controls.next_check_time;
  want.snoozed_until = controls.snoozed_until;
  want.acknowledged_version = 4;
  ExpectItemEq(want, store->GetItem("L1", "ICP").value().value());

  controls.snoozed_until = std::nullopt;
  controls.next_check_time = std::nullopt;
  ASSERT_TRUE(store->UpdateItemControls(controls).ok());
  want.snoozed_until = std::nullopt;
  want.next_check_time = std::nullopt;
  ExpectItemEq(want, store->GetItem("L1", "ICP").value().value());

  EXPECT_EQ(store->UpdateItemControls(MakeItem("L1", "NOPE")).code(), absl::StatusCode::kNotFound);
}

// ---- Decisions and deliveries -----------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, CommitDecisionRecordsRungsDedupsDeliveriesAndSetsNextCheck) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EventEffects effects;
  effects.sequence = 1;
  effects.items = {MakeItem("L1", "ICP", kT0)};
  ASSERT_TRUE(store->ApplyEvent(effects).ok());

  Decision decision;
  decision.launch_id = "L1";
  decision.item_code = "ICP";
  decision.handled = {
      HandledRung{"L1", "ICP", "due:2026-03-10:-7", "skipped", kT0},
      HandledRung{"L1", "ICP", "due:2026-03-10:-3", "sent", kT0 + absl::Seconds(1)}};
  Delivery to_alice = MakeDelivery("L1/ICP/r/alice/wecom");
  Delivery to_owner = MakeDelivery("L1/ICP/r/olivia/log");
  to_owner.recipient_id = "olivia";
  to_owner.channel = ChannelType::kLog;
  to_owner.kind = RungKind::kBeforeDue;
  to_owner.urgent = false;
  to_owner.digest = true;
  to_owner.history = {DeliveryAttempt{}};  // ignored: the store keeps no client history
  decision.deliveries = {to_alice, to_owner};
  decision.next_check_time = kT0 + absl::Hours(24);

  absl::StatusOr<std::vector<Delivery>> inserted = store->CommitDecision(decision);
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  ASSERT_EQ(inserted->size(), 2u);
  EXPECT_GT((*inserted)[0].id, 0);
  EXPECT_GT((*inserted)[1].id, (*inserted)[0].id);
  EXPECT_THAT((*inserted)[1].history, IsEmpty());
  ExpectDeliveryEq(to_alice, Stored(*store, (*inserted)[0].id));
  ExpectDeliveryEq(to_owner, Stored(*store, (*inserted)[1].id));
  EXPECT_EQ(store->GetItem("L1", "ICP").value().value().next_check_time, decision.next_check_time);

  // The same rungs and keys again: a rung keeps its first outcome, a key its first delivery.
  Decision again = decision;
  again.handled[0].outcome = "sent";
  again.deliveries[0].subject = "changed";
  Delivery fresh = MakeDelivery("L1/ICP/r/bob/wecom");
  fresh.recipient_id = "bob";
  again.deliveries.push_back(fresh);
  again.next_check_time = std::nullopt;
  inserted = store->CommitDecision(again);
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  EXPECT_THAT(Keys(*inserted), ElementsAre("L1/ICP/r/bob/wecom"));
  EXPECT_EQ(store->GetItem("L1", "ICP").value().value().next_check_time, std::nullopt);
  EXPECT_EQ(store->ListDeliveries({}, 0, 10).value().size(), 3u);

  absl::StatusOr<std::vector<HandledRung>> handled = store->HandledRungs("L1", "ICP");
  ASSERT_TRUE(handled.ok()) << handled.status();
  ASSERT_EQ(handled->size(), 2u);
  EXPECT_EQ((*handled)[0].rung_id, "due:2026-03-10:-7");
  EXPECT_EQ((*handled)[0].outcome, "skipped");
  EXPECT_EQ((*handled)[0].time, kT0);
  EXPECT_EQ((*handled)[0].launch_id, "L1");
  EXPECT_EQ((*handled)[0].item_code, "ICP");
  EXPECT_EQ((*handled)[1].rung_id, "due:2026-03-10:-3");
  EXPECT_EQ((*handled)[1].outcome, "sent");
  EXPECT_THAT(store->HandledRungs("L1", "OTHER"), IsOkAndHolds(IsEmpty()));
}

TEST_F(SqliteNotifierStoreTest, CommitDecisionForAnUnknownItemStillRecordsTheDelivery) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Delivery test = MakeDelivery("test/alice/1", "", "");
  test.kind = RungKind::kTest;
  test.reason = "test";
  std::vector<Delivery> inserted = Insert(*store, {test});
  ASSERT_EQ(inserted.size(), 1u);
  ExpectDeliveryEq(test, Stored(*store, inserted[0].id));
}

TEST_F(SqliteNotifierStoreTest, PendingDueAndInStateQueries) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Delivery later = MakeDelivery("later");
  later.next_attempt_time = kT0 + absl::Hours(3);
  Delivery soon = MakeDelivery("soon");
  soon.next_attempt_time = kT0 - absl::Hours(1);
  Delivery now = MakeDelivery("now");
  now.next_attempt_time = kT0;
  Delivery leased = MakeDelivery("leased");
  leased.next_attempt_time = kT0 - absl::Hours(2);
  Delivery elsewhere = MakeDelivery("elsewhere", "L1", "BIZ");
  elsewhere.next_attempt_time = kT0 - absl::Hours(5);
  std::vector<Delivery> inserted = Insert(*store, {later, soon, now, leased});
  ASSERT_EQ(inserted.size(), 4u);
  ASSERT_EQ(Insert(*store, {elsewhere}).size(), 1u);
  ASSERT_TRUE(store->LeaseDeliveries({inserted[3].id}, "", kT0).ok());

  EXPECT_THAT(store->PendingDeliveriesOfItem("L1", "ICP").value_or(std::vector<Delivery>{}),
              ::testing::ResultOf(Keys, ElementsAre("later", "soon", "now")));
  EXPECT_THAT(store->DueDeliveries(kT0, 10).value_or(std::vector<Delivery>{}),
              ::testing::ResultOf(Keys, ElementsAre("elsewhere", "soon", "now")));
  EXPECT_THAT(store->DueDeliveries(kT0, 1).value_or(std::vector<Delivery>{}),
              ::testing::ResultOf(Keys, ElementsAre("elsewhere")));
  EXPECT_THAT(
      store->DeliveriesInState(DeliveryState::kSending, 10).value_or(std::vector<Delivery>{}),
      ::testing::ResultOf(Keys, ElementsAre("leased")));
  EXPECT_THAT(
      store->DeliveriesInState(DeliveryState::kPending, 2).value_or(std::vector<Delivery>{}),
      ::testing::ResultOf(Keys, ElementsAre("later", "soon")));
  EXPECT_THAT(store->DeliveriesInState(DeliveryState::kDelivered, 10), IsOkAndHolds(IsEmpty()));
}

TEST_F(SqliteNotifierStoreTest, NextDueTimeIsTheFirstItemCheckOrPendingRetry) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->NextDueTime(), IsOkAndHolds(std::nullopt));

  EventEffects effects;
  effects.sequence = 1;
  effects.items = {MakeItem("L1", "LATER", kT0 + absl::Hours(5)), MakeItem("L1", "NEVER")};
  ASSERT_TRUE(store->ApplyEvent(effects).ok());
  EXPECT_THAT(store->NextDueTime(), IsOkAndHolds(kT0 + absl::Hours(5)));

  Delivery retry = MakeDelivery("retry");
  retry.next_attempt_time = kT0 + absl::Hours(2);
  Delivery leased = MakeDelivery("leased");
  leased.next_attempt_time = kT0 - absl::Hours(1);
  std::vector<Delivery> inserted = Insert(*store, {retry, leased});
  ASSERT_EQ(inserted.size(), 2u);
  EXPECT_THAT(store->NextDueTime(), IsOkAndHolds(kT0 - absl::Hours(1)));
  // A delivery being sent is not waiting for a time.
  ASSERT_TRUE(store->LeaseDeliveries({inserted[1].id}, "", kT0).ok());
  EXPECT_THAT(store->NextDueTime(), IsOkAndHolds(kT0 + absl::Hours(2)));
}

TEST_F(SqliteNotifierStoreTest, CountsDeliveriesByStateAndChannelAndScheduledItems) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->CountDeliveries(), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(store->CountScheduledItems(), IsOkAndHolds(0));
  Delivery inbox = MakeDelivery("inbox");
  inbox.channel = ChannelType::kInbox;
  std::vector<Delivery> inserted =
      Insert(*store, {MakeDelivery("a"), MakeDelivery("b"), MakeDelivery("c"), inbox});
  ASSERT_EQ(inserted.size(), 4u);
  ASSERT_TRUE(store->LeaseDeliveries({inserted[0].id}, "", kT0).ok());

  absl::StatusOr<std::vector<DeliveryCount>> counts = store->CountDeliveries();
  ASSERT_TRUE(counts.ok()) << counts.status();
  std::map<std::pair<DeliveryState, ChannelType>, int64_t> by_key;
  for (const DeliveryCount& count : *counts) by_key[{count.state, count.channel}] = count.count;
  EXPECT_EQ(by_key, (std::map<std::pair<DeliveryState, ChannelType>, int64_t>{
                        {{DeliveryState::kSending, ChannelType::kWecom}, 1},
                        {{DeliveryState::kPending, ChannelType::kWecom}, 2},
                        {{DeliveryState::kPending, ChannelType::kInbox}, 1}}));

  EventEffects effects;
  effects.sequence = 1;
  effects.items.push_back(MakeItem("L1", "ICP", kT0 + absl::Hours(1)));
  effects.items.push_back(MakeItem("L1", "BIZ"));
  ASSERT_TRUE(store->ApplyEvent(effects).ok());
  EXPECT_THAT(store->CountScheduledItems(), IsOkAndHolds(1));
}

TEST_F(SqliteNotifierStoreTest, TheStreamEpochIsKeptAndAResetForgetsOnlyTheStream) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->StreamLogEpoch(), IsOkAndHolds(std::string()));
  ASSERT_TRUE(store->SetStreamLogEpoch("e1").ok());
  EventEffects effects;
  effects.sequence = 7;
  effects.launch = MakeLaunch("L1");
  effects.items.push_back(MakeItem("L1", "ICP", kT0 + absl::Hours(1)));
  ASSERT_TRUE(store->ApplyEvent(effects).ok());
  ASSERT_EQ(Insert(*store, {MakeDelivery("kept")}).size(), 1u);
  store.reset();
  store = OpenStore();
  EXPECT_THAT(store->StreamLogEpoch(), IsOkAndHolds(std::string("e1")));

  ASSERT_TRUE(store->ResetStream().ok());
  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(0));
  EXPECT_THAT(store->StreamLogEpoch(), IsOkAndHolds(std::string()));
  absl::StatusOr<std::optional<LaunchInfo>> launch = store->GetLaunch("L1");
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_FALSE(launch->has_value());
  EXPECT_THAT(store->CountScheduledItems(), IsOkAndHolds(0));
  // The deliveries and their ledger stay.
  EXPECT_THAT(store->ListDeliveries({}, 0, 10).value_or(std::vector<Delivery>{}),
              ::testing::SizeIs(1));
}

TEST_F(SqliteNotifierStoreTest, ReleasingALeaseMakesItPendingLaterWithoutAnAttempt) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Delivery> inserted = Insert(*store, {MakeDelivery("a"), MakeDelivery("b")});
  ASSERT_EQ(inserted.size(), 2u);
  ASSERT_TRUE(store->LeaseDeliveries({inserted[0].id}, "a", kT0).ok());
  const absl::Time hold_end = kT0 + absl::Seconds(30);
  // "b" was never leased: releasing it changes nothing.
  ASSERT_TRUE(store->ReleaseLease({inserted[0].id, inserted[1].id}, hold_end).ok());

  const Delivery released = Stored(*store, inserted[0].id);
  EXPECT_EQ(released.state, DeliveryState::kPending);
  EXPECT_EQ(released.attempts, 0);
  EXPECT_EQ(released.next_attempt_time, hold_end);
  EXPECT_TRUE(released.history.empty());
  EXPECT_EQ(Stored(*store, inserted[1].id).next_attempt_time, inserted[1].next_attempt_time);
  // Not due before the hold ends; then leased again as its first attempt.
  EXPECT_THAT(store->DueDeliveries(kT0 + absl::Seconds(1), 10),
              IsOkAndHolds(::testing::ResultOf(Keys, ElementsAre("b"))));
  EXPECT_THAT(store->LeaseDeliveries({inserted[0].id}, "a", hold_end), IsOkAndHolds(1));
}

TEST_F(SqliteNotifierStoreTest, LeaseIsAllOrNothing) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Delivery> inserted =
      Insert(*store, {MakeDelivery("a"), MakeDelivery("b"), MakeDelivery("c")});
  ASSERT_EQ(inserted.size(), 3u);

  const absl::Time lease_time = kT0 + absl::Minutes(2);
  ASSERT_TRUE(
      store->LeaseDeliveries({inserted[0].id, inserted[1].id}, "digest:alice:1", lease_time).ok());
  for (int i : {0, 1}) {
    const Delivery leased = Stored(*store, inserted[i].id);
    EXPECT_EQ(leased.state, DeliveryState::kSending);
    EXPECT_EQ(leased.attempts, 1);
    EXPECT_EQ(leased.unit_key, "digest:alice:1");
    EXPECT_EQ(leased.update_time, lease_time);
  }

  // c is pending but b is not: neither is touched.
  absl::Status status =
      store->LeaseDeliveries({inserted[2].id, inserted[1].id}, "u2", kT0).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("delivery ", inserted[1].id)));
  const Delivery c = Stored(*store, inserted[2].id);
  EXPECT_EQ(c.state, DeliveryState::kPending);
  EXPECT_EQ(c.attempts, 0);
  EXPECT_EQ(c.unit_key, "");
  EXPECT_EQ(Stored(*store, inserted[1].id).unit_key, "digest:alice:1");

  EXPECT_EQ(store->LeaseDeliveries({inserted[2].id, 12345}, "", kT0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Stored(*store, inserted[2].id).state, DeliveryState::kPending);
}

TEST_F(SqliteNotifierStoreTest, RecordAttemptWritesStateLedgerAndInbox) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Delivery inbox_delivery = MakeDelivery("inbox");
  inbox_delivery.channel = ChannelType::kInbox;
  std::vector<Delivery> inserted = Insert(*store, {MakeDelivery("hook"), inbox_delivery});
  ASSERT_EQ(inserted.size(), 2u);
  const int64_t hook = inserted[0].id;
  const int64_t inbox = inserted[1].id;

  // First attempt: a retry.
  ASSERT_TRUE(store->LeaseDeliveries({hook}, "", kT0).ok());
  AttemptOutcome retry;
  retry.delivery_ids = {hook};
  retry.new_state = DeliveryState::kPending;
  retry.next_attempt_time = kT0 + absl::Minutes(5);
  retry.attempt = DeliveryAttempt{1, kT0 + absl::Seconds(2), "retry", 503, "503 busy"};
  ASSERT_TRUE(store->RecordAttempt(retry).ok());
  Delivery stored = Stored(*store, hook);
  EXPECT_EQ(stored.state, DeliveryState::kPending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.next_attempt_time, kT0 + absl::Minutes(5));
  EXPECT_EQ(stored.update_time, kT0 + absl::Seconds(2));

  // A pass that read the delivery before the retry was scheduled cannot send it early.
  absl::StatusOr<int> early = store->LeaseDeliveries({hook}, "", kT0 + absl::Minutes(4));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("not due yet"));
  EXPECT_EQ(Stored(*store, hook).attempts, 1);

  // Second attempt: delivered; the next attempt time stays where it was.
  absl::StatusOr<int> second = store->LeaseDeliveries({hook}, "", kT0 + absl::Minutes(5));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, 2);
  AttemptOutcome delivered;
  delivered.delivery_ids = {hook};
  delivered.new_state = DeliveryState::kDelivered;
  delivered.next_attempt_time = kT0 + absl::Hours(99);
  delivered.attempt = DeliveryAttempt{2, kT0 + absl::Minutes(6), "delivered", 200, "ok"};
  ASSERT_TRUE(store->RecordAttempt(delivered).ok());
  stored = Stored(*store, hook);
  EXPECT_EQ(stored.state, DeliveryState::kDelivered);
  EXPECT_EQ(stored.attempts, 2);
  EXPECT_EQ(stored.next_attempt_time, kT0 + absl::Minutes(5));
  ASSERT_EQ(stored.history.size(), 2u);
  EXPECT_THAT(Outcomes(stored.history), ElementsAre("retry", "delivered"));
  EXPECT_EQ(stored.history[0].attempt, 1);
  EXPECT_EQ(stored.history[0].time, kT0 + absl::Seconds(2));
  EXPECT_EQ(stored.history[0].http_status, 503);
  EXPECT_EQ(stored.history[0].provider_answer, "503 busy");
  EXPECT_EQ(stored.history[1].attempt, 2);
  EXPECT_EQ(stored.history[1].http_status, 200);

  // An inbox delivery and its message, committed together; a repeat message is ignored.
  ASSERT_TRUE(store->LeaseDeliveries({inbox}, "", kT0).ok());
  AttemptOutcome to_inbox;
  to_inbox.delivery_ids = {inbox};
  to_inbox.new_state = DeliveryState::kDelivered;
  to_inbox.attempt = DeliveryAttempt{1, kT0 + absl::Seconds(3), "delivered", 0, ""};
  to_inbox.inbox = {InboxMessage{0, "alice", inbox, "subject", "body", kT0 + absl::Seconds(3)}};
  ASSERT_TRUE(store->RecordAttempt(to_inbox).ok());
  ASSERT_TRUE(store->RecordAttempt(to_inbox).ok());
  absl::StatusOr<std::vector<InboxMessage>> messages = store->ListInbox("", "alice", 0, 10);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_GT((*messages)[0].id, 0);
  EXPECT_EQ((*messages)[0].recipient_id, "alice");
  EXPECT_EQ((*messages)[0].delivery_id, inbox);
  EXPECT_EQ((*messages)[0].subject, "subject");
  EXPECT_EQ((*messages)[0].body, "body");
  EXPECT_EQ((*messages)[0].create_time, kT0 + absl::Seconds(3));
  // The item comes from the delivery, so a reader can show the launch's time zone.
  EXPECT_EQ((*messages)[0].launch_id, "L1");
  EXPECT_EQ((*messages)[0].item_code, "ICP");

  // An unknown delivery fails the whole record: neither the known one nor the message changes.
  Delivery other = MakeDelivery("other");
  const int64_t other_id = Insert(*store, {other})[0].id;
  AttemptOutcome bad;
  bad.delivery_ids = {other_id, 777777};
  bad.new_state = DeliveryState::kDeadLettered;
  bad.attempt = DeliveryAttempt{1, kT0, "failed", 400, "bad"};
  bad.inbox = {InboxMessage{0, "bob", other_id, "s", "b", kT0}};
  EXPECT_EQ(store->RecordAttempt(bad).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Stored(*store, other_id).state, DeliveryState::kPending);
  EXPECT_THAT(Stored(*store, other_id).history, IsEmpty());
  EXPECT_THAT(store->ListInbox("", "bob", 0, 10), IsOkAndHolds(IsEmpty()));
}

TEST_F(SqliteNotifierStoreTest, ListDeliveriesFiltersAndPagesNewestFirstWithHistory) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Delivery d1 = MakeDelivery("d1");
  Delivery d2 = MakeDelivery("d2", "L1", "BIZ");
  d2.recipient_id = "bob";
  d2.channel = ChannelType::kEmail;
  Delivery d3 = MakeDelivery("d3", "L2", "ICP");
  d3.tenant = "globex";
  Delivery d4 = MakeDelivery("d4");
  d4.channel = ChannelType::kEmail;
  std::vector<int64_t> ids;
  for (const Delivery& d : {d1, d2, d3, d4}) ids.push_back(Insert(*store, {d})[0].id);
  ASSERT_TRUE(store->LeaseDeliveries({ids[0]}, "", kT0).ok());
  AttemptOutcome failed;
  failed.delivery_ids = {ids[0]};
  failed.new_state = DeliveryState::kDeadLettered;
  failed.attempt = DeliveryAttempt{1, kT0, "failed", 404, "no such hook"};
  ASSERT_TRUE(store->RecordAttempt(failed).ok());

  auto list = [&](const DeliveryFilter& filter, int64_t before, int limit) {
    absl::StatusOr<std::vector<Delivery>> found = store->ListDeliveries(filter, before, limit);
    EXPECT_TRUE(found.ok()) << found.status();
    return Keys(found.value_or(std::vector<Delivery>{}));
  };
  EXPECT_THAT(list({}, 0, 10), ElementsAre("d4", "d3", "d2", "d1"));
  EXPECT_THAT(list({}, 0, 2), ElementsAre("d4", "d3"));
  EXPECT_THAT(list({}, ids[2], 2), ElementsAre("d2", "d1"));
  EXPECT_THAT(list({}, ids[0], 2), IsEmpty());

  DeliveryFilter tenant;
  tenant.tenant = "globex";
  EXPECT_THAT(list(tenant, 0, 10), ElementsAre("d3"));
  DeliveryFilter item;
  item.launch_id = "L1";
  item.item_code = "ICP";
  EXPECT_THAT(list(item, 0, 10), ElementsAre("d4", "d1"));
  DeliveryFilter launch;
  launch.launch_id = "L1";
  EXPECT_THAT(list(launch, 0, 10), ElementsAre("d4", "d2", "d1"));
  DeliveryFilter recipient;
  recipient.recipient_id = "bob";
  EXPECT_THAT(list(recipient, 0, 10), ElementsAre("d2"));
  DeliveryFilter state;
  state.state = DeliveryState::kDeadLettered;
  EXPECT_THAT(list(state, 0, 10), ElementsAre("d1"));
  DeliveryFilter channel;
  channel.channel = ChannelType::kEmail;
  EXPECT_THAT(list(channel, 0, 10), ElementsAre("d4", "d2"));
  channel.launch_id = "L1";
  channel.item_code = "ICP";
  EXPECT_THAT(list(channel, 0, 10), ElementsAre("d4"));

  absl::StatusOr<std::vector<Delivery>> with_history = store->ListDeliveries(state, 0, 10);
  ASSERT_TRUE(with_history.ok()) << with_history.status();
  ASSERT_EQ(with_history->size(), 1u);
  ASSERT_EQ((*with_history)[0].history.size(), 1u);
  EXPECT_EQ((*with_history)[0].history[0].provider_answer, "no such hook");
  EXPECT_THAT(store->GetDelivery(424242), IsOkAndAbsent());
}

TEST_F(SqliteNotifierStoreTest, LedgerRejectsUpdateAndDelete) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t id = Insert(*store, {MakeDelivery("a")})[0].id;
  ASSERT_TRUE(store->LeaseDeliveries({id}, "", kT0).ok());
  AttemptOutcome delivered;
  delivered.delivery_ids = {id};
  delivered.attempt = DeliveryAttempt{1, kT0, "delivered", 200, "ok"};
  ASSERT_TRUE(store->RecordAttempt(delivered).ok());

  SQLite::Database raw(Path(), SQLite::OPEN_READWRITE);
  try {
    raw.exec("UPDATE ledger SET outcome = 'forged'");
    ADD_FAILURE() << "UPDATE of the ledger succeeded";
  } catch (const SQLite::Exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("append-only"));
  }
  try {
    raw.exec("DELETE FROM ledger");
    ADD_FAILURE() << "DELETE from the ledger succeeded";
  } catch (const SQLite::Exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("append-only"));
  }
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM ledger WHERE outcome = 'delivered'").getInt(), 1);
  EXPECT_THAT(Outcomes(Stored(*store, id).history), ElementsAre("delivered"));
}

// ---- Recipients --------------------------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, RecipientsCreateGetAndList) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const Recipient alice = MakeRecipient("alice");
  ASSERT_TRUE(store->CreateRecipient(alice).ok());
  absl::StatusOr<std::optional<Recipient>> got = store->GetRecipient("acme", "alice");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  ExpectRecipientEq(alice, **got);
  EXPECT_THAT(store->GetRecipient("acme", "nobody"), IsOkAndAbsent());
  EXPECT_THAT(store->GetRecipient("", "alice"), IsOkAndAbsent());
  EXPECT_EQ(store->CreateRecipient(alice).code(), absl::StatusCode::kAlreadyExists);

  // Recipients are per tenant: globex's alice is another record beside acme's.
  Recipient globex_alice = MakeRecipient("alice", "globex");
  globex_alice.display_name = "Globex Alice";
  ASSERT_TRUE(store->CreateRecipient(globex_alice).ok());
  ExpectRecipientEq(alice, store->GetRecipient("acme", "alice").value().value());
  ExpectRecipientEq(globex_alice, store->GetRecipient("globex", "alice").value().value());

  Recipient everywhere = MakeRecipient("ops", "");
  everywhere.channels = {};
  everywhere.subscriptions = {};
  everywhere.language = "";
  everywhere.digest = false;
  ASSERT_TRUE(store->CreateRecipient(everywhere).ok());
  ExpectRecipientEq(everywhere, store->GetRecipient("", "ops").value().value());
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("bob")).ok());
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("carol", "globex")).ok());

  // "tenant/id", in (tenant, id) order: tenant-less ones first.
  auto list = [&](const std::string& tenant, const std::string& after_tenant,
                  const std::string& after_id, int limit) {
    absl::StatusOr<std::vector<Recipient>> found =
        store->ListRecipients(tenant, after_tenant, after_id, limit);
    EXPECT_TRUE(found.ok()) << found.status();
    std::vector<std::string> keys;
    for (const Recipient& r : found.value_or(std::vector<Recipient>{})) {
      keys.push_back(absl::StrCat(r.tenant, "/", r.id));
    }
    return keys;
  };
  EXPECT_THAT(list("", "", "", 10),
              ElementsAre("/ops", "acme/alice", "acme/bob", "globex/alice", "globex/carol"));
  EXPECT_THAT(list("", "", "", 2), ElementsAre("/ops", "acme/alice"));
  EXPECT_THAT(list("", "acme", "alice", 2), ElementsAre("acme/bob", "globex/alice"));
  EXPECT_THAT(list("", "globex", "carol", 2), IsEmpty());
  EXPECT_THAT(list("acme", "", "", 10), ElementsAre("acme/alice", "acme/bob"));
  EXPECT_THAT(list("acme", "acme", "alice", 10), ElementsAre("acme/bob"));
  EXPECT_THAT(list("globex", "", "", 10), ElementsAre("globex/alice", "globex/carol"));
}

TEST_F(SqliteNotifierStoreTest, SubscribersOfMatchesTenantAndLaunchSubscriptions) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  Recipient both = MakeRecipient("both");
  both.subscriptions = {"tenants/acme", "launches/L1"};
  Recipient tenant_only = MakeRecipient("tenant_only");
  tenant_only.subscriptions = {"tenants/acme"};
  Recipient launch_only = MakeRecipient("launch_only");
  launch_only.subscriptions = {"launches/L1"};
  Recipient other = MakeRecipient("other", "globex");
  other.subscriptions = {"tenants/globex", "launches/L2"};
  Recipient none = MakeRecipient("none");
  none.subscriptions = {};
  for (const Recipient& r : {both, tenant_only, launch_only, other, none}) {
    ASSERT_TRUE(store->CreateRecipient(r).ok()) << r.id;
  }
  auto subscribers = [&](const std::string& tenant, const std::string& launch) {
    absl::StatusOr<std::vector<Recipient>> found = store->SubscribersOf(tenant, launch);
    EXPECT_TRUE(found.ok()) << found.status();
    return RecipientIds(found.value_or(std::vector<Recipient>{}));
  };
  EXPECT_THAT(subscribers("acme", "L1"), ElementsAre("both", "launch_only", "tenant_only"));
  EXPECT_THAT(subscribers("acme", "L9"), ElementsAre("both", "tenant_only"));
  EXPECT_THAT(subscribers("initech", "L1"), ElementsAre("both", "launch_only"));
  EXPECT_THAT(subscribers("globex", "L2"), ElementsAre("other"));
  EXPECT_THAT(subscribers("", ""), IsEmpty());
  // Whole records come back.
  absl::StatusOr<std::vector<Recipient>> found = store->SubscribersOf("globex", "");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  ExpectRecipientEq(other, (*found)[0]);
}

TEST_F(SqliteNotifierStoreTest, UpdateRecipientChecksTheVersionAndMovesSubscriptions) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("alice")).ok());

  Recipient update = MakeRecipient("alice");
  update.version = 2;
  update.display_name = "Alice Zhang";
  update.language = "en";
  update.channels = {RecipientChannel{ChannelType::kDingtalk, "https://oapi.dingtalk.com/x",
                                      "file:/etc/preflight/ding"}};
  update.digest = false;
  update.subscriptions = {"launches/L7"};
  update.create_time = kT0 + absl::Hours(1);  // ignored: set at creation
  update.update_time = kT0 + absl::Hours(2);
  ASSERT_TRUE(store->UpdateRecipient(update).ok());
  Recipient want = update;
  want.create_time = kT0;
  ExpectRecipientEq(want, store->GetRecipient("acme", "alice").value().value());
  EXPECT_THAT(store->SubscribersOf("acme", "").value(), IsEmpty());
  EXPECT_THAT(RecipientIds(store->SubscribersOf("", "L7").value()), ElementsAre("alice"));

  // A stale writer (based on version 1) loses.
  Recipient stale = MakeRecipient("alice");
  stale.version = 2;
  stale.display_name = "stale";
  absl::Status status = store->UpdateRecipient(stale);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  stale.version = 5;
  EXPECT_EQ(store->UpdateRecipient(stale).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store->GetRecipient("acme", "alice").value().value().display_name, "Alice Zhang");

  Recipient missing = MakeRecipient("nobody");
  missing.version = 2;
  EXPECT_EQ(store->UpdateRecipient(missing).code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteNotifierStoreTest, DeleteRecipientChecksExistenceAndVersion) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("alice")).ok());
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("bob")).ok());

  EXPECT_EQ(store->DeleteRecipient("acme", "nobody", std::nullopt).code(),
            absl::StatusCode::kNotFound);
  // Another tenant's id is another recipient.
  EXPECT_EQ(store->DeleteRecipient("globex", "alice", std::nullopt).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->DeleteRecipient("acme", "alice", 2).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(store->GetRecipient("acme", "alice").value().has_value());

  ASSERT_TRUE(store->DeleteRecipient("acme", "alice", 1).ok());
  ASSERT_TRUE(store->DeleteRecipient("acme", "bob", std::nullopt).ok());
  EXPECT_THAT(store->GetRecipient("acme", "alice"), IsOkAndAbsent());
  EXPECT_THAT(store->SubscribersOf("acme", "L1"), IsOkAndHolds(IsEmpty()));
  EXPECT_EQ(store->DeleteRecipient("acme", "alice", std::nullopt).code(),
            absl::StatusCode::kNotFound);
  // The id is free again.
  ASSERT_TRUE(store->CreateRecipient(MakeRecipient("alice")).ok());
  EXPECT_THAT(RecipientIds(store->SubscribersOf("acme", "").value()), ElementsAre("alice"));
}

// ---- Inbox and secrets -------------------------------------------------------------------------

TEST_F(SqliteNotifierStoreTest, InboxPagesNewestFirstPerRecipient) {
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 5; ++i) deliveries.push_back(MakeDelivery(absl::StrCat("k", i)));
  std::vector<Delivery> inserted = Insert(*store, deliveries);
  ASSERT_EQ(inserted.size(), 5u);
  ASSERT_TRUE(store
                  ->LeaseDeliveries({inserted[0].id, inserted[1].id, inserted[2].id, inserted[3].id,
                                     inserted[4].id},
                                    "", kT0)
                  .ok());
  for (int i = 0; i < 5; ++i) {
    AttemptOutcome outcome;
    outcome.delivery_ids = {inserted[i].id};
    outcome.attempt = DeliveryAttempt{1, kT0 + absl::Seconds(i), "delivered", 0, ""};
    outcome.inbox = {InboxMessage{0, i == 2 ? "bob" : "alice", inserted[i].id,
                                  absl::StrCat("subject ", i), "body", kT0 + absl::Seconds(i)}};
    ASSERT_TRUE(store->RecordAttempt(outcome).ok());
  }
  auto subjects = [&](const std::string& recipient, int64_t before, int limit) {
    absl::StatusOr<std::vector<InboxMessage>> found =
        store->ListInbox("", recipient, before, limit);
    EXPECT_TRUE(found.ok()) << found.status();
    std::vector<std::string> out;
    for (const InboxMessage& m : found.value_or(std::vector<InboxMessage>{})) {
      out.push_back(m.subject);
    }
    return out;
  };
  EXPECT_THAT(subjects("alice", 0, 10),
              ElementsAre("subject 4", "subject 3", "subject 1", "subject 0"));
  absl::StatusOr<std::vector<InboxMessage>> page = store->ListInbox("", "alice", 0, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_THAT(subjects("alice", page->back().id, 2), ElementsAre("subject 1", "subject 0"));
  EXPECT_THAT(subjects("bob", 0, 10), ElementsAre("subject 2"));
  EXPECT_THAT(subjects("carol", 0, 10), IsEmpty());
}

TEST_F(SqliteNotifierStoreTest, SecretsAreRandomAndStableAcrossReopen) {
  std::string first;
  {
    std::unique_ptr<SqliteNotifierStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<std::string> secret = store->GetOrCreateSecret("page_token_key");
    ASSERT_TRUE(secret.ok()) << secret.status();
    first = *secret;
    EXPECT_EQ(first.size(), 32u);
    EXPECT_THAT(store->GetOrCreateSecret("page_token_key"), IsOkAndHolds(first));
    absl::StatusOr<std::string> other = store->GetOrCreateSecret("other");
    ASSERT_TRUE(other.ok()) << other.status();
    EXPECT_NE(*other, first);
  }
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->GetOrCreateSecret("page_token_key"), IsOkAndHolds(first));
}

// ---- Durability and read-only ------------------------------------------------------------------

// Writes one of everything; returns the delivery's id.
int64_t Populate(SqliteNotifierStore& store) {
  EventEffects effects;
  effects.sequence = 3;
  effects.launch = MakeLaunch("L1");
  effects.items = {MakeItem("L1", "ICP", kT0)};
  EXPECT_TRUE(store.ApplyEvent(effects).ok());
  Decision decision;
  decision.launch_id = "L1";
  decision.item_code = "ICP";
  decision.handled = {HandledRung{"L1", "ICP", "r1", "sent", kT0}};
  decision.deliveries = {MakeDelivery("k")};
  decision.next_check_time = kT0 + absl::Hours(1);
  absl::StatusOr<std::vector<Delivery>> inserted = store.CommitDecision(decision);
  EXPECT_TRUE(inserted.ok() && inserted->size() == 1u);
  const int64_t id = inserted.ok() && !inserted->empty() ? inserted->front().id : 0;
  EXPECT_TRUE(store.LeaseDeliveries({id}, "unit", kT0).ok());
  AttemptOutcome outcome;
  outcome.delivery_ids = {id};
  outcome.attempt = DeliveryAttempt{1, kT0, "delivered", 200, "ok"};
  outcome.inbox = {InboxMessage{0, "alice", id, "s", "b", kT0}};
  EXPECT_TRUE(store.RecordAttempt(outcome).ok());
  EXPECT_TRUE(store.CreateRecipient(MakeRecipient("alice")).ok());
  return id;
}

void ExpectPopulated(SqliteNotifierStore& store, int64_t id) {
  EXPECT_THAT(store.AppliedSequence(), IsOkAndHolds(3));
  ExpectLaunchEq(MakeLaunch("L1"), store.GetLaunch("L1").value().value());
  ItemRecord item = MakeItem("L1", "ICP", kT0 + absl::Hours(1));
  ExpectItemEq(item, store.GetItem("L1", "ICP").value().value());
  EXPECT_EQ(store.HandledRungs("L1", "ICP").value().size(), 1u);
  absl::StatusOr<std::optional<Delivery>> delivery = store.GetDelivery(id);
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  EXPECT_EQ((*delivery)->state, DeliveryState::kDelivered);
  EXPECT_EQ((*delivery)->unit_key, "unit");
  EXPECT_THAT(Outcomes((*delivery)->history), ElementsAre("delivered"));
  EXPECT_EQ(store.ListInbox("", "alice", 0, 10).value().size(), 1u);
  ExpectRecipientEq(MakeRecipient("alice"), store.GetRecipient("acme", "alice").value().value());
  EXPECT_THAT(RecipientIds(store.SubscribersOf("acme", "L1").value()), ElementsAre("alice"));
}

TEST_F(SqliteNotifierStoreTest, EverythingSurvivesReopening) {
  int64_t id = 0;
  {
    std::unique_ptr<SqliteNotifierStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    id = Populate(*store);
  }
  std::unique_ptr<SqliteNotifierStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ExpectPopulated(*store, id);
}

TEST_F(SqliteNotifierStoreTest, ReadOnlyStoreServesReadsAndRefusesWrites) {
  int64_t id = 0;
  std::string secret;
  {
    std::unique_ptr<SqliteNotifierStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    id = Populate(*store);
    secret = store->GetOrCreateSecret("key").value_or("");
  }
  SqliteNotifierStore::Options options;
  options.read_only = true;
  std::unique_ptr<SqliteNotifierStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  ExpectPopulated(*store, id);
  EXPECT_THAT(store->GetOrCreateSecret("key"), IsOkAndHolds(secret));

  EventEffects effects;
  effects.sequence = 4;
  effects.launch = MakeLaunch("L2");
  auto expect_refused = [](const absl::Status& status) {
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_THAT(status.message(), HasSubstr("read-only"));
  };
  expect_refused(store->ApplyEvent(effects));
  Decision decision;
  decision.launch_id = "L1";
  decision.item_code = "ICP";
  decision.deliveries = {MakeDelivery("new")};
  expect_refused(store->CommitDecision(decision).status());
  expect_refused(store->UpdateItemControls(MakeItem("L1", "ICP")));
  expect_refused(store->CreateRecipient(MakeRecipient("zed")));
  expect_refused(store->DeleteRecipient("acme", "alice", std::nullopt));
  expect_refused(store->GetOrCreateSecret("fresh").status());

  EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(3));
  EXPECT_THAT(store->GetLaunch("L2"), IsOkAndAbsent());
  EXPECT_EQ(store->ListDeliveries({}, 0, 10).value().size(), 1u);
}

TEST_F(SqliteNotifierStoreTest, ReadOnlyOpenOfAnUnmigratedFileFails) {
  { SQLite::Database raw(Path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
  SqliteNotifierStore::Options options;
  options.read_only = true;
  EXPECT_EQ(SqliteNotifierStore::Open(Path(), options).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace preflight::notifier

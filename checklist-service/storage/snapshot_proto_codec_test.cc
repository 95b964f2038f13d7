#include "checklist-service/storage/snapshot_proto_codec.h"

#include <string>
#include <utility>

#include "checklist-service/storage/snapshot.pb.h"
#include "checklist-service/testing/snapshot_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

namespace pb = ::preflight::checklist::storage;
using testing::ExpectEventEq;
using testing::ExpectItemEq;
using testing::ExpectLaunchEq;
using testing::FullItem;
using testing::FullLaunch;
using ::testing::HasSubstr;

TEST(SnapshotProtoCodecTest, FullLaunchRoundTrips) {
  const Launch launch = FullLaunch("L1");
  absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectLaunchEq(launch, *decoded);
}

TEST(SnapshotProtoCodecTest, DefaultLaunchRoundTrips) {
  const Launch launch;
  absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectLaunchEq(launch, *decoded);
  EXPECT_FALSE(decoded->went_live_date.has_value());
  EXPECT_FALSE(decoded->schedule.projected_launch.has_value());
}

TEST(SnapshotProtoCodecTest, FullItemRoundTrips) {
  const Item item = FullItem("L1", "ICP_FILING");
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(item, *decoded);
}

TEST(SnapshotProtoCodecTest, DefaultItemRoundTrips) {
  const Item item;
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(item, *decoded);
  EXPECT_FALSE(decoded->due_date.has_value());
  EXPECT_FALSE(decoded->schedule.latest_start.has_value());
}

TEST(SnapshotProtoCodecTest, ScheduleYearsAndEstimatesRoundTrip) {
  Launch launch = FullLaunch("L1");
  launch.schedule.unconfirmed_years = {2027, 2028};
  launch.schedule.estimated_critical_items = {"PERMIT_GAME", "CODE_REVIEW"};
  absl::StatusOr<Launch> decoded_launch = DecodeLaunch(EncodeLaunch(launch));
  ASSERT_TRUE(decoded_launch.ok()) << decoded_launch.status();
  ExpectLaunchEq(launch, *decoded_launch);

  Item item = FullItem("L1", "PERMIT_GAME");
  item.schedule.unconfirmed_years = {2027};
  item.schedule.duration_estimated = true;
  absl::StatusOr<Item> decoded_item = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded_item.ok()) << decoded_item.status();
  ExpectItemEq(item, *decoded_item);
}

// A row written before the fields existed lacks them: it reads them as empty, the rest intact.
TEST(SnapshotProtoCodecTest, RowsWithoutScheduleYearsAndEstimatesReadThemAsEmpty) {
  Launch launch = FullLaunch("L1");
  launch.schedule.unconfirmed_years = {2027};
  launch.schedule.estimated_critical_items = {"PERMIT_GAME"};
  pb::Launch stored_launch;
  ASSERT_TRUE(stored_launch.ParseFromString(EncodeLaunch(launch)));
  stored_launch.mutable_schedule()->clear_unconfirmed_years();
  stored_launch.mutable_schedule()->clear_estimated_critical_items();
  absl::StatusOr<Launch> old_launch = DecodeLaunch(stored_launch.SerializeAsString());
  ASSERT_TRUE(old_launch.ok()) << old_launch.status();
  ExpectLaunchEq(FullLaunch("L1"), *old_launch);

  Item item = FullItem("L1", "PERMIT_GAME");
  item.schedule.unconfirmed_years = {2027};
  item.schedule.duration_estimated = true;
  pb::Item stored_item;
  ASSERT_TRUE(stored_item.ParseFromString(EncodeItem(item)));
  stored_item.mutable_schedule()->clear_unconfirmed_years();
  stored_item.mutable_schedule()->clear_duration_estimated();
  absl::StatusOr<Item> old_item = DecodeItem(stored_item.SerializeAsString());
  ASSERT_TRUE(old_item.ok()) << old_item.status();
  ExpectItemEq(FullItem("L1", "PERMIT_GAME"), *old_item);
}

// The epoch day itself (0) is a present date, not an absent one.
TEST(SnapshotProtoCodecTest, EpochAndNegativeDatesKeepPresence) {
  Item item = FullItem("L1", "X");
  item.due_date = absl::CivilDay(1970, 1, 1);
  item.started_date = absl::CivilDay(1969, 12, 31);
  item.expiry_date.reset();
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(item, *decoded);
}

TEST(SnapshotProtoCodecTest, EveryEnumValueRoundTrips) {
  for (ItemStatus status :
       {ItemStatus::kNotStarted, ItemStatus::kInProgress, ItemStatus::kSubmitted,
        ItemStatus::kApproved, ItemStatus::kRejected, ItemStatus::kWaived,
        ItemStatus::kNotApplicable, ItemStatus::kReturned}) {
    Item item = FullItem("L1", "X");
    item.status = status;
    item.status_before_not_applicable = status;
    absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->status, status) << ItemStatusName(status);
    EXPECT_EQ(decoded->status_before_not_applicable, status) << ItemStatusName(status);
  }
  for (v1::DayUnit unit :
       {v1::DAY_UNIT_UNSPECIFIED, v1::DAY_UNIT_WORKING_DAYS, v1::DAY_UNIT_CALENDAR_DAYS}) {
    for (DeadlineAnchor anchor : {DeadlineAnchor::kBeforeLaunch, DeadlineAnchor::kAfterGoLive}) {
      Item item = FullItem("L1", "X");
      item.duration.unit = unit;
      item.deadline.unit = unit;
      item.deadline.anchor = anchor;
      absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
      ASSERT_TRUE(decoded.ok()) << decoded.status();
      ExpectItemEq(item, *decoded);
    }
  }
  for (int type = v1::SubjectType_MIN; type <= v1::SubjectType_MAX; ++type) {
    Launch launch = FullLaunch("L1");
    launch.profile.subject_type = static_cast<v1::SubjectType>(type);
    absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->profile.subject_type, launch.profile.subject_type);
  }
  for (int hosting = v1::Hosting_MIN; hosting <= v1::Hosting_MAX; ++hosting) {
    Launch launch = FullLaunch("L1");
    launch.profile.hosting = static_cast<v1::Hosting>(hosting);
    absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->profile.hosting, launch.profile.hosting);
  }
}

// The stored numbers are the storage proto's own: pinned here, so a renumbering shows up as a
// failing test rather than as rows that silently read back as another value.
TEST(SnapshotProtoCodecTest, EnumsAreStoredUnderTheirOwnNumbers) {
  Item item = FullItem("L1", "X");
  item.status = ItemStatus::kNotApplicable;
  item.status_before_not_applicable = ItemStatus::kNotStarted;
  item.duration.unit = v1::DAY_UNIT_CALENDAR_DAYS;
  item.deadline.anchor = DeadlineAnchor::kAfterGoLive;
  pb::Item stored;
  ASSERT_TRUE(stored.ParseFromString(EncodeItem(item)));
  EXPECT_EQ(stored.status(), 7);
  EXPECT_EQ(stored.status_before_not_applicable(), 1);
  EXPECT_EQ(stored.duration().unit(), 3);
  EXPECT_EQ(stored.deadline().anchor(), 2);
  EXPECT_EQ(stored.due_day(), 20726);  // 2026-09-30
  item.status = ItemStatus::kReturned;
  ASSERT_TRUE(stored.ParseFromString(EncodeItem(item)));
  EXPECT_EQ(stored.status(), 8);

  pb::Launch launch;
  ASSERT_TRUE(launch.ParseFromString(EncodeLaunch(FullLaunch("L1"))));
  EXPECT_EQ(launch.profile().subject_type(), pb::SUBJECT_TYPE_INDIVIDUAL_BUSINESS);
  EXPECT_EQ(launch.profile().subject_type(), 3);
  EXPECT_EQ(launch.profile().hosting(), 2);
  EXPECT_EQ(launch.create_time_micros(), 1767225600123456);
}

// Rows written before orders were counted have no paid_orders (field 34) or per-order fields.
// Every submission then opened an order, so paid_orders reads as attempts: a per-attempt item's
// fees stay what they were. A row that has the field keeps it, 0 included.
TEST(SnapshotProtoCodecTest, RowsWithoutOrderCountsReadPaidOrdersFromAttempts) {
  Item item = FullItem("L1", "MP_VERIFY");
  item.status = ItemStatus::kRejected;
  item.fee_charged_per_order = false;
  item.resubmissions_per_order = 0;
  item.resubmissions_in_order = 0;
  item.attempts = 4;
  pb::Item stored;
  ASSERT_TRUE(stored.ParseFromString(EncodeItem(item)));
  stored.clear_paid_orders();
  absl::StatusOr<Item> old_row = DecodeItem(stored.SerializeAsString());
  ASSERT_TRUE(old_row.ok()) << old_row.status();
  EXPECT_EQ(old_row->paid_orders, 4);
  EXPECT_EQ(old_row->resubmissions_in_order, 0);
  EXPECT_FALSE(old_row->fee_charged_per_order);
  EXPECT_TRUE(old_row->fee_charged_per_attempt);
  EXPECT_EQ(FeesPaid(*old_row), 4 * 30000);

  // Written now: kept as is, 0 included, even where it differs from attempts.
  for (int paid_orders : {0, 1}) {
    item.paid_orders = paid_orders;
    ASSERT_TRUE(stored.ParseFromString(EncodeItem(item)));
    EXPECT_TRUE(stored.has_paid_orders());
    absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->paid_orders, paid_orders);
  }
}

TEST(SnapshotProtoCodecTest, TextIsKeptByteForByte) {
  Item item = FullItem("L1", "X");
  item.notes = std::string("bad \xff byte and a \0 NUL", 22);
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->notes, item.notes);
}

TEST(SnapshotProtoCodecTest, GarbageIsDataLoss) {
  for (const std::string& bytes :
       {std::string("not a protobuf \xff\xff\xff\xff"), std::string("{\"id\": \"L1\"}"),
        std::string("\x0a\x7f", 2), std::string("\xff", 1)}) {
    EXPECT_EQ(DecodeLaunch(bytes).status().code(), absl::StatusCode::kDataLoss) << bytes;
    EXPECT_EQ(DecodeItem(bytes).status().code(), absl::StatusCode::kDataLoss) << bytes;
    Event event;
    EXPECT_EQ(DecodeEventPayload(bytes, &event).code(), absl::StatusCode::kDataLoss) << bytes;
  }
  // Empty bytes parse, as an empty message, but lack every required part.
  EXPECT_EQ(DecodeLaunch("").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeItem("").status().code(), absl::StatusCode::kDataLoss);
}

TEST(SnapshotProtoCodecTest, InvalidValuesAreDataLoss) {
  auto item_with = [](void (*edit)(pb::Item*)) {
    pb::Item stored;
    EXPECT_TRUE(stored.ParseFromString(EncodeItem(FullItem("L1", "X"))));
    edit(&stored);
    return DecodeItem(stored.SerializeAsString()).status();
  };
  EXPECT_THAT(
      item_with([](pb::Item* i) { i->set_status(static_cast<pb::ItemStatus>(42)); }).message(),
      HasSubstr("status"));
  EXPECT_EQ(item_with([](pb::Item* i) { i->clear_status(); }).code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(item_with([](pb::Item* i) {
                i->mutable_duration()->set_unit(pb::DAY_UNIT_INVALID);
              }).message(),
              HasSubstr("duration.unit"));
  EXPECT_THAT(item_with([](pb::Item* i) { i->mutable_deadline()->clear_anchor(); }).message(),
              HasSubstr("anchor"));
  EXPECT_EQ(item_with([](pb::Item* i) { i->clear_schedule(); }).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(item_with([](pb::Item* i) { i->set_version(0); }).code(), absl::StatusCode::kDataLoss);

  pb::Launch launch;
  ASSERT_TRUE(launch.ParseFromString(EncodeLaunch(FullLaunch("L1"))));
  launch.mutable_profile()->set_hosting(static_cast<pb::Hosting>(99));
  absl::Status status = DecodeLaunch(launch.SerializeAsString()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("hosting"));
}

TEST(SnapshotProtoCodecTest, EventPayloadCarriesOnlyTheSnapshotsSet) {
  Event event;
  event.item = FullItem("L1", "MP_FILING");
  const std::string bytes = EncodeEventPayload(event);
  pb::EventPayload stored;
  ASSERT_TRUE(stored.ParseFromString(bytes));
  EXPECT_FALSE(stored.has_launch());

  Event decoded;
  decoded.launch = FullLaunch("stale");
  ASSERT_TRUE(DecodeEventPayload(bytes, &decoded).ok());
  EXPECT_FALSE(decoded.launch.has_value());
  ASSERT_TRUE(decoded.item.has_value());
  ExpectItemEq(*event.item, *decoded.item);

  event.launch = FullLaunch("L1");
  Event both;
  ASSERT_TRUE(DecodeEventPayload(EncodeEventPayload(event), &both).ok());
  ExpectEventEq(event, both);

  // Neither: an empty payload, which decodes to an event without snapshots.
  Event none;
  EXPECT_EQ(EncodeEventPayload(none), "");
  both.launch = FullLaunch("stale");
  ASSERT_TRUE(DecodeEventPayload("", &both).ok());
  EXPECT_FALSE(both.launch.has_value());
  EXPECT_FALSE(both.item.has_value());
}

TEST(SnapshotProtoCodecTest, CorruptEventSnapshotLeavesTheEventUntouched) {
  pb::EventPayload stored;
  ASSERT_TRUE(stored.mutable_launch()->ParseFromString(EncodeLaunch(FullLaunch("L1"))));
  stored.mutable_item()->set_version(1);  // no duration, deadline or schedule
  Event event;
  event.launch = FullLaunch("before");
  absl::Status status = DecodeEventPayload(stored.SerializeAsString(), &event);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("event item"));
  ASSERT_TRUE(event.launch.has_value());
  EXPECT_EQ(event.launch->id, "before");
}

}  // namespace
}  // namespace preflight::checklist

#include "checklist-service/storage/legacy_json_codec.h"

#include <string>
#include <utility>

#include "checklist-service/testing/snapshot_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist::legacy_json {
namespace {

using ::nlohmann::json;
using ::preflight::testing::AsReadFromJsonRow;
using ::preflight::testing::ExpectItemEq;
using ::preflight::testing::ExpectLaunchEq;
using ::preflight::testing::Schema2FullItem;
using ::preflight::testing::Schema2FullLaunch;
using ::testing::HasSubstr;

TEST(LegacyJsonCodecTest, FullLaunchRoundTrips) {
  const Launch launch = Schema2FullLaunch("L1");
  absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectLaunchEq(launch, *decoded);
}

TEST(LegacyJsonCodecTest, DefaultLaunchRoundTrips) {
  const Launch launch;
  absl::StatusOr<Launch> decoded = DecodeLaunch(EncodeLaunch(launch));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectLaunchEq(launch, *decoded);
  EXPECT_FALSE(decoded->went_live_date.has_value());
  EXPECT_FALSE(decoded->schedule.projected_launch.has_value());
}

TEST(LegacyJsonCodecTest, FullItemRoundTrips) {
  const Item item = Schema2FullItem("L1", "ICP_FILING");
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(AsReadFromJsonRow(item), *decoded);
  EXPECT_EQ(decoded->paid_orders, item.attempts);
}

TEST(LegacyJsonCodecTest, DefaultItemRoundTrips) {
  const Item item;
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(item, *decoded);
  EXPECT_FALSE(decoded->due_date.has_value());
  EXPECT_FALSE(decoded->schedule.latest_start.has_value());
}

TEST(LegacyJsonCodecTest, EveryStatusRoundTrips) {
  for (ItemStatus status : {ItemStatus::kNotStarted, ItemStatus::kInProgress,
                            ItemStatus::kSubmitted, ItemStatus::kApproved, ItemStatus::kRejected,
                            ItemStatus::kWaived, ItemStatus::kNotApplicable}) {
    Item item = Schema2FullItem("L1", "X");
    item.status = status;
    item.status_before_not_applicable = status;
    absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->status, status) << ItemStatusName(status);
    EXPECT_EQ(decoded->status_before_not_applicable, status) << ItemStatusName(status);
  }
}

TEST(LegacyJsonCodecTest, TimesAreStoredAsUnixMicros) {
  Launch launch;
  launch.create_time = absl::FromUnixMicros(-1);  // before the epoch survives too
  launch.update_time = absl::FromUnixMicros(1767225600123456);
  const json j = LaunchToJson(launch);
  EXPECT_EQ(j.at("create_time_micros").get<int64_t>(), -1);
  EXPECT_EQ(j.at("update_time_micros").get<int64_t>(), 1767225600123456);
  absl::StatusOr<Launch> decoded = LaunchFromJson(j);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->create_time, launch.create_time);
}

TEST(LegacyJsonCodecTest, EnumsAndDatesAreReadableNames) {
  const json j = ItemToJson(Schema2FullItem("L1", "MP_VERIFY"));
  EXPECT_EQ(j.at("status"), "NOT_APPLICABLE");
  EXPECT_EQ(j.at("duration").at("unit"), "CALENDAR_DAYS");
  EXPECT_EQ(j.at("deadline").at("anchor"), "AFTER_GO_LIVE");
  EXPECT_EQ(j.at("due_date"), "2026-09-30");
  const json launch = LaunchToJson(Schema2FullLaunch("L1"));
  EXPECT_EQ(launch.at("profile").at("subject_type"), "SUBJECT_TYPE_INDIVIDUAL_BUSINESS");
  EXPECT_EQ(launch.at("target_launch_date"), "2026-10-08");
}

// Day units keep the names they were stored under before the API's DayUnit values took the
// DAY_UNIT_ prefix, so snapshots written before and after read alike in either release.
TEST(LegacyJsonCodecTest, DayUnitsKeepTheirStoredNames) {
  for (const auto& [unit, stored] : {std::pair{v1::DAY_UNIT_WORKING_DAYS, "WORKING_DAYS"},
                                     std::pair{v1::DAY_UNIT_CALENDAR_DAYS, "CALENDAR_DAYS"},
                                     std::pair{v1::DAY_UNIT_UNSPECIFIED, "DAY_UNIT_UNSPECIFIED"}}) {
    Item item = Schema2FullItem("L1", "X");
    item.duration.unit = unit;
    item.deadline.unit = unit;
    const json j = ItemToJson(item);
    EXPECT_EQ(j.at("duration").at("unit"), stored);
    EXPECT_EQ(j.at("deadline").at("unit"), stored);
    absl::StatusOr<Item> decoded = ItemFromJson(j);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->duration.unit, unit) << stored;
    EXPECT_EQ(decoded->deadline.unit, unit) << stored;
  }
  // The API's names are not a stored form.
  absl::StatusOr<Item> api_name = DecodeItem(R"({"duration": {"unit": "DAY_UNIT_WORKING_DAYS"}})");
  EXPECT_EQ(api_name.status().code(), absl::StatusCode::kDataLoss);
}

TEST(LegacyJsonCodecTest, UnknownFieldsAreIgnored) {
  json j = ItemToJson(Schema2FullItem("L1", "DOMAIN"));
  j["added_in_a_later_release"] = {{"nested", 1}};
  j["schedule"]["future_flag"] = true;
  absl::StatusOr<Item> decoded = ItemFromJson(j);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectItemEq(AsReadFromJsonRow(Schema2FullItem("L1", "DOMAIN")), *decoded);
}

TEST(LegacyJsonCodecTest, MissingFieldsTakeDefaults) {
  absl::StatusOr<Launch> decoded = DecodeLaunch(R"({"id": "L9", "tenant": "t"})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  Launch want;
  want.id = "L9";
  want.tenant = "t";
  ExpectLaunchEq(want, *decoded);
}

TEST(LegacyJsonCodecTest, CorruptSnapshotsAreDataLoss) {
  for (const char* text : {
           "not json",
           "[1, 2]",
           R"({"version": "seven"})",
           R"({"status": "HALF_DONE"})",
           R"({"due_date": "2026-02-30"})",
           R"({"duration": {"unit": "FORTNIGHTS"}})",
           R"({"deadline": {"anchor": "SOMETIME"}})",
           R"({"depends_on": {"code": "X"}})",
           R"({"evidence": [42]})",
           R"({"schedule": 3})",
       }) {
    absl::StatusOr<Item> decoded = DecodeItem(text);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << text;
  }
  absl::StatusOr<Launch> launch = DecodeLaunch(R"({"profile": {"hosting": "MARS"}})");
  EXPECT_EQ(launch.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(launch.status().message(), HasSubstr("hosting"));
}

TEST(LegacyJsonCodecTest, InvalidUtf8IsReplacedNotFatal) {
  Item item = Schema2FullItem("L1", "X");
  item.notes = std::string("bad \xff byte");
  absl::StatusOr<Item> decoded = DecodeItem(EncodeItem(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->notes, "bad \xEF\xBF\xBD byte");
}

TEST(LegacyJsonCodecTest, EventPayloadCarriesOnlyTheSnapshotsSet) {
  Event event;
  event.item = Schema2FullItem("L1", "MP_FILING");
  const std::string text = EncodeEventPayload(event);
  EXPECT_FALSE(json::parse(text).contains("launch"));

  Event decoded;
  decoded.launch = Schema2FullLaunch("stale");
  ASSERT_TRUE(DecodeEventPayload(text, &decoded).ok());
  EXPECT_FALSE(decoded.launch.has_value());
  ASSERT_TRUE(decoded.item.has_value());
  ExpectItemEq(AsReadFromJsonRow(*event.item), *decoded.item);

  event.launch = Schema2FullLaunch("L1");
  Event both;
  ASSERT_TRUE(DecodeEventPayload(EncodeEventPayload(event), &both).ok());
  ASSERT_TRUE(both.launch.has_value());
  ExpectLaunchEq(*event.launch, *both.launch);

  EXPECT_EQ(DecodeEventPayload("[]", &both).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeEventPayload(R"({"item": {"status": 5}})", &both).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace preflight::checklist::legacy_json

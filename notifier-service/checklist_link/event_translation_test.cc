#include "notifier-service/checklist_link/event_translation.h"

#include <optional>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An approved 47-day HTTPS certificate, as the checklist's item event carries it.
v1::Event CertificateEvent() {
  v1::Event event;
  event.set_sequence(42);
  event.set_type(v1::Event::TYPE_ITEM_UPDATED);
  event.set_launch("launches/l1");
  event.set_item_code("TLS_CERT");
  v1::Item* item = event.mutable_item_snapshot();
  item->set_name("launches/l1/items/TLS_CERT");
  item->set_code("TLS_CERT");
  item->set_status(v1::ITEM_STATUS_APPROVED);
  item->set_version(3);
  item->set_approved_date("2026-11-06");
  item->set_expiry_date("2026-12-23");
  for (int days : {30, 14, 7}) item->add_renewal_reminder_days(days);
  return event;
}

TEST(EventTranslationTest, ItemCarriesItsRenewalDaysAndApprovalDay) {
  absl::StatusOr<std::optional<ItemInfo>> item = ItemFromEvent(CertificateEvent());
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->has_value());
  EXPECT_THAT((*item)->renewal_days, ElementsAre(30, 14, 7));
  EXPECT_EQ((*item)->approved, absl::CivilDay(2026, 11, 6));
  EXPECT_EQ((*item)->expiry, absl::CivilDay(2026, 12, 23));
}

TEST(EventTranslationTest, WithoutThemThePolicyDecides) {
  v1::Event event = CertificateEvent();
  event.mutable_item_snapshot()->clear_renewal_reminder_days();
  event.mutable_item_snapshot()->clear_approved_date();
  absl::StatusOr<std::optional<ItemInfo>> item = ItemFromEvent(event);
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->has_value());
  EXPECT_THAT((*item)->renewal_days, ElementsAre());
  EXPECT_FALSE((*item)->approved.has_value());
}

// Bad days are dropped (and logged), never the event: failing it would stall the stream.
TEST(EventTranslationTest, OutOfRangeRenewalDaysAreIgnored) {
  v1::Event event = CertificateEvent();
  v1::Item* snapshot = event.mutable_item_snapshot();
  snapshot->clear_renewal_reminder_days();
  for (int days : {0, 30, -14, 30, 100000, 7}) snapshot->add_renewal_reminder_days(days);
  absl::StatusOr<std::optional<ItemInfo>> item = ItemFromEvent(event);
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->has_value());
  EXPECT_THAT((*item)->renewal_days, ElementsAre(30, 7));

  // None usable: as if the template had given none.
  snapshot->clear_renewal_reminder_days();
  snapshot->add_renewal_reminder_days(-1);
  item = ItemFromEvent(event);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_THAT((*item)->renewal_days, ElementsAre());
}

// Like every date of the snapshot.
TEST(EventTranslationTest, MalformedApprovalDayIsInvalid) {
  v1::Event event = CertificateEvent();
  event.mutable_item_snapshot()->set_approved_date("06/11/2026");
  absl::StatusOr<ChecklistEvent> translated = TranslateEvent(event);
  EXPECT_EQ(translated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(translated.status().message(), HasSubstr("item.approved_date"));
}

}  // namespace
}  // namespace preflight::notifier

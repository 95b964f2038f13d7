#pragma once

// Test helpers for the storage tests: model values with every field set away from its default,
// field-by-field equality checks that name the field that differs, and the commits the store
// tests build on.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/model.h"
#include "gtest/gtest.h"

namespace preflight::testing {

// A launch whose every field (optional dates included) differs from a default Launch, except
// the schedule's unconfirmed_years and estimated_critical_items: they came after
// testdata/checklist_v2.db, which holds launches made by this function (see v2_fixture.h).
inline checklist::Launch FullLaunch(const std::string& id, const std::string& tenant = "tenant-a") {
  checklist::Launch launch;
  launch.id = id;
  launch.tenant = tenant;
  launch.display_name = "云上小店 mini program";
  launch.owner = "owner@example.com";
  launch.target_launch_date = absl::CivilDay(2026, 10, 8);
  launch.time_zone = "Asia/Urumqi";
  launch.profile.subject_type = v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS;
  launch.profile.hosting = v1::HOSTING_OWN_MAINLAND_SERVER;
  launch.profile.takes_payments = true;
  launch.profile.mini_game = true;
  launch.profile.province = "ZJ";
  launch.profile.account_subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  launch.profile.service_categories = {"food", "social-live"};
  launch.template_id = "cn-miniprogram-2025";
  launch.went_live_date = absl::CivilDay(2026, 10, 12);
  launch.blockers = {{"NO_PAYMENT_FOR_INDIVIDUALS", "individuals cannot take payments", ""},
                     {"ICP_FILING", "waiting for ICP filing", "ICP_FILING"}};
  launch.request_id = absl::StrCat("req-", id);
  launch.request_fingerprint = "fp-0123456789abcdef";
  launch.version = 1;
  launch.create_time = absl::FromUnixMicros(1767225600123456);
  launch.update_time = absl::FromUnixMicros(1767225600654321);
  launch.schedule.as_of = absl::CivilDay(2026, 3, 2);
  launch.schedule.projected_launch = absl::CivilDay(2026, 11, 3);
  launch.schedule.critical_path = {"MP_ACCOUNT", "MP_FILING", "CODE_REVIEW"};
  launch.schedule.at_risk = true;
  launch.schedule.slack_working_days = -4;
  launch.schedule.unconfirmed_calendar = true;
  launch.schedule.fees_paid = 30000;
  launch.schedule.fees_expected = 9000000000LL;
  return launch;
}

// An item whose every field (optional dates included) differs from a default Item, except the
// schedule's unconfirmed_years and duration_estimated (as for FullLaunch).
inline checklist::Item FullItem(const std::string& launch_id, const std::string& code) {
  checklist::Item item;
  item.launch_id = launch_id;
  item.code = code;
  item.title_en = absl::StrCat("Qualification ", code);
  item.title_zh = "ICP备案 \"quoted\" \\ back\nslash";
  item.group = "filing";
  item.custom = true;
  item.external = true;
  item.status = checklist::ItemStatus::kNotApplicable;
  item.status_before_not_applicable = checklist::ItemStatus::kSubmitted;
  item.applicability_reason = "hosting is WeChat cloud";
  item.depends_on = {{"SERVER", 0}, {"DOMAIN_RN", 3}};
  item.duration = {v1::DAY_UNIT_CALENDAR_DAYS, 3, 10, 24};
  item.deadline = {checklist::DeadlineAnchor::kAfterGoLive,
                   30,
                   v1::DAY_UNIT_WORKING_DAYS,
                   3,
                   31,
                   "WXPAY_MCH",
                   3};
  item.due_date = absl::CivilDay(2026, 9, 30);
  item.assignee = "ops@example.com";
  item.notes = "curtain photo booked";
  item.evidence = {{"https://example.com/a.pdf", "licence scan"}, {"s3://bucket/b", ""}};
  item.official_number = "粤ICP备2026012345号-1X";
  item.official_number_label = "备案号";
  item.expiry_date = absl::CivilDay(2027, 9, 30);
  item.validity_months = 12;
  item.validity_steps = {{std::nullopt, 398}, {absl::CivilDay(2026, 3, 15), 200}};
  item.renew_by_month = 3;
  item.renew_by_day = 31;
  item.renewal_reminder_days = {30, 14, 7};
  item.materials = {{"business_licence", "Business licence", "营业执照", "scan \"both\" sides",
                     "S11", true, checklist::MaterialStatus::kReady},
                    {"residence_permit", "Residence permit", "居住证", "", "", false,
                     checklist::MaterialStatus::kNotNeeded}};
  item.waiver_reason = "covered by parent company";
  item.attempts = 2;
  item.fee_per_attempt = 30000;
  item.fee_charged_per_attempt = true;
  item.fee_charged_per_order = true;
  item.resubmissions_per_order = 3;
  item.paid_orders = 3;
  item.resubmissions_in_order = 1;
  item.started_date = absl::CivilDay(2026, 3, 2);
  item.submitted_date = absl::CivilDay(2026, 3, 9);
  item.approved_date = absl::CivilDay(2026, 4, 1);
  item.source = "S4,S5";
  item.estimate = true;
  item.version = 1;
  item.update_time = absl::FromUnixMicros(1767312000000001);
  item.schedule.latest_start = absl::CivilDay(2026, 8, 1);
  item.schedule.latest_finish = absl::CivilDay(2026, 9, 1);
  item.schedule.projected_start = absl::CivilDay(2026, 7, 1);
  item.schedule.projected_finish = absl::CivilDay(2026, 7, 29);
  item.schedule.slack_working_days = 7;
  item.schedule.critical = true;
  item.schedule.at_risk = true;
  item.schedule.unconfirmed_calendar = true;
  item.schedule.done = true;
  return item;
}

// FullLaunch and FullItem as schema 2's JSON rows could hold them: without the fields added
// since (province, account subject, materials, yearly and windowed deadlines, validity steps).
inline checklist::Launch Schema2FullLaunch(const std::string& id,
                                           const std::string& tenant = "tenant-a") {
  checklist::Launch launch = FullLaunch(id, tenant);
  launch.profile.province.clear();
  launch.profile.account_subject_type = v1::SUBJECT_TYPE_UNSPECIFIED;
  return launch;
}

inline checklist::Item Schema2FullItem(const std::string& launch_id, const std::string& code) {
  checklist::Item item = FullItem(launch_id, code);
  item.deadline.month = 0;
  item.deadline.day = 0;
  item.deadline.item.clear();
  item.deadline.months = 0;
  item.validity_steps.clear();
  item.renew_by_month = 0;
  item.renew_by_day = 0;
  item.renewal_reminder_days.clear();
  item.materials.clear();
  return item;
}

// `item` as reading a JSON row (legacy_json_codec.h) of it gives it back: those rows predate
// order counting, so paid_orders reads as attempts and the other per-order fields as unset.
inline checklist::Item AsReadFromJsonRow(checklist::Item item) {
  item.fee_charged_per_order = false;
  item.resubmissions_per_order = 0;
  item.paid_orders = item.attempts;
  item.resubmissions_in_order = 0;
  return item;
}

inline void ExpectLaunchEq(const checklist::Launch& want, const checklist::Launch& got) {
  SCOPED_TRACE(absl::StrCat("launch ", want.id));
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.tenant, want.tenant);
  EXPECT_EQ(got.display_name, want.display_name);
  EXPECT_EQ(got.owner, want.owner);
  EXPECT_EQ(got.target_launch_date, want.target_launch_date);
  EXPECT_EQ(got.time_zone, want.time_zone);
  EXPECT_EQ(got.profile.subject_type, want.profile.subject_type);
  EXPECT_EQ(got.profile.hosting, want.profile.hosting);
  EXPECT_EQ(got.profile.takes_payments, want.profile.takes_payments);
  EXPECT_EQ(got.profile.mini_game, want.profile.mini_game);
  EXPECT_EQ(got.profile.province, want.profile.province);
  EXPECT_EQ(got.profile.account_subject_type, want.profile.account_subject_type);
  EXPECT_EQ(got.profile.service_categories, want.profile.service_categories);
  EXPECT_EQ(got.template_id, want.template_id);
  EXPECT_EQ(got.went_live_date, want.went_live_date);
  ASSERT_EQ(got.blockers.size(), want.blockers.size());
  for (size_t i = 0; i < want.blockers.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("blocker ", i));
    EXPECT_EQ(got.blockers[i].code, want.blockers[i].code);
    EXPECT_EQ(got.blockers[i].message, want.blockers[i].message);
    EXPECT_EQ(got.blockers[i].item_code, want.blockers[i].item_code);
  }
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.request_fingerprint, want.request_fingerprint);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.update_time, want.update_time);
  EXPECT_EQ(got.schedule.as_of, want.schedule.as_of);
  EXPECT_EQ(got.schedule.projected_launch, want.schedule.projected_launch);
  EXPECT_EQ(got.schedule.critical_path, want.schedule.critical_path);
  EXPECT_EQ(got.schedule.at_risk, want.schedule.at_risk);
  EXPECT_EQ(got.schedule.slack_working_days, want.schedule.slack_working_days);
  EXPECT_EQ(got.schedule.unconfirmed_calendar, want.schedule.unconfirmed_calendar);
  EXPECT_EQ(got.schedule.fees_paid, want.schedule.fees_paid);
  EXPECT_EQ(got.schedule.fees_expected, want.schedule.fees_expected);
  EXPECT_EQ(got.schedule.unconfirmed_years, want.schedule.unconfirmed_years);
  EXPECT_EQ(got.schedule.estimated_critical_items, want.schedule.estimated_critical_items);
}

inline void ExpectItemEq(const checklist::Item& want, const checklist::Item& got) {
  SCOPED_TRACE(absl::StrCat("item ", want.launch_id, "/", want.code));
  EXPECT_EQ(got.launch_id, want.launch_id);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.title_en, want.title_en);
  EXPECT_EQ(got.title_zh, want.title_zh);
  EXPECT_EQ(got.group, want.group);
  EXPECT_EQ(got.custom, want.custom);
  EXPECT_EQ(got.external, want.external);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.status_before_not_applicable, want.status_before_not_applicable);
  EXPECT_EQ(got.applicability_reason, want.applicability_reason);
  EXPECT_EQ(got.depends_on, want.depends_on);
  EXPECT_EQ(got.duration.unit, want.duration.unit);
  EXPECT_EQ(got.duration.min, want.duration.min);
  EXPECT_EQ(got.duration.typical, want.duration.typical);
  EXPECT_EQ(got.duration.max, want.duration.max);
  EXPECT_EQ(got.deadline.anchor, want.deadline.anchor);
  EXPECT_EQ(got.deadline.days, want.deadline.days);
  EXPECT_EQ(got.deadline.unit, want.deadline.unit);
  EXPECT_EQ(got.deadline, want.deadline);
  EXPECT_EQ(got.validity_steps, want.validity_steps);
  EXPECT_EQ(got.renew_by_month, want.renew_by_month);
  EXPECT_EQ(got.renew_by_day, want.renew_by_day);
  EXPECT_EQ(got.materials, want.materials);
  EXPECT_EQ(got.renewal_reminder_days, want.renewal_reminder_days);
  EXPECT_EQ(got.due_date, want.due_date);
  EXPECT_EQ(got.assignee, want.assignee);
  EXPECT_EQ(got.notes, want.notes);
  EXPECT_EQ(got.evidence, want.evidence);
  EXPECT_EQ(got.official_number, want.official_number);
  EXPECT_EQ(got.official_number_label, want.official_number_label);
  EXPECT_EQ(got.expiry_date, want.expiry_date);
  EXPECT_EQ(got.validity_months, want.validity_months);
  EXPECT_EQ(got.waiver_reason, want.waiver_reason);
  EXPECT_EQ(got.attempts, want.attempts);
  EXPECT_EQ(got.fee_per_attempt, want.fee_per_attempt);
  EXPECT_EQ(got.fee_charged_per_attempt, want.fee_charged_per_attempt);
  EXPECT_EQ(got.fee_charged_per_order, want.fee_charged_per_order);
  EXPECT_EQ(got.resubmissions_per_order, want.resubmissions_per_order);
  EXPECT_EQ(got.paid_orders, want.paid_orders);
  EXPECT_EQ(got.resubmissions_in_order, want.resubmissions_in_order);
  EXPECT_EQ(got.started_date, want.started_date);
  EXPECT_EQ(got.submitted_date, want.submitted_date);
  EXPECT_EQ(got.approved_date, want.approved_date);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.estimate, want.estimate);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.update_time, want.update_time);
  EXPECT_EQ(got.schedule.latest_start, want.schedule.latest_start);
  EXPECT_EQ(got.schedule.latest_finish, want.schedule.latest_finish);
  EXPECT_EQ(got.schedule.projected_start, want.schedule.projected_start);
  EXPECT_EQ(got.schedule.projected_finish, want.schedule.projected_finish);
  EXPECT_EQ(got.schedule.slack_working_days, want.schedule.slack_working_days);
  EXPECT_EQ(got.schedule.critical, want.schedule.critical);
  EXPECT_EQ(got.schedule.at_risk, want.schedule.at_risk);
  EXPECT_EQ(got.schedule.unconfirmed_calendar, want.schedule.unconfirmed_calendar);
  EXPECT_EQ(got.schedule.done, want.schedule.done);
  EXPECT_EQ(got.schedule.unconfirmed_years, want.schedule.unconfirmed_years);
  EXPECT_EQ(got.schedule.duration_estimated, want.schedule.duration_estimated);
}

inline void ExpectEventEq(const checklist::Event& want, const checklist::Event& got) {
  SCOPED_TRACE(absl::StrCat("event ", want.sequence));
  EXPECT_EQ(got.sequence, want.sequence);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.tenant, want.tenant);
  EXPECT_EQ(got.launch_id, want.launch_id);
  EXPECT_EQ(got.item_code, want.item_code);
  EXPECT_EQ(got.actor, want.actor);
  EXPECT_EQ(got.time, want.time);
  EXPECT_EQ(got.summary, want.summary);
  ASSERT_EQ(got.launch.has_value(), want.launch.has_value());
  if (want.launch.has_value()) ExpectLaunchEq(*want.launch, *got.launch);
  ASSERT_EQ(got.item.has_value(), want.item.has_value());
  if (want.item.has_value()) ExpectItemEq(*want.item, *got.item);
}

// The sequences of `events`, in order.
inline std::vector<int64_t> Sequences(const std::vector<checklist::Event>& events) {
  std::vector<int64_t> sequences;
  for (const checklist::Event& event : events) sequences.push_back(event.sequence);
  return sequences;
}

// An event of `type` about a launch (and item) of tenant-a, unnumbered, as a change set carries
// it; its time differs with the summary.
inline checklist::Event MakeEvent(checklist::EventType type, const std::string& launch_id,
                                  const std::string& item_code, const std::string& summary) {
  checklist::Event event;
  event.type = type;
  event.tenant = "tenant-a";
  event.launch_id = launch_id;
  event.item_code = item_code;
  event.actor = "alice@example.com";
  event.time = absl::FromUnixMicros(1767225600000000 + summary.size());
  event.summary = summary;
  return event;
}

// Commits launch `id` (FullLaunch) with a FullItem per code and one creation event; returns what
// it committed.
inline checklist::LaunchState CommitFullLaunch(checklist::ChecklistStore& store,
                                               const std::string& id,
                                               const std::vector<std::string>& codes,
                                               const std::string& tenant = "tenant-a") {
  checklist::LaunchState state;
  state.launch = FullLaunch(id, tenant);
  checklist::ChangeSet changes;
  changes.launch = state.launch;
  for (const std::string& code : codes) {
    state.items.push_back(FullItem(id, code));
    changes.items.push_back(state.items.back());
  }
  checklist::Event created = MakeEvent(checklist::EventType::kLaunchCreated, id, "", "created");
  created.tenant = tenant;
  created.launch = state.launch;
  changes.events.push_back(created);
  absl::StatusOr<std::vector<checklist::Event>> committed = store.Commit(changes);
  EXPECT_TRUE(committed.ok()) << committed.status();
  return state;
}

}  // namespace preflight::testing

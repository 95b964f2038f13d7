#pragma once

// The content of testdata/checklist_v2.db: the change sets that make_v2_fixture committed through
// the schema-2 store (JSON payloads), and the states and events they leave. The migration test
// opens that file with the current store and expects exactly these back, so this file must only
// ever change together with a regenerated fixture. make_v2_fixture.cc lives in commit 08f1b3e,
// the last whose store wrote schema 2: regenerate from a checkout of that commit.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "checklist-service/domain/checklist_store.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/testing/snapshot_testing.h"

namespace preflight::testing {

struct V2Fixture {
  // Committed in this order; event sequences are 1, 2, 3, ... across them.
  std::vector<checklist::ChangeSet> commits;
  // Every launch after the last commit, ordered by id, items in insertion order.
  std::vector<checklist::LaunchState> launches;
  // Every event, sequences assigned.
  std::vector<checklist::Event> events;
};

inline checklist::Event V2FixtureEvent(checklist::EventType type, const std::string& tenant,
                                       const std::string& launch_id, const std::string& item_code,
                                       const std::string& summary, int64_t micros) {
  checklist::Event event;
  event.type = type;
  event.tenant = tenant;
  event.launch_id = launch_id;
  event.item_code = item_code;
  event.actor = "alice@example.com";
  event.time = absl::FromUnixMicros(micros);
  event.summary = summary;
  return event;
}

inline V2Fixture MakeV2Fixture() {
  using checklist::ChangeSet;
  using checklist::DeadlineAnchor;
  using checklist::Event;
  using checklist::EventType;
  using checklist::Item;
  using checklist::ItemStatus;
  using checklist::Launch;
  using checklist::LaunchState;

  V2Fixture fixture;

  // L-alpha: every field set, items in every status, then a launch update and two item updates.
  Launch alpha = Schema2FullLaunch("L-alpha", "tenant-a");
  std::vector<Item> alpha_items;
  {
    Item biz = Schema2FullItem("L-alpha", "BIZ_LICENCE");
    biz.status = ItemStatus::kApproved;
    biz.status_before_not_applicable = ItemStatus::kNotStarted;
    alpha_items.push_back(biz);
    Item icp = Schema2FullItem("L-alpha", "ICP_FILING");
    icp.status = ItemStatus::kWaived;
    icp.waiver_reason = "主体已有备案";
    icp.deadline = {DeadlineAnchor::kBeforeLaunch, 0, v1::DAY_UNIT_CALENDAR_DAYS};
    alpha_items.push_back(icp);
    Item pay = Schema2FullItem("L-alpha", "WECHAT_PAY");
    pay.status = ItemStatus::kNotApplicable;
    pay.status_before_not_applicable = ItemStatus::kInProgress;
    pay.duration = {v1::DAY_UNIT_WORKING_DAYS, 1, 2, 5};
    alpha_items.push_back(pay);
    Item custom = Schema2FullItem("L-alpha", "CUSTOM_1");
    custom.status = ItemStatus::kSubmitted;
    custom.title_en = "Legal review";
    custom.notes = "line one\nline two, \"quoted\", tab\there";
    custom.due_date = absl::CivilDay(2026, 12, 31);
    custom.evidence.clear();
    custom.depends_on.clear();
    alpha_items.push_back(custom);
    Item rejected = Schema2FullItem("L-alpha", "MP_VERIFY");
    rejected.status = ItemStatus::kRejected;
    rejected.attempts = 3;
    rejected.fee_per_attempt = 30000;
    rejected.duration.unit = v1::DAY_UNIT_UNSPECIFIED;
    alpha_items.push_back(rejected);
  }
  {
    ChangeSet create;
    create.launch = alpha;
    create.items = alpha_items;
    Event created = V2FixtureEvent(EventType::kLaunchCreated, "tenant-a", "L-alpha", "", "created",
                                   1767225600000001);
    created.launch = alpha;
    create.events.push_back(created);
    for (const Item& item : alpha_items) {
      Event item_created = V2FixtureEvent(EventType::kItemCreated, "tenant-a", "L-alpha", item.code,
                                          "item created", 1767225600000002);
      item_created.item = item;
      create.events.push_back(item_created);
    }
    fixture.commits.push_back(create);
  }
  {
    alpha.version = 2;
    alpha.display_name = "云上小店 v2";
    alpha.update_time = absl::FromUnixMicros(1767398400000000);
    alpha.went_live_date = absl::CivilDay(2026, 10, 20);
    alpha.profile.hosting = v1::HOSTING_WECHAT_CLOUD;
    alpha.profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
    Item& rejected = alpha_items[4];
    rejected.version = 2;
    rejected.status = ItemStatus::kInProgress;
    rejected.attempts = 4;
    rejected.update_time = absl::FromUnixMicros(1767398400000001);
    ChangeSet update;
    update.launch = alpha;
    update.items.push_back(rejected);
    Event launch_updated = V2FixtureEvent(EventType::kLaunchUpdated, "tenant-a", "L-alpha", "",
                                          "went live", 1767398400000002);
    launch_updated.launch = alpha;
    update.events.push_back(launch_updated);
    Event item_updated = V2FixtureEvent(EventType::kItemUpdated, "tenant-a", "L-alpha", "MP_VERIFY",
                                        "resubmitted", 1767398400000003);
    item_updated.item = rejected;
    update.events.push_back(item_updated);
    // Both snapshots at once, and one event with neither: the payload shapes the codec allows.
    Event schedule = V2FixtureEvent(EventType::kScheduleChanged, "tenant-a", "L-alpha", "MP_VERIFY",
                                    "schedule moved", 1767398400000004);
    schedule.launch = alpha;
    schedule.item = rejected;
    update.events.push_back(schedule);
    update.events.push_back(V2FixtureEvent(EventType::kLaunchUpdated, "tenant-a", "L-alpha", "",
                                           "no snapshot", 1767398400000005));
    fixture.commits.push_back(update);
  }

  // L-beta: near-default values (no optional dates, empty lists, default enums), another tenant.
  Launch beta;
  beta.id = "L-beta";
  beta.tenant = "tenant-b";
  beta.display_name = "Beta";
  beta.owner = "bob@example.com";
  beta.target_launch_date = absl::CivilDay(2027, 1, 15);
  beta.template_id = "cn-miniprogram-2025";
  beta.create_time = absl::FromUnixMicros(1767484800000000);
  beta.update_time = absl::FromUnixMicros(1767484800000000);
  beta.schedule.as_of = absl::CivilDay(2026, 1, 4);
  std::vector<Item> beta_items;
  {
    Item plain;
    plain.launch_id = "L-beta";
    plain.code = "MP_ACCOUNT";
    plain.title_en = "Mini program account";
    plain.update_time = absl::FromUnixMicros(1767484800000000);
    beta_items.push_back(plain);
    Item started = plain;
    started.code = "SERVER";
    started.status = ItemStatus::kInProgress;
    started.started_date = absl::CivilDay(2026, 1, 5);
    started.depends_on = {{"MP_ACCOUNT", 2}};
    started.assignee = "ops@example.com";
    beta_items.push_back(started);
  }
  {
    ChangeSet create;
    create.launch = beta;
    create.items = beta_items;
    Event created = V2FixtureEvent(EventType::kLaunchCreated, "tenant-b", "L-beta", "", "created",
                                   1767484800000001);
    created.launch = beta;
    create.events.push_back(created);
    fixture.commits.push_back(create);
  }

  // L-gamma: items added by a later commit that carries no launch.
  Launch gamma = Schema2FullLaunch("L-gamma", "tenant-a");
  gamma.request_id = "";
  gamma.went_live_date.reset();
  gamma.schedule.projected_launch.reset();
  gamma.profile.subject_type = v1::SUBJECT_TYPE_OTHER_ORGANIZATION;
  gamma.profile.hosting = v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND;
  {
    ChangeSet create;
    create.launch = gamma;
    fixture.commits.push_back(create);
  }
  Item gamma_item = Schema2FullItem("L-gamma", "ADDED_LATER");
  gamma_item.custom = true;
  gamma_item.expiry_date.reset();
  gamma_item.schedule = {};
  {
    ChangeSet add;
    add.items.push_back(gamma_item);
    Event added = V2FixtureEvent(EventType::kItemCreated, "tenant-a", "L-gamma", "ADDED_LATER",
                                 "custom item added", 1767571200000000);
    added.item = gamma_item;
    add.events.push_back(added);
    fixture.commits.push_back(add);
  }

  fixture.launches = {LaunchState{alpha, alpha_items}, LaunchState{beta, beta_items},
                      LaunchState{gamma, {gamma_item}}};
  int64_t sequence = 0;
  for (const ChangeSet& commit : fixture.commits) {
    for (Event event : commit.events) {
      event.sequence = ++sequence;
      fixture.events.push_back(event);
    }
  }
  // The schema-2 store wrote no order counts: the states read back are what the JSON rows give.
  for (LaunchState& launch : fixture.launches) {
    for (Item& item : launch.items) item = AsReadFromJsonRow(item);
  }
  for (Event& event : fixture.events) {
    if (event.item.has_value()) event.item = AsReadFromJsonRow(*event.item);
  }
  return fixture;
}

}  // namespace preflight::testing

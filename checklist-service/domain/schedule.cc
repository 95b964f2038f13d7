#include "checklist-service/domain/schedule.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "common/civil_date.h"

namespace preflight::checklist {
namespace {

// Years a date was counted Monday-Friday in for want of a holiday notice; ascending, distinct.
using Years = std::vector<int>;

void Merge(Years& into, const Years& from) {
  if (from.empty()) return;
  if (into.empty()) {
    into = from;
    return;
  }
  Years merged;
  merged.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into = std::move(merged);
}

Years Union(Years a, const Years& b) {
  Merge(a, b);
  return a;
}

// One applicable item in the dependency graph.
struct Node {
  const Item* item = nullptr;
  bool post_launch = false;
  // (node index, lag in working days).
  std::vector<std::pair<int, int>> predecessors;
  std::vector<std::pair<int, int>> successors;

  ItemSchedule schedule;
  // The unconfirmed years behind the latest dates / the projected dates; successors and
  // predecessors inherit them through the passes.
  Years latest_years;
  Years projection_years;
};

// Keeps the earliest (or latest) of several candidate days, collecting the unconfirmed years of
// every candidate consulted: the outcome of a min/max depends on all of them.
class Extreme {
 public:
  explicit Extreme(bool keep_latest) : keep_latest_(keep_latest) {}

  void Offer(absl::CivilDay day, const Years& years) {
    Merge(years_, years);
    if (!day_ || (keep_latest_ ? day > *day_ : day < *day_)) day_ = day;
  }
  void Offer(const CalendarDay& day) { Offer(day.day, day.unconfirmed_years); }

  std::optional<absl::CivilDay> day() const { return day_; }
  const Years& years() const { return years_; }

 private:
  bool keep_latest_;
  std::optional<absl::CivilDay> day_;
  Years years_;
};

class Scheduler {
 public:
  Scheduler(const Launch& launch, const std::vector<Item>& items, absl::CivilDay today,
            const WorkingCalendar& calendar, const CompiledTemplate* tmpl)
      : launch_(launch), items_(items), today_(today), calendar_(calendar), tmpl_(tmpl) {}

  ScheduleResult Run() {
    BuildGraph();
    SortTopologically();
    const CalendarDay t = calendar_.RollForward(today_);
    t_ = t.day;
    t_years_ = t.unconfirmed_years;
    BackwardPass();
    ForwardPass();
    Slack();
    CriticalPath();
    return Collect();
  }

 private:
  bool Waived(const Node& node) const { return node.item->status == ItemStatus::kWaived; }
  bool NotDone(const Node& node) const { return !IsDone(node.item->status); }

  // Whether the item's planned duration is an estimate. Item::estimate is also set by an
  // estimated fee (a domain's ¥80), which says nothing about how long the item takes.
  bool DurationIsEstimate(const Item& item) const {
    if (tmpl_ != nullptr && !item.custom) {
      if (const v1::ItemDefinition* definition = tmpl_->FindItem(item.code)) {
        return definition->estimate();
      }
    }
    return item.estimate;
  }

  // F = first day the item's result is available when it starts on `start`.
  CalendarDay Finish(const Item& item, absl::CivilDay start) const {
    const int d = item.duration.typical;
    if (item.duration.unit == v1::DAY_UNIT_CALENDAR_DAYS) return calendar_.RollForward(start + d);
    return calendar_.AddWorkingDays(start, d);
  }

  // The latest start that still finishes by `latest_finish`.
  CalendarDay LatestStart(const Item& item, absl::CivilDay latest_finish) const {
    const int d = item.duration.typical;
    if (item.duration.unit == v1::DAY_UNIT_CALENDAR_DAYS) {
      return calendar_.RollBackward(latest_finish - d);
    }
    return calendar_.AddWorkingDays(latest_finish, -d);
  }

  void BuildGraph() {
    for (const Item& item : items_) {
      if (item.status == ItemStatus::kNotApplicable) continue;
      // A code appears once per launch; should it not, the first entry wins.
      if (!index_.emplace(item.code, static_cast<int>(nodes_.size())).second) continue;
      Node node;
      node.item = &item;
      node.post_launch = DueAfterLaunch(item.deadline);
      nodes_.push_back(std::move(node));
    }
    for (int i = 0; i < static_cast<int>(nodes_.size()); ++i) {
      for (const Dependency& dependency : nodes_[i].item->depends_on) {
        const auto it = index_.find(dependency.code);
        // Unknown and not-applicable predecessors are ignored, and so is a self-reference.
        if (it == index_.end() || it->second == i) continue;
        nodes_[i].predecessors.emplace_back(it->second, dependency.lag_working_days);
        nodes_[it->second].successors.emplace_back(i, dependency.lag_working_days);
      }
    }
  }

  // Predecessors first, ties by code. A dependency cycle (which validation should prevent) is
  // broken at its smallest code, whose unprocessed predecessors then impose nothing.
  void SortTopologically() {
    const int n = static_cast<int>(nodes_.size());
    std::vector<int> waiting(n);
    std::set<std::pair<std::string, int>> ready;
    for (int i = 0; i < n; ++i) {
      waiting[i] = static_cast<int>(nodes_[i].predecessors.size());
      if (waiting[i] == 0) ready.emplace(nodes_[i].item->code, i);
    }
    std::vector<bool> placed(n, false);
    while (static_cast<int>(order_.size()) < n) {
      if (ready.empty()) {
        for (int i = 0; i < n; ++i) {
          if (!placed[i]) ready.emplace(nodes_[i].item->code, i);
        }
        ready.erase(std::next(ready.begin()), ready.end());
      }
      const int i = ready.begin()->second;
      ready.erase(ready.begin());
      if (placed[i]) continue;
      placed[i] = true;
      order_.push_back(i);
      for (const auto& [successor, lag] : nodes_[i].successors) {
        if (--waiting[successor] == 0 && !placed[successor]) {
          ready.emplace(nodes_[successor].item->code, successor);
        }
      }
    }
  }

  // Latest dates, successors before predecessors.
  void BackwardPass() {
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      Node& node = nodes_[*it];
      if (Waived(node)) continue;  // no dates, constrains nothing
      const Item& item = *node.item;
      Extreme latest_finish(/*keep_latest=*/false);
      if (!node.post_launch) {
        latest_finish.Offer(calendar_.RollBackward(launch_.target_launch_date));
        if (item.due_date) latest_finish.Offer(calendar_.RollBackward(*item.due_date));
        if (std::optional<absl::CivilDay> window_end = ApprovalWindowEnd(item)) {
          latest_finish.Offer(calendar_.RollBackward(*window_end));
        }
        for (const auto& [s, lag] : node.successors) {
          const Node& successor = nodes_[s];
          // Post-launch successors do not tighten their predecessors' latest dates.
          if (successor.post_launch || !successor.schedule.latest_start) continue;
          const CalendarDay bound =
              calendar_.AddWorkingDays(*successor.schedule.latest_start, -lag);
          latest_finish.Offer(bound.day, Union(bound.unconfirmed_years, successor.latest_years));
        }
      } else if (item.due_date) {
        latest_finish.Offer(calendar_.RollBackward(*item.due_date));
      } else if (item.deadline.anchor == DeadlineAnchor::kYearly) {
        latest_finish.Offer(calendar_.RollBackward(FirstYearlyDue(node)));
      } else {
        const absl::CivilDay anchor = launch_.went_live_date.value_or(launch_.target_launch_date);
        if (item.deadline.unit == v1::DAY_UNIT_WORKING_DAYS) {
          latest_finish.Offer(calendar_.AddWorkingDays(anchor, item.deadline.days));
        } else {
          latest_finish.Offer(calendar_.RollBackward(anchor + item.deadline.days));
        }
      }
      const CalendarDay latest_start = LatestStart(item, *latest_finish.day());
      node.schedule.latest_finish = latest_finish.day();
      node.schedule.latest_start = latest_start.day;
      node.latest_years = Union(latest_finish.years(), latest_start.unconfirmed_years);
    }
  }

  // kAfterApprovalOf: the end of the window the named item's approval opened; nothing before it
  // is approved (the window has not started).
  std::optional<absl::CivilDay> ApprovalWindowEnd(const Item& item) const {
    if (item.deadline.anchor != DeadlineAnchor::kAfterApprovalOf) return std::nullopt;
    const auto it = index_.find(item.deadline.item);
    if (it == index_.end()) return std::nullopt;
    const Item& opener = *nodes_[it->second].item;
    if (opener.status != ItemStatus::kApproved || !opener.approved_date) return std::nullopt;
    return AddMonths(*opener.approved_date, item.deadline.months);
  }

  // kYearly: the due day in the year after the item's dependencies were last approved, or after
  // the launch (went live, else its target) while they are not.
  absl::CivilDay FirstYearlyDue(const Node& node) const {
    absl::CivilDay base = launch_.went_live_date.value_or(launch_.target_launch_date);
    std::optional<absl::CivilDay> approved;
    for (const auto& [p, lag] : node.predecessors) {
      const Item& predecessor = *nodes_[p].item;
      if (predecessor.status == ItemStatus::kApproved && predecessor.approved_date &&
          (!approved || *predecessor.approved_date > *approved)) {
        approved = predecessor.approved_date;
      }
    }
    if (approved) base = *approved;
    return absl::CivilDay(base.year() + 1, node.item->deadline.month, node.item->deadline.day);
  }

  // Projects one item from its status. `earliest` stands in for "today" where the item still has
  // to start (or restart): t, or for post-launch items no earlier than the launch.
  void Project(Node& node, absl::CivilDay earliest, const Years& earliest_years) {
    const Item& item = *node.item;
    ItemSchedule& schedule = node.schedule;
    Years years;
    switch (item.status) {
      case ItemStatus::kApproved: {
        if (item.approved_date) {
          schedule.projected_finish = *item.approved_date;
        } else {
          schedule.projected_finish = t_;
          years = t_years_;
        }
        schedule.projected_start =
            item.started_date.value_or(item.approved_date.value_or(*schedule.projected_finish));
        break;
      }
      case ItemStatus::kNotStarted: {
        Extreme start(/*keep_latest=*/true);
        start.Offer(earliest, earliest_years);
        for (const auto& [p, lag] : node.predecessors) {
          const Node& predecessor = nodes_[p];
          // A launch item does not wait for post-launch work.
          if (predecessor.post_launch && !node.post_launch) continue;
          if (!predecessor.schedule.projected_finish) continue;  // waived, or a broken cycle
          const CalendarDay bound =
              calendar_.AddWorkingDays(*predecessor.schedule.projected_finish, lag);
          start.Offer(bound.day, Union(bound.unconfirmed_years, predecessor.projection_years));
        }
        const CalendarDay finish = Finish(item, *start.day());
        schedule.projected_start = start.day();
        schedule.projected_finish = finish.day;
        years = Union(start.years(), finish.unconfirmed_years);
        break;
      }
      case ItemStatus::kInProgress: {
        const absl::CivilDay start = item.started_date.value_or(t_);
        Extreme finish(/*keep_latest=*/true);
        finish.Offer(Finish(item, start));
        finish.Offer(t_, t_years_);
        schedule.projected_start = start;
        schedule.projected_finish = finish.day();
        years = finish.years();
        break;
      }
      case ItemStatus::kSubmitted: {
        schedule.projected_start = item.started_date.value_or(item.submitted_date.value_or(t_));
        Extreme finish(/*keep_latest=*/true);
        finish.Offer(Finish(item, item.submitted_date.value_or(t_)));
        finish.Offer(t_, t_years_);
        schedule.projected_finish = finish.day();
        years = finish.years();
        break;
      }
      // Rejected work is redone; returned work gets its material added. Either is reviewed
      // again in full, from t.
      case ItemStatus::kRejected:
      case ItemStatus::kReturned: {
        const CalendarDay finish = Finish(item, earliest);
        schedule.projected_start = earliest;
        schedule.projected_finish = finish.day;
        years = Union(earliest_years, finish.unconfirmed_years);
        break;
      }
      case ItemStatus::kWaived:
      case ItemStatus::kNotApplicable:
        break;
    }
    node.projection_years = std::move(years);
  }

  void ForwardPass() {
    // Launch items first: they decide the projected launch, which post-launch items wait for.
    for (int i : order_) {
      if (!nodes_[i].post_launch) Project(nodes_[i], t_, t_years_);
    }

    launch_years_ = t_years_;
    if (launch_.went_live_date) {
      projected_launch_ = *launch_.went_live_date;
    } else {
      Extreme launch(/*keep_latest=*/true);
      launch.Offer(t_, t_years_);
      for (const Node& node : nodes_) {
        if (node.post_launch || !node.schedule.projected_finish) continue;
        launch.Offer(*node.schedule.projected_finish, node.projection_years);
      }
      projected_launch_ = *launch.day();
      launch_years_ = launch.years();
    }

    // Post-launch work starts no earlier than the anchor (went-live, else target) and, before
    // going live, no earlier than the projected launch.
    Extreme earliest(/*keep_latest=*/true);
    earliest.Offer(t_, t_years_);
    earliest.Offer(
        calendar_.RollForward(launch_.went_live_date.value_or(launch_.target_launch_date)));
    if (!launch_.went_live_date) earliest.Offer(projected_launch_, launch_years_);
    for (int i : order_) {
      if (nodes_[i].post_launch) Project(nodes_[i], *earliest.day(), earliest.years());
    }
  }

  void Slack() {
    for (Node& node : nodes_) {
      ItemSchedule& schedule = node.schedule;
      schedule.done = IsDone(node.item->status);
      // A finished item's dates are records, not plans.
      schedule.duration_estimated = DurationIsEstimate(*node.item) && !schedule.done;
      schedule.unconfirmed_years = Union(node.latest_years, node.projection_years);
      if (!schedule.done && schedule.projected_finish && schedule.latest_finish) {
        const WorkingDayCount slack =
            calendar_.WorkingDaysBetween(*schedule.projected_finish, *schedule.latest_finish);
        schedule.slack_working_days = slack.days;
        schedule.at_risk = slack.days < 0;
        Merge(schedule.unconfirmed_years, slack.unconfirmed_years);
      }
      schedule.unconfirmed_calendar = !schedule.unconfirmed_years.empty();
    }
  }

  // Order for picking the end of the critical path: later projected finish, then less slack,
  // then the smaller code.
  static bool FinishesLater(const Node& a, const Node& b) {
    if (*a.schedule.projected_finish != *b.schedule.projected_finish) {
      return *a.schedule.projected_finish > *b.schedule.projected_finish;
    }
    if (a.schedule.slack_working_days != b.schedule.slack_working_days) {
      return a.schedule.slack_working_days < b.schedule.slack_working_days;
    }
    return a.item->code < b.item->code;
  }

  // Walks back from the launch item that finishes last through the predecessors that bound each
  // start.
  void CriticalPath() {
    if (launch_.went_live_date) return;
    int current = -1;
    for (int i = 0; i < static_cast<int>(nodes_.size()); ++i) {
      const Node& node = nodes_[i];
      if (node.post_launch || !NotDone(node)) continue;
      if (current < 0 || FinishesLater(node, nodes_[current])) current = i;
    }
    std::vector<int> path;
    std::vector<bool> on_path(nodes_.size(), false);
    while (current >= 0 && !on_path[current]) {
      path.push_back(current);
      on_path[current] = true;
      const Node& node = nodes_[current];
      int binding = -1;
      absl::CivilDay binding_bound;
      for (const auto& [p, lag] : node.predecessors) {
        const Node& predecessor = nodes_[p];
        if (predecessor.post_launch || !NotDone(predecessor)) continue;
        const absl::CivilDay bound =
            calendar_.AddWorkingDays(*predecessor.schedule.projected_finish, lag).day;
        if (binding < 0 || bound > binding_bound ||
            (bound == binding_bound && predecessor.item->code < nodes_[binding].item->code)) {
          binding = p;
          binding_bound = bound;
        }
      }
      current = binding >= 0 && binding_bound == *node.schedule.projected_start ? binding : -1;
    }
    std::reverse(path.begin(), path.end());
    for (int i : path) {
      nodes_[i].schedule.critical = true;
      critical_path_.push_back(nodes_[i].item->code);
      if (nodes_[i].schedule.duration_estimated) {
        estimated_critical_items_.push_back(nodes_[i].item->code);
      }
    }
  }

  ScheduleResult Collect() {
    ScheduleResult result;
    LaunchSchedule& launch = result.launch;
    launch.as_of = today_;
    launch.projected_launch = projected_launch_;
    launch.critical_path = critical_path_;
    const WorkingDayCount slack =
        calendar_.WorkingDaysBetween(projected_launch_, launch_.target_launch_date);
    launch.slack_working_days = slack.days;
    launch.at_risk = !launch_.went_live_date && projected_launch_ > launch_.target_launch_date;
    launch.unconfirmed_years = Union(launch_years_, slack.unconfirmed_years);
    launch.estimated_critical_items = estimated_critical_items_;

    for (const Node& node : nodes_) {
      result.items[node.item->code] = node.schedule;
      if (!node.schedule.done) {
        if (node.schedule.at_risk) ++launch.at_risk_items;
        const std::optional<absl::CivilDay>& start = node.schedule.latest_start;
        if (start &&
            (!launch.next_deadline || *start < *launch.next_deadline ||
             (*start == *launch.next_deadline && node.item->code < launch.next_deadline_item))) {
          launch.next_deadline = start;
          launch.next_deadline_item = node.item->code;
        }
      }
      Merge(launch.unconfirmed_years, node.schedule.unconfirmed_years);
      const Item& item = *node.item;
      const Fen fee = item.fee_per_attempt;
      const Fen paid = FeesPaid(item);
      Fen expected = 0;
      if (!IsDone(item.status)) {
        if (item.fee_charged_per_order) {
          // Under review, or returned with resubmissions the order still covers: paid for.
          // Otherwise the next submission opens a new order.
          const bool covered =
              item.status == ItemStatus::kSubmitted ||
              (item.status == ItemStatus::kReturned && FreeResubmissionsLeft(item) > 0);
          expected = covered ? 0 : fee;
        } else if (item.fee_charged_per_attempt) {
          // The next submission is charged again; a pending one has been paid for.
          expected = item.status == ItemStatus::kSubmitted ? 0 : fee;
        } else {
          expected = paid > 0 ? 0 : fee;
        }
      }
      launch.fees_paid += paid;
      launch.fees_expected += expected;
    }
    launch.unconfirmed_calendar = !launch.unconfirmed_years.empty();
    for (const Item& item : items_) {
      if (item.status != ItemStatus::kNotApplicable || index_.count(item.code) > 0) continue;
      ItemSchedule schedule;
      schedule.done = true;
      result.items.emplace(item.code, schedule);
    }
    return result;
  }

  const Launch& launch_;
  const std::vector<Item>& items_;
  const absl::CivilDay today_;
  const WorkingCalendar& calendar_;
  const CompiledTemplate* const tmpl_;

  std::vector<Node> nodes_;
  std::map<std::string, int> index_;
  std::vector<int> order_;
  absl::CivilDay t_;
  Years t_years_;
  absl::CivilDay projected_launch_;
  Years launch_years_;
  std::vector<std::string> critical_path_;
  std::vector<std::string> estimated_critical_items_;
};

}  // namespace

ScheduleResult ComputeSchedule(const Launch& launch, const std::vector<Item>& items,
                               absl::CivilDay today, const WorkingCalendar& calendar,
                               const CompiledTemplate* tmpl) {
  return Scheduler(launch, items, today, calendar, tmpl).Run();
}

}  // namespace preflight::checklist

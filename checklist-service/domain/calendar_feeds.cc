#include "checklist-service/domain/calendar_feeds.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace preflight::checklist {
namespace {

constexpr int kFeedIdBytes = 8;
// 192 bits: a URL cannot be guessed.
constexpr int kSecretBytes = 24;
constexpr int kMaxFeedPageSize = 500;
constexpr int kDefaultFeedPageSize = 100;

absl::Status FeedNotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("calendar feed ", id.substr(0, 64), " not found"));
}

}  // namespace

absl::StatusOr<std::vector<LaunchRead>> IndexedAssigneeItemSource::LaunchesWithItemsOf(
    absl::string_view tenant, absl::string_view assignee) {
  ItemListFilter filter;
  filter.store_filter.tenant = std::string(tenant);
  filter.store_filter.assignee = std::string(assignee);
  filter.store_filter.open_only = false;
  std::map<std::string, LaunchRead> by_launch;
  std::optional<ItemKey> after;
  int read = 0;
  do {
    absl::StatusOr<ItemPage> page =
        launches_->ListItems(filter, after, std::min(kMaxItemPageSize, max_items_ - read));
    if (!page.ok()) return page.status();
    for (Item& item : page->items) {
      ++read;
      auto [it, inserted] = by_launch.try_emplace(item.launch_id);
      if (inserted) {
        auto launch = page->launches.find(item.launch_id);
        if (launch != page->launches.end()) it->second.state.launch = launch->second;
      }
      it->second.state.items.push_back(std::move(item));
    }
    after = page->next_after;
  } while (after.has_value() && read < max_items_);
  std::vector<LaunchRead> found;
  found.reserve(by_launch.size());
  for (auto& entry : by_launch) {
    LaunchRead& launch = entry.second;
    // The page's launches carry no items; the stamp gives the sum of all their versions.
    absl::StatusOr<LaunchService::LaunchStamp> stamp = launches_->GetLaunchStamp(entry.first);
    if (!stamp.ok()) return stamp.status();
    launch.items_version = stamp->items_version;
    found.push_back(std::move(launch));
  }
  return found;
}

CalendarFeeds::CalendarFeeds(CalendarFeedStore* store, LaunchService* launches,
                             AssigneeItemSource* assignees, const WorkingCalendar* calendar,
                             ReminderLadder ladder, const Clock* clock, CalendarFeedsLimits limits)
    : store_(store),
      launches_(launches),
      assignees_(assignees),
      calendar_(calendar),
      ladder_(std::move(ladder)),
      clock_(clock),
      limits_(limits) {}

absl::StatusOr<CreatedCalendarFeed> CalendarFeeds::Create(const NewCalendarFeed& request) {
  const bool for_launch = !request.launch_id.empty();
  if (for_launch == !request.assignee.empty()) {
    return absl::InvalidArgumentError(
        "calendar_feed: set exactly one of launch (a launch's feed) and assignee (an assignee's "
        "feed across the tenant's launches)");
  }
  CalendarFeed feed;
  feed.creator = request.creator;
  if (for_launch) {
    absl::StatusOr<LaunchState> launch = launches_->GetLaunch(request.launch_id, false);
    if (!launch.ok()) return launch.status();
    if (!request.tenant.empty() && request.tenant != launch->launch.tenant) {
      return absl::InvalidArgumentError(
          "calendar_feed.tenant: is not the launch's tenant (leave it empty for a launch's feed)");
    }
    feed.tenant = launch->launch.tenant;
    feed.launch_id = request.launch_id;
  } else {
    if (request.tenant.empty()) {
      return absl::InvalidArgumentError("calendar_feed.tenant: required for an assignee's feed");
    }
    feed.tenant = request.tenant;
    feed.assignee = request.assignee;
  }
  absl::StatusOr<int64_t> count = store_->CountFeeds(feed.tenant);
  if (!count.ok()) return count.status();
  if (*count >= limits_.max_feeds_per_tenant) {
    return absl::ResourceExhaustedError(
        absl::StrCat("tenant ", feed.tenant, " already has ", *count,
                     " calendar feeds (the limit); delete some first"));
  }
  absl::StatusOr<std::string> id = RandomSecretBytes(kFeedIdBytes);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> secret = RandomSecretBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  feed.id = absl::BytesToHexString(*id);
  CreatedCalendarFeed created;
  created.secret = absl::BytesToHexString(*secret);
  feed.secret_hash = Sha256Hex(created.secret);
  feed.create_time = clock_->Now();
  if (absl::Status s = store_->InsertFeed(feed); !s.ok()) return s;
  created.feed = std::move(feed);
  return created;
}

absl::StatusOr<CalendarFeed> CalendarFeeds::Get(const std::string& id) {
  absl::StatusOr<std::optional<CalendarFeed>> feed = store_->FindFeed(id);
  if (!feed.ok()) return feed.status();
  if (!feed->has_value() || (*feed)->revoke_time) return FeedNotFound(id);
  return **std::move(feed);
}

absl::StatusOr<CalendarFeedPage> CalendarFeeds::List(const std::string& tenant,
                                                     const std::string& after_id, int page_size) {
  if (page_size < 0 || page_size > kMaxFeedPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", kMaxFeedPageSize, ", got ", page_size));
  }
  if (page_size == 0) page_size = kDefaultFeedPageSize;
  absl::StatusOr<std::vector<CalendarFeed>> feeds =
      store_->ListFeeds(tenant, after_id, page_size + 1);
  if (!feeds.ok()) return feeds.status();
  CalendarFeedPage page;
  page.feeds = *std::move(feeds);
  if (static_cast<int>(page.feeds.size()) > page_size) {
    page.feeds.resize(page_size);
    page.next_after_id = page.feeds.back().id;
  }
  return page;
}

absl::Status CalendarFeeds::Revoke(const std::string& id) {
  absl::StatusOr<bool> revoked = store_->RevokeFeed(id, clock_->Now());
  if (!revoked.ok()) return revoked.status();
  if (!*revoked) return FeedNotFound(id);
  return absl::OkStatus();
}

absl::StatusOr<CalendarView> CalendarFeeds::Resolve(absl::string_view id,
                                                    absl::string_view secret) {
  absl::StatusOr<std::optional<CalendarFeed>> feed = store_->FindFeed(id);
  if (!feed.ok()) return feed.status();
  // Hash even when there is no feed, so the answer takes as long either way.
  const std::string hash = Sha256Hex(secret);
  if (!feed->has_value()) return FeedNotFound(id);
  const bool matches = ConstantTimeEquals(hash, (*feed)->secret_hash);
  if (!matches || (*feed)->revoke_time) return FeedNotFound(id);
  return ViewOf(**feed);
}

absl::StatusOr<CalendarView> CalendarFeeds::LaunchCalendar(const std::string& launch_id) {
  absl::StatusOr<LaunchState> state = launches_->GetLaunch(launch_id, /*with_items=*/true);
  if (!state.ok()) return state.status();
  return LaunchCalendarView(*state, ladder_, *calendar_);
}

absl::StatusOr<CalendarView> CalendarFeeds::ViewOf(const CalendarFeed& feed) {
  if (!feed.launch_id.empty()) {
    absl::StatusOr<LaunchState> state = launches_->GetLaunch(feed.launch_id, /*with_items=*/true);
    if (!state.ok()) return state.status();
    // A feed never shows another tenant's launch, whatever its row says.
    if (state->launch.tenant != feed.tenant) return FeedNotFound(feed.id);
    return LaunchCalendarView(*state, ladder_, *calendar_);
  }
  absl::StatusOr<std::vector<LaunchRead>> launches =
      assignees_->LaunchesWithItemsOf(feed.tenant, feed.assignee);
  if (!launches.ok()) return launches.status();
  return AssigneeCalendarView(feed.tenant, feed.assignee, *launches, ladder_, *calendar_);
}

}  // namespace preflight::checklist

#include "notifier-service/engine/router.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"

namespace preflight::notifier {

Recipient Router::DefaultRecipient(absl::string_view id) {
  Recipient recipient;
  recipient.id = std::string(id);
  recipient.display_name = std::string(id);
  recipient.channels = {RecipientChannel{ChannelType::kLog, "", ""},
                        RecipientChannel{ChannelType::kInbox, "", ""}};
  return recipient;
}

absl::StatusOr<Recipient> Router::Resolve(absl::string_view id, absl::string_view tenant) const {
  // The tenant's own record first; another tenant's "li.na" is never looked at.
  if (!tenant.empty()) {
    absl::StatusOr<std::optional<Recipient>> own = store_->GetRecipient(tenant, id);
    if (!own.ok()) return own.status();
    if (own->has_value()) return **own;
  }
  absl::StatusOr<std::optional<Recipient>> tenantless = store_->GetRecipient("", id);
  if (!tenantless.ok()) return tenantless.status();
  if (tenantless->has_value()) return **tenantless;
  return DefaultRecipient(id);
}

absl::StatusOr<std::vector<Route>> Router::RoutesFor(const LaunchInfo& launch, const ItemInfo& item,
                                                     const Rung& rung) const {
  // (recipient id, reason) in priority order; the first reason for an id wins.
  std::vector<std::pair<std::string, std::string>> wanted;
  if (!item.assignee.empty()) {
    wanted.emplace_back(item.assignee, "assignee");
  } else if (!launch.owner.empty()) {
    wanted.emplace_back(launch.owner, "owner (unassigned)");
  }
  if (rung.escalation && !launch.owner.empty()) wanted.emplace_back(launch.owner, "owner");

  std::vector<Recipient> resolved;
  std::vector<std::string> reasons;
  std::set<std::string> wanted_ids;
  // Recipients already routed, by RecipientKeyText: a tenant's "li.na" and the tenant-less one
  // are different recipients.
  std::set<std::string> seen;
  for (const auto& [id, reason] : wanted) {
    if (!wanted_ids.insert(id).second) continue;
    absl::StatusOr<Recipient> recipient = Resolve(id, launch.tenant);
    if (!recipient.ok()) return recipient.status();
    seen.insert(RecipientKeyText(recipient->tenant, recipient->id));
    resolved.push_back(*std::move(recipient));
    reasons.push_back(reason);
  }
  absl::StatusOr<std::vector<Recipient>> subscribers =
      store_->SubscribersOf(launch.tenant, launch.launch_id);
  if (!subscribers.ok()) return subscribers.status();
  for (Recipient& subscriber : *subscribers) {
    // Another tenant's recipient never hears about this launch, whatever it subscribed to.
    if (!subscriber.tenant.empty() && subscriber.tenant != launch.tenant) continue;
    if (!seen.insert(RecipientKeyText(subscriber.tenant, subscriber.id)).second) continue;
    std::string reason = "subscription";
    for (const std::string& target : subscriber.subscriptions) {
      if (target == api::LaunchName(launch.launch_id) || target == api::TenantName(launch.tenant)) {
        reason = absl::StrCat("subscription:", target);
        break;
      }
    }
    resolved.push_back(std::move(subscriber));
    reasons.push_back(std::move(reason));
  }

  std::vector<Route> routes;
  for (size_t i = 0; i < resolved.size(); ++i) {
    for (const RecipientChannel& channel : resolved[i].channels) {
      Route route;
      route.recipient = resolved[i];
      route.channel = channel;
      route.reason = reasons[i];
      route.digest = resolved[i].digest && !rung.urgent;
      routes.push_back(std::move(route));
    }
  }
  return routes;
}

}  // namespace preflight::notifier

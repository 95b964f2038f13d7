#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "notifier-service/domain/model.h"
#include "notifier-service/domain/notifier_store.h"
#include "notifier-service/domain/recipient.h"

namespace preflight::notifier {

// One recipient reached over one of its channels, and why.
struct Route {
  Recipient recipient;
  RecipientChannel channel;
  // "assignee", "owner", "owner (unassigned)", "subscription:tenants/acme", ...
  std::string reason;
  // Held for the recipient's morning digest (non-urgent reminders to digest recipients).
  bool digest = false;
  // For a weekly digest in the forecast: the message this route would get.
  std::string text;
};

// Decides who hears about a rung: the item's assignee (the launch owner when nobody is
// assigned), the owner as well for escalations, and every recipient of the launch's tenant (or
// tenant-less) subscribed to the tenant or the launch. A name resolves to the launch's tenant's
// recipient of that id, else the tenant-less one; a person with neither record is reached on the
// embedded defaults, the log and the inbox. Another tenant's recipients are never used.
class Router {
 public:
  explicit Router(NotifierStore* store) : store_(store) {}

  absl::StatusOr<std::vector<Route>> RoutesFor(const LaunchInfo& launch, const ItemInfo& item,
                                               const Rung& rung) const;

  // The recipient record for `id` as seen from `tenant`: the tenant's own, else the
  // tenant-less one, else the default one.
  absl::StatusOr<Recipient> Resolve(absl::string_view id, absl::string_view tenant) const;

  // A recipient with no record: log and inbox.
  static Recipient DefaultRecipient(absl::string_view id);

 private:
  NotifierStore* const store_;
};

}  // namespace preflight::notifier

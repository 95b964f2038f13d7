#include "common/api/resource_names.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/tenant_id.h"
#include "common/error_text.h"

namespace preflight::api {
namespace {

constexpr absl::string_view kLaunches = "launches/";
constexpr absl::string_view kItems = "/items/";
constexpr absl::string_view kTenants = "tenants/";
constexpr absl::string_view kRecipients = "recipients/";
constexpr absl::string_view kInbox = "/inbox/";
constexpr absl::string_view kDeliveries = "deliveries/";
constexpr absl::string_view kTokens = "tokens/";
constexpr absl::string_view kCalendarFeeds = "calendarFeeds/";

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status Malformed(absl::string_view field, absl::string_view name, absl::string_view kind) {
  return Invalid(field, absl::StrCat(QuoteForError(name), " is not ", kind));
}

template <typename Predicate>
bool AllOf(absl::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), predicate);
}

bool IsLaunchIdChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '_';
}
bool IsItemCodeChar(char c) { return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_'; }
bool IsRecipientIdChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == '-' ||
         c == '@';
}
bool IsLowerHex(char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); }

// A positive decimal integer without sign or leading junk.
bool ParsePositive(absl::string_view text, int64_t* out) {
  return !text.empty() && AllOf(text, [](char c) { return absl::ascii_isdigit(c); }) &&
         absl::SimpleAtoi(text, out) && *out > 0;
}

}  // namespace

bool IsLaunchId(absl::string_view id) {
  return !id.empty() && id.size() <= kMaxLaunchIdLength && AllOf(id, IsLaunchIdChar);
}

bool IsItemCode(absl::string_view code) {
  return !code.empty() && code.size() <= kMaxItemCodeLength && AllOf(code, IsItemCodeChar);
}

bool IsRecipientId(absl::string_view id) {
  return !id.empty() && id.size() <= kMaxRecipientIdLength && AllOf(id, IsRecipientIdChar);
}

bool IsTokenId(absl::string_view id) {
  return id.size() == kTokenIdLength && AllOf(id, IsLowerHex);
}

bool IsCalendarFeedId(absl::string_view id) { return id.size() == 16 && AllOf(id, IsLowerHex); }

std::string LaunchName(absl::string_view launch_id) { return absl::StrCat(kLaunches, launch_id); }

std::string ItemName(absl::string_view launch_id, absl::string_view code) {
  return absl::StrCat(kLaunches, launch_id, kItems, code);
}

std::string TenantName(absl::string_view tenant) { return absl::StrCat(kTenants, tenant); }

std::string RecipientName(absl::string_view tenant, absl::string_view id) {
  if (tenant.empty()) return absl::StrCat(kRecipients, id);
  return absl::StrCat(kTenants, tenant, "/", kRecipients, id);
}

std::string InboxMessageName(absl::string_view tenant, absl::string_view recipient_id,
                             int64_t message_id) {
  return absl::StrCat(RecipientName(tenant, recipient_id), kInbox, message_id);
}

std::string DeliveryName(int64_t id) { return absl::StrCat(kDeliveries, id); }

std::string TokenName(absl::string_view id) { return absl::StrCat(kTokens, id); }

std::string CalendarFeedName(absl::string_view id) { return absl::StrCat(kCalendarFeeds, id); }

absl::StatusOr<std::string> ParseLaunchName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, kLaunches) || !IsLaunchId(id)) {
    return Malformed(field, name, "a launch name (launches/{launch})");
  }
  return std::string(id);
}

absl::StatusOr<ItemKey> ParseItemName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "launches" || parts[2] != "items" || !IsLaunchId(parts[1]) ||
      !IsItemCode(parts[3])) {
    return Malformed(field, name, "an item name (launches/{launch}/items/{code})");
  }
  return ItemKey{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<std::string> ParseTenantName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view tenant = name;
  if (!absl::ConsumePrefix(&tenant, kTenants) || !IsValidTenantId(tenant)) {
    return Malformed(field, name, "a tenant name (tenants/{tenant})");
  }
  return std::string(tenant);
}

absl::StatusOr<RecipientKey> ParseRecipientName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  const auto malformed = [&] {
    return Malformed(field, name,
                     "a recipient name (recipients/{id} or tenants/{tenant}/recipients/{id}; the "
                     "id has lowercase letters, digits, '.', '_', '-', '@')");
  };
  RecipientKey key;
  absl::string_view rest = name;
  if (absl::ConsumePrefix(&rest, kTenants)) {
    const size_t slash = rest.find('/');
    if (slash == absl::string_view::npos || !IsValidTenantId(rest.substr(0, slash))) {
      return malformed();
    }
    key.tenant = std::string(rest.substr(0, slash));
    rest.remove_prefix(slash + 1);
  }
  if (!absl::ConsumePrefix(&rest, kRecipients) || !IsRecipientId(rest)) return malformed();
  key.id = std::string(rest);
  return key;
}

absl::StatusOr<int64_t> ParseDeliveryName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view rest = name;
  int64_t id = 0;
  if (!absl::ConsumePrefix(&rest, kDeliveries) || !ParsePositive(rest, &id)) {
    return Malformed(field, name, "a delivery name (deliveries/{id})");
  }
  return id;
}

absl::StatusOr<std::string> ParseTokenName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, kTokens) || !IsTokenId(id)) {
    return Malformed(field, name, "a token name (tokens/{id}, 12 lowercase hex digits)");
  }
  return std::string(id);
}

absl::StatusOr<std::string> ParseCalendarFeedName(absl::string_view name, absl::string_view field) {
  if (name.empty()) return Invalid(field, "required");
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, kCalendarFeeds) || !IsCalendarFeedId(id)) {
    return Malformed(field, name,
                     "a calendar feed name (calendarFeeds/{id}, 16 lowercase hex digits)");
  }
  return std::string(id);
}

absl::StatusOr<SubscriptionTarget> ParseSubscriptionTarget(absl::string_view target,
                                                           absl::string_view field) {
  if (target.empty()) return Invalid(field, "required");
  absl::string_view rest = target;
  if (absl::ConsumePrefix(&rest, kTenants) && IsValidTenantId(rest)) {
    return SubscriptionTarget{SubscriptionTarget::Kind::kTenant, std::string(rest)};
  }
  rest = target;
  if (absl::ConsumePrefix(&rest, kLaunches) && IsLaunchId(rest)) {
    return SubscriptionTarget{SubscriptionTarget::Kind::kLaunch, std::string(rest)};
  }
  return Invalid(
      field, absl::StrCat(QuoteForError(target), " must be tenants/{tenant} or launches/{launch}"));
}

std::string SubscriptionTargetName(const SubscriptionTarget& target) {
  return target.kind == SubscriptionTarget::Kind::kTenant ? TenantName(target.id)
                                                          : LaunchName(target.id);
}

std::string LaunchNameFromShorthand(absl::string_view text) {
  if (absl::StartsWith(text, kLaunches)) return std::string(text);
  return LaunchName(text);
}

std::string RecipientNameFromShorthand(absl::string_view text) {
  if (absl::StartsWith(text, kRecipients) || absl::StartsWith(text, kTenants)) {
    return std::string(text);
  }
  return RecipientName("", text);
}

std::string TokenNameFromShorthand(absl::string_view text) {
  if (absl::StartsWith(text, kTokens)) return std::string(text);
  return TokenName(text);
}

std::string CalendarFeedNameFromShorthand(absl::string_view text) {
  if (absl::StartsWith(text, kCalendarFeeds)) return std::string(text);
  return CalendarFeedName(text);
}

std::optional<std::string> ItemNameFromShorthand(absl::string_view text) {
  const size_t infix = text.find(kItems);
  if (infix == absl::string_view::npos) return std::nullopt;
  absl::string_view launch_id = text.substr(0, infix);
  absl::ConsumePrefix(&launch_id, kLaunches);
  const absl::string_view code = text.substr(infix + kItems.size());
  if (launch_id.empty() || code.empty() || absl::StrContains(launch_id, '/') ||
      absl::StrContains(code, '/')) {
    return std::nullopt;
  }
  return ItemName(launch_id, code);
}

std::string ItemNameFromShorthand(absl::string_view launch, absl::string_view code) {
  return absl::StrCat(LaunchNameFromShorthand(launch), kItems, code);
}

bool MentionsItem(absl::string_view text) { return absl::StrContains(text, kItems); }

std::string LaunchNameOfItem(absl::string_view item_name) {
  absl::StatusOr<ItemKey> key = ParseItemName(item_name, "item");
  return key.ok() ? LaunchName(key->launch_id) : std::string();
}

}  // namespace preflight::api

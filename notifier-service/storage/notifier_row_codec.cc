#include "notifier-service/storage/notifier_row_codec.h"

#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/civil_date.h"
#include "nlohmann/json.hpp"

namespace preflight::notifier {
namespace {

using Json = nlohmann::json;

Json DayToJson(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? Json(FormatCivilDay(*day)) : Json(nullptr);
}

// Reads an optional date member; throws std::invalid_argument on a malformed one.
std::optional<absl::CivilDay> DayFromJson(const Json& object, const char* key) {
  auto member = object.find(key);
  if (member == object.end() || member->is_null()) return std::nullopt;
  const std::string text = member->get<std::string>();
  std::optional<absl::CivilDay> day = ParseCivilDay(text);
  if (!day.has_value()) {
    throw std::invalid_argument(absl::StrCat(key, " is not a date: '", text, "'"));
  }
  return day;
}

}  // namespace

std::string EncodeItemInfo(const ItemInfo& info) {
  Json json = {
      {"title_en", info.title_en},
      {"title_zh", info.title_zh},
      {"status", info.status},
      {"done", info.done},
      {"assignee", info.assignee},
      {"latest_start", DayToJson(info.latest_start)},
      {"due", DayToJson(info.due)},
      {"post_launch", info.post_launch},
      {"expiry", DayToJson(info.expiry)},
      {"started", info.started},
  };
  // Written only when present, so the rows of items without them keep their exact text.
  if (!info.renewal_days.empty()) json["renewal_days"] = info.renewal_days;
  if (info.approved.has_value()) json["approved"] = DayToJson(info.approved);
  return json.dump();
}

absl::StatusOr<ItemInfo> DecodeItemInfo(std::string launch_id, std::string code, int64_t version,
                                        const std::string& text) {
  ItemInfo info;
  info.launch_id = std::move(launch_id);
  info.code = std::move(code);
  info.version = version;
  try {
    const Json json = Json::parse(text);
    info.title_en = json.at("title_en").get<std::string>();
    info.title_zh = json.at("title_zh").get<std::string>();
    info.status = json.at("status").get<std::string>();
    info.done = json.at("done").get<bool>();
    info.assignee = json.at("assignee").get<std::string>();
    info.latest_start = DayFromJson(json, "latest_start");
    info.due = DayFromJson(json, "due");
    info.post_launch = json.at("post_launch").get<bool>();
    info.expiry = DayFromJson(json, "expiry");
    info.started = json.at("started").get<bool>();
    // Rows written before items carried them have neither: the policy's days, no approval day.
    if (auto days = json.find("renewal_days"); days != json.end() && !days->is_null()) {
      info.renewal_days = days->get<std::vector<int>>();
    }
    info.approved = DayFromJson(json, "approved");
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat(
        "stored item ", api::ItemName(info.launch_id, info.code), " is unreadable: ", e.what()));
  }
  return info;
}

std::string EncodeChannels(const std::vector<RecipientChannel>& channels) {
  Json json = Json::array();
  for (const RecipientChannel& channel : channels) {
    json.push_back({{"type", std::string(ChannelTypeName(channel.type))},
                    {"target", channel.target},
                    {"secret_ref", channel.secret_ref}});
  }
  return json.dump();
}

absl::StatusOr<std::vector<RecipientChannel>> DecodeChannels(const std::string& text,
                                                             absl::string_view recipient) {
  std::vector<RecipientChannel> channels;
  try {
    for (const Json& entry : Json::parse(text)) {
      RecipientChannel channel;
      const std::string type = entry.at("type").get<std::string>();
      std::optional<ChannelType> parsed = ParseChannelType(type);
      if (!parsed.has_value()) throw std::invalid_argument(absl::StrCat("channel type ", type));
      channel.type = *parsed;
      channel.target = entry.at("target").get<std::string>();
      channel.secret_ref = entry.at("secret_ref").get<std::string>();
      channels.push_back(std::move(channel));
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat("stored channels of recipient ", recipient, " are unreadable: ", e.what()));
  }
  return channels;
}

std::string EncodeSubscriptions(const std::vector<std::string>& subscriptions) {
  return Json(subscriptions).dump();
}

absl::StatusOr<std::vector<std::string>> DecodeSubscriptions(const std::string& text,
                                                             absl::string_view recipient) {
  try {
    return Json::parse(text).get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    return absl::DataLossError(absl::StrCat("stored subscriptions of recipient ", recipient,
                                            " are unreadable: ", e.what()));
  }
}

std::string EncodeRoles(const std::vector<RecipientRole>& roles) {
  std::vector<std::string> names;
  names.reserve(roles.size());
  for (RecipientRole role : roles) names.emplace_back(RecipientRoleName(role));
  return Json(names).dump();
}

absl::StatusOr<std::vector<RecipientRole>> DecodeRoles(const std::string& text,
                                                       absl::string_view recipient) {
  std::vector<std::string> names;
  try {
    names = Json::parse(text).get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat("stored roles of recipient ", recipient, " are unreadable: ", e.what()));
  }
  std::vector<RecipientRole> roles;
  for (const std::string& name : names) {
    if (name == RecipientRoleName(RecipientRole::kManager))
      roles.push_back(RecipientRole::kManager);
  }
  return roles;
}

std::optional<DeliveryState> ParseDeliveryState(absl::string_view name) {
  for (DeliveryState state :
       {DeliveryState::kPending, DeliveryState::kSending, DeliveryState::kDelivered,
        DeliveryState::kDeadLettered, DeliveryState::kOutcomeUnknown, DeliveryState::kCancelled}) {
    if (DeliveryStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::optional<RungKind> ParseRungKind(absl::string_view name) {
  for (RungKind kind :
       {RungKind::kBeforeStart, RungKind::kBeforeDue, RungKind::kOverdue, RungKind::kPostLaunch,
        RungKind::kRenewal, RungKind::kTest, RungKind::kWeeklyDigest}) {
    if (RungKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace preflight::notifier

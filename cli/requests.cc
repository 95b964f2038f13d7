#include "cli/requests.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_names.h"

namespace preflight::cli {
namespace {

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

std::string ItemName(const Invocation& invocation) {
  return api::ItemNameFromShorthand(invocation.arguments[0], ItemCode(invocation.arguments[1]));
}

// Sets the profile fields whose flags were given; appends their mask paths to `paths` if given.
absl::Status FillProfile(const Invocation& invocation, v1::LaunchProfile* profile,
                         std::vector<std::string>* paths) {
  const auto mark = [&](absl::string_view path) {
    if (paths != nullptr) paths->push_back(std::string(path));
  };
  if (invocation.Has("subject")) {
    absl::StatusOr<v1::SubjectType> subject = ParseSubjectType(invocation.Get("subject"));
    if (!subject.ok()) return subject.status();
    profile->set_subject_type(*subject);
    mark("profile.subject_type");
  }
  if (invocation.Has("hosting")) {
    absl::StatusOr<v1::Hosting> hosting = ParseHosting(invocation.Get("hosting"));
    if (!hosting.ok()) return hosting.status();
    profile->set_hosting(*hosting);
    mark("profile.hosting");
  }
  if (invocation.Has("payments")) {
    profile->set_takes_payments(invocation.GetBool("payments"));
    mark("profile.takes_payments");
  }
  if (invocation.Has("mini_game")) {
    profile->set_mini_game(invocation.GetBool("mini_game"));
    mark("profile.mini_game");
  }
  if (invocation.Has("categories")) {
    for (std::string& category : SplitList(invocation.Get("categories"))) {
      profile->add_service_categories(std::move(category));
    }
    mark("profile.service_categories");
  }
  if (invocation.Has("province")) {
    profile->set_province(invocation.Get("province"));
    mark("profile.province");
  }
  return absl::OkStatus();
}

}  // namespace

std::string ItemCode(absl::string_view text) { return absl::AsciiStrToUpper(text); }

std::string WithItemCodeUpperCase(absl::string_view item_name) {
  constexpr absl::string_view kItems = "/items/";
  const size_t infix = item_name.rfind(kItems);
  if (infix == absl::string_view::npos) return std::string(item_name);
  return absl::StrCat(item_name.substr(0, infix + kItems.size()),
                      ItemCode(item_name.substr(infix + kItems.size())));
}

absl::StatusOr<int> ParseEnumFlag(const google::protobuf::EnumDescriptor* descriptor,
                                  absl::string_view prefix, absl::string_view flag,
                                  absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  if (upper != "UNSPECIFIED") {
    if (const google::protobuf::EnumValueDescriptor* value =
            descriptor->FindValueByName(absl::StrCat(prefix, upper))) {
      return value->number();
    }
  }
  std::vector<std::string> allowed;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    absl::string_view name = descriptor->value(i)->name();
    name.remove_prefix(prefix.size());
    if (name != "UNSPECIFIED") allowed.push_back(absl::AsciiStrToLower(name));
  }
  return Usage(absl::StrCat("--", flag, ": unknown value '", text,
                            "' (one of: ", absl::StrJoin(allowed, ", "), ")"));
}

absl::Status ReadInt32Flag(const Invocation& invocation, absl::string_view flag, int32_t* out) {
  if (!invocation.Has(flag)) return absl::OkStatus();
  const std::string text = invocation.Get(flag);
  if (!absl::SimpleAtoi(text, out)) {
    return Usage(absl::StrCat("--", flag, " expects a whole number, got '", text, "'"));
  }
  return absl::OkStatus();
}

std::string LaunchName(absl::string_view argument) {
  return api::LaunchNameFromShorthand(argument);
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

absl::StatusOr<v1::SubjectType> ParseSubjectType(absl::string_view text) {
  absl::StatusOr<int> value =
      ParseEnumFlag(v1::SubjectType_descriptor(), "SUBJECT_TYPE_", "subject", text);
  if (!value.ok()) return value.status();
  return static_cast<v1::SubjectType>(*value);
}

absl::StatusOr<v1::Hosting> ParseHosting(absl::string_view text) {
  absl::StatusOr<int> value = ParseEnumFlag(v1::Hosting_descriptor(), "HOSTING_", "hosting", text);
  if (!value.ok()) return value.status();
  return static_cast<v1::Hosting>(*value);
}

absl::StatusOr<v1::ItemStatus> ParseItemStatus(absl::string_view text) {
  absl::StatusOr<int> value =
      ParseEnumFlag(v1::ItemStatus_descriptor(), "ITEM_STATUS_", "status", text);
  if (!value.ok()) return value.status();
  return static_cast<v1::ItemStatus>(*value);
}

absl::StatusOr<v1::CreateLaunchRequest> BuildCreateLaunchRequest(const Invocation& invocation) {
  v1::CreateLaunchRequest request;
  v1::Launch* launch = request.mutable_launch();
  launch->set_tenant(invocation.Get("tenant"));
  launch->set_display_name(invocation.Get("name"));
  launch->set_owner(invocation.Get("owner"));
  launch->set_target_launch_date(invocation.Get("target"));
  launch->set_time_zone(invocation.Get("time_zone"));
  launch->set_template_id(invocation.Get("template"));
  if (absl::Status s = FillProfile(invocation, launch->mutable_profile(), nullptr); !s.ok()) {
    return s;
  }
  request.set_request_id(invocation.Get("request_id"));
  return request;
}

absl::StatusOr<v1::ListLaunchesRequest> BuildListLaunchesRequest(const Invocation& invocation) {
  v1::ListLaunchesRequest request;
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  request.set_tenant(invocation.Get("tenant"));
  request.set_owner(invocation.Get("owner"));
  request.set_at_risk_only(invocation.GetBool("at_risk"));
  request.set_target_date_from(invocation.Get("from"));
  request.set_target_date_to(invocation.Get("to"));
  return request;
}

v1::GetLaunchRequest BuildGetLaunchRequest(const Invocation& invocation) {
  v1::GetLaunchRequest request;
  request.set_name(LaunchName(invocation.arguments[0]));
  request.set_view(v1::LAUNCH_VIEW_FULL);
  return request;
}

absl::StatusOr<v1::UpdateLaunchRequest> BuildUpdateLaunchRequest(const Invocation& invocation) {
  v1::UpdateLaunchRequest request;
  v1::Launch* launch = request.mutable_launch();
  launch->set_name(LaunchName(invocation.arguments[0]));
  std::vector<std::string> paths;
  // Flag -> launch field, for the plain string fields.
  struct Field {
    absl::string_view flag;
    absl::string_view path;
    std::string* (v1::Launch::*field)();
  };
  static constexpr Field kFields[] = {
      {"name", "display_name", &v1::Launch::mutable_display_name},
      {"owner", "owner", &v1::Launch::mutable_owner},
      {"target", "target_launch_date", &v1::Launch::mutable_target_launch_date},
      {"time_zone", "time_zone", &v1::Launch::mutable_time_zone},
      {"went_live", "went_live_date", &v1::Launch::mutable_went_live_date},
  };
  for (const Field& field : kFields) {
    if (!invocation.Has(field.flag)) continue;
    *(launch->*field.field)() = invocation.Get(field.flag);
    paths.emplace_back(field.path);
  }
  if (absl::Status s = FillProfile(invocation, launch->mutable_profile(), &paths); !s.ok()) {
    return s;
  }
  if (paths.empty()) {
    return Usage("'launch update' changes nothing: give at least one field flag, e.g. --target");
  }
  for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
  request.set_etag(invocation.Get("etag"));
  return request;
}

absl::StatusOr<v1::UpdateLaunchRequest> BuildWhatIfRequest(const Invocation& invocation,
                                                           const v1::Launch& current) {
  Invocation adjusted = invocation;
  const std::vector<std::string> added = invocation.GetAll("add_category");
  const std::vector<std::string> removed = invocation.GetAll("remove_category");
  if (!added.empty() || !removed.empty()) {
    if (invocation.Has("categories")) {
      return Usage(
          "--categories sets the whole list: give it, or --add_category/--remove_category");
    }
    std::vector<std::string> categories(current.profile().service_categories().begin(),
                                        current.profile().service_categories().end());
    for (const std::string& category : added) {
      if (std::find(categories.begin(), categories.end(), category) == categories.end()) {
        categories.push_back(category);
      }
    }
    for (const std::string& category : removed) {
      categories.erase(std::remove(categories.begin(), categories.end(), category),
                       categories.end());
    }
    const std::string joined = absl::StrJoin(categories, ",");
    adjusted.flags["categories"] = joined;
    adjusted.flag_values["categories"] = {joined};
  }
  absl::StatusOr<v1::UpdateLaunchRequest> request = BuildUpdateLaunchRequest(adjusted);
  if (!request.ok()) {
    if (absl::StrContains(request.status().message(), "changes nothing")) {
      return Usage("'launch what-if' needs a change to preview, e.g. --target or --add_category");
    }
    return request.status();
  }
  request->set_validate_only(true);
  return request;
}

absl::StatusOr<v1::UpdateItemRequest> BuildUpdateItemRequest(const Invocation& invocation) {
  v1::UpdateItemRequest request;
  v1::Item* item = request.mutable_item();
  item->set_name(ItemName(invocation));
  std::vector<std::string> paths;
  if (invocation.Has("status")) {
    absl::StatusOr<v1::ItemStatus> status = ParseItemStatus(invocation.Get("status"));
    if (!status.ok()) return status.status();
    item->set_status(*status);
    paths.emplace_back("status");
  }
  struct Field {
    absl::string_view flag;
    absl::string_view path;
    std::string* (v1::Item::*field)();
  };
  static constexpr Field kFields[] = {
      {"assignee", "assignee", &v1::Item::mutable_assignee},
      {"notes", "notes", &v1::Item::mutable_notes},
      {"official_number", "official_number", &v1::Item::mutable_official_number},
      {"expiry", "expiry_date", &v1::Item::mutable_expiry_date},
      {"waiver_reason", "waiver_reason", &v1::Item::mutable_waiver_reason},
      {"due", "due_date", &v1::Item::mutable_due_date},
  };
  for (const Field& field : kFields) {
    if (!invocation.Has(field.flag)) continue;
    *(item->*field.field)() = invocation.Get(field.flag);
    paths.emplace_back(field.path);
  }
  if (invocation.Has("evidence")) {
    for (std::string& uri : SplitList(invocation.Get("evidence"))) {
      item->add_evidence()->set_uri(std::move(uri));
    }
    paths.emplace_back("evidence");
  }
  if (invocation.Has("materials")) {
    // code=status pairs; the server merges them into the item's material checklist.
    for (const std::string& entry : SplitList(invocation.Get("materials"))) {
      const std::vector<std::string> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
      if (parts.size() != 2 || parts[0].empty()) {
        return Usage(absl::StrCat("--materials: expected CODE=STATUS, got '", entry, "'"));
      }
      absl::StatusOr<int> status =
          ParseEnumFlag(v1::MaterialStatus_descriptor(), "MATERIAL_STATUS_", "materials", parts[1]);
      if (!status.ok()) return status.status();
      v1::Material* material = item->add_materials();
      material->set_code(parts[0]);
      material->set_status(static_cast<v1::MaterialStatus>(*status));
    }
    paths.emplace_back("materials");
  }
  if (paths.empty()) {
    return Usage("'item update' changes nothing: give at least one field flag, e.g. --status");
  }
  for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
  request.set_etag(invocation.Get("etag"));
  return request;
}

absl::StatusOr<v1::AddItemRequest> BuildAddItemRequest(const Invocation& invocation) {
  v1::AddItemRequest request;
  request.set_parent(LaunchName(invocation.arguments[0]));
  v1::Item* item = request.mutable_item();
  item->set_code(ItemCode(invocation.Get("code")));
  item->set_title_en(invocation.Get("title"));
  item->set_title_zh(invocation.Get("title_zh"));
  item->set_group(invocation.Get("group"));
  item->set_due_date(invocation.Get("due"));
  item->set_assignee(invocation.Get("assignee"));
  item->set_notes(invocation.Get("notes"));
  for (const std::string& code : SplitList(invocation.Get("depends_on"))) {
    item->add_depends_on(ItemCode(code));
  }
  if (invocation.Has("duration_days")) {
    int32_t days = 0;
    if (absl::Status s = ReadInt32Flag(invocation, "duration_days", &days); !s.ok()) return s;
    v1::DurationSpec* duration = item->mutable_duration();
    duration->set_unit(v1::DAY_UNIT_WORKING_DAYS);
    duration->set_min(days);
    duration->set_typical(days);
    duration->set_max(days);
  }
  return request;
}

v1::GetReadinessRequest BuildGetReadinessRequest(const Invocation& invocation) {
  v1::GetReadinessRequest request;
  request.set_name(LaunchName(invocation.arguments[0]));
  return request;
}

absl::StatusOr<v1::ListEventsRequest> BuildListEventsRequest(const Invocation& invocation) {
  v1::ListEventsRequest request;
  request.set_parent(LaunchName(invocation.arguments[0]));
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  return request;
}

absl::StatusOr<v1::ListTemplatesRequest> BuildListTemplatesRequest(const Invocation& invocation) {
  v1::ListTemplatesRequest request;
  int32_t page_size = 0;
  if (absl::Status s = ReadInt32Flag(invocation, "page_size", &page_size); !s.ok()) return s;
  request.set_page_size(page_size);
  request.set_page_token(invocation.Get("page_token"));
  return request;
}

}  // namespace preflight::cli

#include "checklist-service/storage/legacy_json_codec.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/civil_date.h"

namespace preflight::checklist::legacy_json {
namespace {

using nlohmann::json;

// Thrown inside this file only, for a snapshot that does not decode; the public functions turn
// it (and nlohmann's type errors) into DATA_LOSS.
class BadSnapshot : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- Encoding helpers ----

void PutDay(json& j, const char* key, const std::optional<absl::CivilDay>& day) {
  if (day.has_value()) j[key] = FormatCivilDay(*day);
}

std::string AnchorName(DeadlineAnchor anchor) {
  return anchor == DeadlineAnchor::kAfterGoLive ? "AFTER_GO_LIVE" : "BEFORE_LAUNCH";
}

// Day units as stored: the API's names from before they took the DAY_UNIT_ prefix
// (docs/api.md, "Enum value names"). Spelt out rather than v1::DayUnit_Name, so that renaming an
// API value never changes what is written, and every database and backup, older or newer, reads.
constexpr std::array<std::pair<v1::DayUnit, const char*>, 3> kStoredDayUnits = {{
    {v1::DAY_UNIT_UNSPECIFIED, "DAY_UNIT_UNSPECIFIED"},
    {v1::DAY_UNIT_WORKING_DAYS, "WORKING_DAYS"},
    {v1::DAY_UNIT_CALENDAR_DAYS, "CALENDAR_DAYS"},
}};

json DayUnitJson(v1::DayUnit unit) {
  for (const auto& [value, name] : kStoredDayUnits) {
    if (value == unit) return name;
  }
  return "";  // not a DayUnit: decoding refuses it, as it refuses any unknown name
}

// ---- Decoding helpers: absent or null keys keep the default ----

const json* Find(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& RequireObject(const json& j, absl::string_view what) {
  if (!j.is_object()) throw BadSnapshot(absl::StrCat(what, " is not a JSON object"));
  return j;
}

template <typename T>
void Read(const json& j, const char* key, T* out) {
  if (const json* v = Find(j, key)) *out = v->get<T>();
}

void ReadDay(const json& j, const char* key, std::optional<absl::CivilDay>* out) {
  const json* v = Find(j, key);
  if (v == nullptr) return;
  std::optional<absl::CivilDay> day = ParseCivilDay(v->get<std::string>());
  if (!day.has_value()) {
    throw BadSnapshot(
        absl::StrCat(key, ": '", v->get<std::string>(), "' is not a YYYY-MM-DD date"));
  }
  *out = day;
}

void ReadRequiredDay(const json& j, const char* key, absl::CivilDay* out) {
  std::optional<absl::CivilDay> day;
  ReadDay(j, key, &day);
  if (day.has_value()) *out = *day;
}

void ReadTime(const json& j, const char* key, absl::Time* out) {
  if (const json* v = Find(j, key)) *out = absl::FromUnixMicros(v->get<int64_t>());
}

template <typename Enum>
void ReadProtoEnum(const json& j, const char* key, bool (*parse)(const std::string&, Enum*),
                   Enum* out) {
  const json* v = Find(j, key);
  if (v == nullptr) return;
  const std::string name = v->get<std::string>();
  if (!parse(name, out)) throw BadSnapshot(absl::StrCat(key, ": unknown value '", name, "'"));
}

bool ParseSubjectType(const std::string& name, v1::SubjectType* out) {
  return v1::SubjectType_Parse(name, out);
}
bool ParseHosting(const std::string& name, v1::Hosting* out) {
  return v1::Hosting_Parse(name, out);
}
bool ParseDayUnit(const std::string& name, v1::DayUnit* out) {
  for (const auto& [value, stored] : kStoredDayUnits) {
    if (name == stored) {
      *out = value;
      return true;
    }
  }
  return false;
}

void ReadStatus(const json& j, const char* key, ItemStatus* out) {
  const json* v = Find(j, key);
  if (v == nullptr) return;
  const std::string name = v->get<std::string>();
  std::optional<ItemStatus> status = ParseItemStatus(name);
  if (!status.has_value()) throw BadSnapshot(absl::StrCat(key, ": unknown status '", name, "'"));
  *out = *status;
}

void ReadAnchor(const json& j, const char* key, DeadlineAnchor* out) {
  const json* v = Find(j, key);
  if (v == nullptr) return;
  const std::string name = v->get<std::string>();
  if (name == "BEFORE_LAUNCH") {
    *out = DeadlineAnchor::kBeforeLaunch;
  } else if (name == "AFTER_GO_LIVE") {
    *out = DeadlineAnchor::kAfterGoLive;
  } else {
    throw BadSnapshot(absl::StrCat(key, ": unknown anchor '", name, "'"));
  }
}

// Calls `read(element)` for each element of the array under `key`.
template <typename ReadElement>
void ReadArray(const json& j, const char* key, ReadElement read) {
  const json* v = Find(j, key);
  if (v == nullptr) return;
  if (!v->is_array()) throw BadSnapshot(absl::StrCat(key, " is not a JSON array"));
  for (const json& element : *v) read(element);
}

// Runs `decode` and turns every decoding failure into DATA_LOSS.
template <typename T, typename Decode>
absl::StatusOr<T> Guard(absl::string_view what, Decode decode) {
  try {
    return decode();
  } catch (const BadSnapshot& e) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " snapshot: ", e.what()));
  } catch (const json::exception& e) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " snapshot: ", e.what()));
  }
}

// Invalid UTF-8 (which the API never lets through) becomes U+FFFD rather than failing the write.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

absl::StatusOr<json> ParseJson(absl::string_view text, absl::string_view what) {
  json parsed = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " snapshot: not valid JSON"));
  }
  return parsed;
}

// ---- Launch parts ----

json ProfileToJson(const Profile& profile) {
  return json{
      {"subject_type", v1::SubjectType_Name(profile.subject_type)},
      {"hosting", v1::Hosting_Name(profile.hosting)},
      {"takes_payments", profile.takes_payments},
      {"mini_game", profile.mini_game},
      {"service_categories", profile.service_categories},
  };
}

Profile ProfileFromJson(const json& j) {
  RequireObject(j, "profile");
  Profile profile;
  ReadProtoEnum(j, "subject_type", &ParseSubjectType, &profile.subject_type);
  ReadProtoEnum(j, "hosting", &ParseHosting, &profile.hosting);
  Read(j, "takes_payments", &profile.takes_payments);
  Read(j, "mini_game", &profile.mini_game);
  Read(j, "service_categories", &profile.service_categories);
  return profile;
}

json LaunchScheduleToJson(const LaunchSchedule& schedule) {
  json j{
      {"as_of", FormatCivilDay(schedule.as_of)},
      {"critical_path", schedule.critical_path},
      {"at_risk", schedule.at_risk},
      {"slack_working_days", schedule.slack_working_days},
      {"unconfirmed_calendar", schedule.unconfirmed_calendar},
      {"fees_paid", schedule.fees_paid},
      {"fees_expected", schedule.fees_expected},
  };
  PutDay(j, "projected_launch", schedule.projected_launch);
  return j;
}

LaunchSchedule LaunchScheduleFromJson(const json& j) {
  RequireObject(j, "launch schedule");
  LaunchSchedule schedule;
  ReadRequiredDay(j, "as_of", &schedule.as_of);
  ReadDay(j, "projected_launch", &schedule.projected_launch);
  Read(j, "critical_path", &schedule.critical_path);
  Read(j, "at_risk", &schedule.at_risk);
  Read(j, "slack_working_days", &schedule.slack_working_days);
  Read(j, "unconfirmed_calendar", &schedule.unconfirmed_calendar);
  Read(j, "fees_paid", &schedule.fees_paid);
  Read(j, "fees_expected", &schedule.fees_expected);
  return schedule;
}

Launch DecodeLaunchObject(const json& j) {
  RequireObject(j, "launch");
  Launch launch;
  Read(j, "id", &launch.id);
  Read(j, "tenant", &launch.tenant);
  Read(j, "display_name", &launch.display_name);
  Read(j, "owner", &launch.owner);
  ReadRequiredDay(j, "target_launch_date", &launch.target_launch_date);
  Read(j, "time_zone", &launch.time_zone);
  if (const json* v = Find(j, "profile")) launch.profile = ProfileFromJson(*v);
  Read(j, "template_id", &launch.template_id);
  ReadDay(j, "went_live_date", &launch.went_live_date);
  ReadArray(j, "blockers", [&](const json& e) {
    RequireObject(e, "blocker");
    Blocker blocker;
    Read(e, "code", &blocker.code);
    Read(e, "message", &blocker.message);
    Read(e, "item_code", &blocker.item_code);
    launch.blockers.push_back(std::move(blocker));
  });
  Read(j, "request_id", &launch.request_id);
  Read(j, "request_fingerprint", &launch.request_fingerprint);
  Read(j, "version", &launch.version);
  ReadTime(j, "create_time_micros", &launch.create_time);
  ReadTime(j, "update_time_micros", &launch.update_time);
  if (const json* v = Find(j, "schedule")) launch.schedule = LaunchScheduleFromJson(*v);
  return launch;
}

// ---- Item parts ----

json ItemScheduleToJson(const ItemSchedule& schedule) {
  json j{
      {"slack_working_days", schedule.slack_working_days},
      {"critical", schedule.critical},
      {"at_risk", schedule.at_risk},
      {"unconfirmed_calendar", schedule.unconfirmed_calendar},
      {"done", schedule.done},
  };
  PutDay(j, "latest_start", schedule.latest_start);
  PutDay(j, "latest_finish", schedule.latest_finish);
  PutDay(j, "projected_start", schedule.projected_start);
  PutDay(j, "projected_finish", schedule.projected_finish);
  return j;
}

ItemSchedule ItemScheduleFromJson(const json& j) {
  RequireObject(j, "item schedule");
  ItemSchedule schedule;
  ReadDay(j, "latest_start", &schedule.latest_start);
  ReadDay(j, "latest_finish", &schedule.latest_finish);
  ReadDay(j, "projected_start", &schedule.projected_start);
  ReadDay(j, "projected_finish", &schedule.projected_finish);
  Read(j, "slack_working_days", &schedule.slack_working_days);
  Read(j, "critical", &schedule.critical);
  Read(j, "at_risk", &schedule.at_risk);
  Read(j, "unconfirmed_calendar", &schedule.unconfirmed_calendar);
  Read(j, "done", &schedule.done);
  return schedule;
}

Item DecodeItemObject(const json& j) {
  RequireObject(j, "item");
  Item item;
  Read(j, "launch_id", &item.launch_id);
  Read(j, "code", &item.code);
  Read(j, "title_en", &item.title_en);
  Read(j, "title_zh", &item.title_zh);
  Read(j, "group", &item.group);
  Read(j, "custom", &item.custom);
  Read(j, "external", &item.external);
  ReadStatus(j, "status", &item.status);
  ReadStatus(j, "status_before_not_applicable", &item.status_before_not_applicable);
  Read(j, "applicability_reason", &item.applicability_reason);
  ReadArray(j, "depends_on", [&](const json& e) {
    RequireObject(e, "dependency");
    Dependency dependency;
    Read(e, "code", &dependency.code);
    Read(e, "lag_working_days", &dependency.lag_working_days);
    item.depends_on.push_back(std::move(dependency));
  });
  if (const json* v = Find(j, "duration")) {
    RequireObject(*v, "duration");
    ReadProtoEnum(*v, "unit", &ParseDayUnit, &item.duration.unit);
    Read(*v, "min", &item.duration.min);
    Read(*v, "typical", &item.duration.typical);
    Read(*v, "max", &item.duration.max);
  }
  if (const json* v = Find(j, "deadline")) {
    RequireObject(*v, "deadline");
    ReadAnchor(*v, "anchor", &item.deadline.anchor);
    Read(*v, "days", &item.deadline.days);
    ReadProtoEnum(*v, "unit", &ParseDayUnit, &item.deadline.unit);
  }
  ReadDay(j, "due_date", &item.due_date);
  Read(j, "assignee", &item.assignee);
  Read(j, "notes", &item.notes);
  ReadArray(j, "evidence", [&](const json& e) {
    RequireObject(e, "evidence");
    Evidence evidence;
    Read(e, "uri", &evidence.uri);
    Read(e, "description", &evidence.description);
    item.evidence.push_back(std::move(evidence));
  });
  Read(j, "official_number", &item.official_number);
  Read(j, "official_number_label", &item.official_number_label);
  ReadDay(j, "expiry_date", &item.expiry_date);
  Read(j, "validity_months", &item.validity_months);
  Read(j, "waiver_reason", &item.waiver_reason);
  Read(j, "attempts", &item.attempts);
  Read(j, "fee_per_attempt", &item.fee_per_attempt);
  Read(j, "fee_charged_per_attempt", &item.fee_charged_per_attempt);
  // JSON rows predate order counting and the RETURNED status: every submission opened an order
  // (as in snapshot_proto_codec.cc for binary rows without paid_orders).
  item.paid_orders = item.attempts;
  ReadDay(j, "started_date", &item.started_date);
  ReadDay(j, "submitted_date", &item.submitted_date);
  ReadDay(j, "approved_date", &item.approved_date);
  Read(j, "source", &item.source);
  Read(j, "estimate", &item.estimate);
  Read(j, "version", &item.version);
  ReadTime(j, "update_time_micros", &item.update_time);
  if (const json* v = Find(j, "schedule")) item.schedule = ItemScheduleFromJson(*v);
  return item;
}

}  // namespace

json LaunchToJson(const Launch& launch) {
  json blockers = json::array();
  for (const Blocker& blocker : launch.blockers) {
    blockers.push_back(
        {{"code", blocker.code}, {"message", blocker.message}, {"item_code", blocker.item_code}});
  }
  json j{
      {"id", launch.id},
      {"tenant", launch.tenant},
      {"display_name", launch.display_name},
      {"owner", launch.owner},
      {"target_launch_date", FormatCivilDay(launch.target_launch_date)},
      {"time_zone", launch.time_zone},
      {"profile", ProfileToJson(launch.profile)},
      {"template_id", launch.template_id},
      {"blockers", std::move(blockers)},
      {"request_id", launch.request_id},
      {"request_fingerprint", launch.request_fingerprint},
      {"version", launch.version},
      {"create_time_micros", absl::ToUnixMicros(launch.create_time)},
      {"update_time_micros", absl::ToUnixMicros(launch.update_time)},
      {"schedule", LaunchScheduleToJson(launch.schedule)},
  };
  PutDay(j, "went_live_date", launch.went_live_date);
  return j;
}

absl::StatusOr<Launch> LaunchFromJson(const json& snapshot) {
  return Guard<Launch>("launch", [&] { return DecodeLaunchObject(snapshot); });
}

json ItemToJson(const Item& item) {
  json depends_on = json::array();
  for (const Dependency& dependency : item.depends_on) {
    depends_on.push_back(
        {{"code", dependency.code}, {"lag_working_days", dependency.lag_working_days}});
  }
  json evidence = json::array();
  for (const Evidence& e : item.evidence) {
    evidence.push_back({{"uri", e.uri}, {"description", e.description}});
  }
  json j{
      {"launch_id", item.launch_id},
      {"code", item.code},
      {"title_en", item.title_en},
      {"title_zh", item.title_zh},
      {"group", item.group},
      {"custom", item.custom},
      {"external", item.external},
      {"status", std::string(ItemStatusName(item.status))},
      {"status_before_not_applicable",
       std::string(ItemStatusName(item.status_before_not_applicable))},
      {"applicability_reason", item.applicability_reason},
      {"depends_on", std::move(depends_on)},
      {"duration",
       {{"unit", DayUnitJson(item.duration.unit)},
        {"min", item.duration.min},
        {"typical", item.duration.typical},
        {"max", item.duration.max}}},
      {"deadline",
       {{"anchor", AnchorName(item.deadline.anchor)},
        {"days", item.deadline.days},
        {"unit", DayUnitJson(item.deadline.unit)}}},
      {"assignee", item.assignee},
      {"notes", item.notes},
      {"evidence", std::move(evidence)},
      {"official_number", item.official_number},
      {"official_number_label", item.official_number_label},
      {"validity_months", item.validity_months},
      {"waiver_reason", item.waiver_reason},
      {"attempts", item.attempts},
      {"fee_per_attempt", item.fee_per_attempt},
      {"fee_charged_per_attempt", item.fee_charged_per_attempt},
      {"source", item.source},
      {"estimate", item.estimate},
      {"version", item.version},
      {"update_time_micros", absl::ToUnixMicros(item.update_time)},
      {"schedule", ItemScheduleToJson(item.schedule)},
  };
  PutDay(j, "due_date", item.due_date);
  PutDay(j, "expiry_date", item.expiry_date);
  PutDay(j, "started_date", item.started_date);
  PutDay(j, "submitted_date", item.submitted_date);
  PutDay(j, "approved_date", item.approved_date);
  return j;
}

absl::StatusOr<Item> ItemFromJson(const json& snapshot) {
  return Guard<Item>("item", [&] { return DecodeItemObject(snapshot); });
}

std::string EncodeLaunch(const Launch& launch) { return Dump(LaunchToJson(launch)); }

absl::StatusOr<Launch> DecodeLaunch(absl::string_view text) {
  absl::StatusOr<json> parsed = ParseJson(text, "launch");
  if (!parsed.ok()) return parsed.status();
  return LaunchFromJson(*parsed);
}

std::string EncodeItem(const Item& item) { return Dump(ItemToJson(item)); }

absl::StatusOr<Item> DecodeItem(absl::string_view text) {
  absl::StatusOr<json> parsed = ParseJson(text, "item");
  if (!parsed.ok()) return parsed.status();
  return ItemFromJson(*parsed);
}

std::string EncodeEventPayload(const Event& event) {
  json j = json::object();
  if (event.launch.has_value()) j["launch"] = LaunchToJson(*event.launch);
  if (event.item.has_value()) j["item"] = ItemToJson(*event.item);
  return Dump(j);
}

absl::Status DecodeEventPayload(absl::string_view text, Event* event) {
  absl::StatusOr<json> parsed = ParseJson(text, "event");
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return absl::DataLossError("corrupt event snapshot: not a JSON object");
  }
  event->launch.reset();
  event->item.reset();
  if (const json* v = Find(*parsed, "launch")) {
    absl::StatusOr<Launch> launch = LaunchFromJson(*v);
    if (!launch.ok()) return launch.status();
    event->launch = *std::move(launch);
  }
  if (const json* v = Find(*parsed, "item")) {
    absl::StatusOr<Item> item = ItemFromJson(*v);
    if (!item.ok()) return item.status();
    event->item = *std::move(item);
  }
  return absl::OkStatus();
}

}  // namespace preflight::checklist::legacy_json

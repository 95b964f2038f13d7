#include "checklist-service/domain/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "checklist-service/domain/launch_service.h"
#include "common/api/tenant_id.h"
#include "common/civil_date.h"
#include "common/error_text.h"
#include "common/time_zone_name.h"

namespace preflight::checklist {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status CheckText(absl::string_view field, const std::string& value, size_t max,
                       bool required) {
  if (required && absl::StripAsciiWhitespace(value).empty()) return Invalid(field, "required");
  if (value.size() > max) {
    return Invalid(field, absl::StrCat("too long (", value.size(), " bytes, at most ", max, ")"));
  }
  // Control characters garble tables, logs and bot messages.
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n' && c != '\t') return Invalid(field, "contains control characters");
  }
  return absl::OkStatus();
}

absl::Status CheckDate(absl::string_view field, const absl::CivilDay& day) {
  if (day.year() < kMinYear || day.year() > kMaxYear) {
    return Invalid(field,
                   absl::StrCat(FormatCivilDay(day), " is outside ", kMinYear, "-", kMaxYear));
  }
  return absl::OkStatus();
}

absl::Status CheckTimeZone(absl::string_view field, const std::string& zone) {
  if (zone.empty()) return absl::OkStatus();
  // The name is checked before anything is loaded: absl::LoadTimeZone would open any path.
  if (!IsIanaTimeZoneName(zone)) {
    return Invalid(field, absl::StrCat(QuoteForError(zone),
                                       " is not an IANA time zone name (such as Asia/Shanghai, "
                                       "UTC or Etc/GMT+8)"));
  }
  absl::TimeZone ignored;
  if (!LoadIanaTimeZone(zone, &ignored)) {
    return Invalid(field, absl::StrCat("unknown time zone ", QuoteForError(zone),
                                       " (expected an IANA name such as Asia/Shanghai)"));
  }
  return absl::OkStatus();
}

absl::Status CheckTenant(const std::string& tenant) {
  return api::ValidateTenantId("launch.tenant", tenant);
}

absl::Status CheckProvince(const std::string& province) {
  return CheckText("launch.profile.province", province, kMaxProvinceCodeLength, false);
}

absl::Status CheckCategories(const std::vector<std::string>& categories) {
  if (categories.size() > kMaxCategories) {
    return Invalid(
        "launch.profile.service_categories",
        absl::StrCat("at most ", kMaxCategories, " categories, got ", categories.size()));
  }
  for (size_t i = 0; i < categories.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat("launch.profile.service_categories[", i, "]"),
                                   categories[i], kMaxCategoryLength, true);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

bool IsItemCode(absl::string_view code) {
  if (code.empty() || code.size() > api::kMaxItemCodeLength || !absl::ascii_isupper(code.front())) {
    return false;
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

}  // namespace

void NormalizeCategories(std::vector<std::string>& categories) {
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
}

std::string SubjectTypeName(v1::SubjectType subject) {
  std::string name = absl::AsciiStrToLower(v1::SubjectType_Name(subject));
  constexpr absl::string_view kPrefix = "subject_type_";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

std::string HostingName(v1::Hosting hosting) {
  std::string name = absl::AsciiStrToLower(v1::Hosting_Name(hosting));
  constexpr absl::string_view kPrefix = "hosting_";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

absl::Status ValidateNewLaunch(const NewLaunch& request, absl::string_view request_id) {
  if (absl::Status s = CheckTenant(request.tenant); !s.ok()) return s;
  if (absl::Status s = CheckText("launch.display_name", request.display_name, kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckText("launch.owner", request.owner, kMaxNameLength, true); !s.ok()) {
    return s;
  }
  if (!request.target_launch_date) return Invalid("launch.target_launch_date", "required");
  if (absl::Status s = CheckDate("launch.target_launch_date", *request.target_launch_date);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckTimeZone("launch.time_zone", request.time_zone); !s.ok()) return s;
  if (absl::Status s =
          CheckText("launch.template_id", request.template_id, api::kMaxTemplateIdLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCategories(request.profile.service_categories); !s.ok()) return s;
  if (absl::Status s = CheckProvince(request.profile.province); !s.ok()) return s;
  if (request_id.size() > api::kMaxRequestIdLength) {
    return Invalid("request_id", absl::StrCat("too long (at most ", api::kMaxRequestIdLength, ")"));
  }
  for (unsigned char c : request_id) {
    if (c < 0x21 || c > 0x7e) return Invalid("request_id", "must be printable ASCII");
  }
  return absl::OkStatus();
}

absl::Status ValidateLaunchPatch(const LaunchPatch& patch) {
  if (patch.display_name) {
    if (absl::Status s =
            CheckText("launch.display_name", *patch.display_name, kMaxNameLength, true);
        !s.ok()) {
      return s;
    }
  }
  if (patch.owner) {
    if (absl::Status s = CheckText("launch.owner", *patch.owner, kMaxNameLength, true); !s.ok()) {
      return s;
    }
  }
  if (patch.target_launch_date) {
    if (absl::Status s = CheckDate("launch.target_launch_date", *patch.target_launch_date);
        !s.ok()) {
      return s;
    }
  }
  if (patch.went_live_date && patch.went_live_date->has_value()) {
    if (absl::Status s = CheckDate("launch.went_live_date", **patch.went_live_date); !s.ok()) {
      return s;
    }
  }
  if (patch.time_zone) {
    if (absl::Status s = CheckTimeZone("launch.time_zone", *patch.time_zone); !s.ok()) return s;
  }
  if (patch.service_categories) {
    if (absl::Status s = CheckCategories(*patch.service_categories); !s.ok()) return s;
  }
  if (patch.province) {
    if (absl::Status s = CheckProvince(*patch.province); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateItemPatch(const ItemPatch& patch) {
  if (patch.assignee) {
    if (absl::Status s = CheckText("item.assignee", *patch.assignee, kMaxNameLength, false);
        !s.ok()) {
      return s;
    }
  }
  if (patch.notes) {
    if (absl::Status s = CheckText("item.notes", *patch.notes, kMaxNotesLength, false); !s.ok()) {
      return s;
    }
  }
  if (patch.official_number) {
    if (absl::Status s =
            CheckText("item.official_number", *patch.official_number, kMaxNameLength, false);
        !s.ok()) {
      return s;
    }
  }
  if (patch.waiver_reason) {
    if (absl::Status s =
            CheckText("item.waiver_reason", *patch.waiver_reason, kMaxNotesLength, false);
        !s.ok()) {
      return s;
    }
  }
  if (patch.expiry_date && patch.expiry_date->has_value()) {
    if (absl::Status s = CheckDate("item.expiry_date", **patch.expiry_date); !s.ok()) return s;
  }
  if (patch.due_date && patch.due_date->has_value()) {
    if (absl::Status s = CheckDate("item.due_date", **patch.due_date); !s.ok()) return s;
  }
  if (patch.materials) {
    if (patch.materials->size() > static_cast<size_t>(kMaxMaterialsPerItem)) {
      return Invalid("item.materials", absl::StrCat("at most ", kMaxMaterialsPerItem,
                                                    " materials, got ", patch.materials->size()));
    }
    for (size_t i = 0; i < patch.materials->size(); ++i) {
      const std::string& code = (*patch.materials)[i].first;
      const std::string field = absl::StrCat("item.materials[", i, "].code");
      if (absl::Status s = CheckText(field, code, api::kMaxItemCodeLength, true); !s.ok()) return s;
      for (size_t j = 0; j < i; ++j) {
        if ((*patch.materials)[j].first == code) {
          return Invalid(field, absl::StrCat(QuoteForError(code), " is named twice"));
        }
      }
    }
  }
  if (patch.evidence) {
    if (patch.evidence->size() > kMaxEvidence) {
      return Invalid("item.evidence", absl::StrCat("at most ", kMaxEvidence, " links, got ",
                                                   patch.evidence->size()));
    }
    for (size_t i = 0; i < patch.evidence->size(); ++i) {
      const Evidence& e = (*patch.evidence)[i];
      const std::string field = absl::StrCat("item.evidence[", i, "]");
      if (absl::Status s = CheckText(field + ".uri", e.uri, kMaxUriLength, true); !s.ok()) {
        return s;
      }
      if (e.uri.find("://") == std::string::npos) {
        return Invalid(field + ".uri", absl::StrCat(QuoteForError(e.uri),
                                                    " is not a link (expected scheme://...)"));
      }
      if (absl::Status s = CheckText(field + ".description", e.description, kMaxNameLength, false);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNewItem(const NewItem& request) {
  if (request.code.empty()) return Invalid("item.code", "required");
  if (!IsItemCode(request.code)) {
    return Invalid("item.code", absl::StrCat(QuoteForError(request.code),
                                             " must be upper snake case (A-Z, 0-9, _), at most ",
                                             api::kMaxItemCodeLength, " characters"));
  }
  if (absl::Status s = CheckText("item.title_en", request.title_en, kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckText("item.title_zh", request.title_zh, kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckText("item.group", request.group, api::kMaxItemCodeLength, false);
      !s.ok()) {
    return s;
  }
  if (!request.due_date) return Invalid("item.due_date", "required for a custom item");
  if (absl::Status s = CheckDate("item.due_date", *request.due_date); !s.ok()) return s;
  if (request.depends_on.size() > kMaxDependencies) {
    return Invalid("item.depends_on", absl::StrCat("at most ", kMaxDependencies, " items, got ",
                                                   request.depends_on.size()));
  }
  for (size_t i = 0; i < request.depends_on.size(); ++i) {
    if (!IsItemCode(request.depends_on[i])) {
      return Invalid(absl::StrCat("item.depends_on[", i, "]"),
                     absl::StrCat("must be an item code (A-Z, 0-9, _), at most ",
                                  api::kMaxItemCodeLength, " characters"));
    }
  }
  if (request.duration_working_days < 0 || request.duration_working_days > kMaxDurationDays) {
    return Invalid("item.duration",
                   absl::StrCat("must be between 0 and ", kMaxDurationDays, " working days"));
  }
  const int min = request.duration_min.value_or(request.duration_working_days);
  const int max = request.duration_max.value_or(request.duration_working_days);
  if (min < 0 || min > request.duration_working_days || request.duration_working_days > max ||
      max > kMaxDurationDays) {
    return Invalid("item.duration",
                   absl::StrCat("must satisfy 0 <= min <= typical <= max <= ", kMaxDurationDays,
                                " working days, got min ", min, ", typical ",
                                request.duration_working_days, ", max ", max));
  }
  if (absl::Status s = CheckText("item.assignee", request.assignee, kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  return CheckText("item.notes", request.notes, kMaxNotesLength, false);
}

}  // namespace preflight::checklist

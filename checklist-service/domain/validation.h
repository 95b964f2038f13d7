#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

struct NewLaunch;
struct LaunchPatch;
struct ItemPatch;
struct NewItem;

// Limits on what clients may store. Each violation is INVALID_ARGUMENT naming the field.
inline constexpr size_t kMaxTenantLength = 63;
inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxNotesLength = 4000;
inline constexpr size_t kMaxRequestIdLength = 64;
inline constexpr size_t kMaxCategories = 32;
inline constexpr size_t kMaxEvidence = 50;
inline constexpr size_t kMaxUriLength = 2048;
inline constexpr size_t kMaxItemCodeLength = 64;
inline constexpr size_t kMaxDependencies = 32;
inline constexpr int kMaxDurationDays = 365;
// Dates outside this range are almost certainly typos.
inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2100;

// Sorts and removes duplicates.
void NormalizeCategories(std::vector<std::string>& categories);

// "enterprise", "own_mainland_server": the names conditions and the CLI use.
std::string SubjectTypeName(v1::SubjectType subject);
std::string HostingName(v1::Hosting hosting);

// A tenant id: lowercase letters, digits, '-', '_' or '.', starting with a letter or digit, at
// most kMaxTenantLength. INVALID_ARGUMENT naming `field`.
absl::Status ValidateTenant(absl::string_view field, absl::string_view tenant);

absl::Status ValidateNewLaunch(const NewLaunch& request, absl::string_view request_id);
absl::Status ValidateLaunchPatch(const LaunchPatch& patch);
absl::Status ValidateItemPatch(const ItemPatch& patch);
absl::Status ValidateNewItem(const NewItem& request);

}  // namespace preflight::checklist

#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "checklist-service/domain/limits.h"
#include "checklist-service/domain/model.h"

namespace preflight::checklist {

struct NewLaunch;
struct LaunchPatch;
struct ItemPatch;
struct NewItem;

// Limits on what clients may store live in limits.h. Each violation is INVALID_ARGUMENT naming
// the field and the limit.

// Sorts and removes duplicates.
void NormalizeCategories(std::vector<std::string>& categories);

// "enterprise", "own_mainland_server": the names conditions and the CLI use.
std::string SubjectTypeName(v1::SubjectType subject);
std::string HostingName(v1::Hosting hosting);

absl::Status ValidateNewLaunch(const NewLaunch& request, absl::string_view request_id);
absl::Status ValidateLaunchPatch(const LaunchPatch& patch);
absl::Status ValidateItemPatch(const ItemPatch& patch);
absl::Status ValidateNewItem(const NewItem& request);

}  // namespace preflight::checklist

#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "checklist-service/domain/checklist_store.h"

namespace preflight::checklist {

// What a commit's errors start with, for both checklist stores: the launch it writes.
inline std::string CommitContext(const ChangeSet& changes) {
  if (changes.launch.has_value()) return absl::StrCat("committing launch ", changes.launch->id);
  if (!changes.items.empty()) {
    return absl::StrCat("committing items of launch ", changes.items.front().launch_id);
  }
  return "committing events";
}

}  // namespace preflight::checklist

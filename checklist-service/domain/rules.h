#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "checklist-service/domain/model.h"
#include "checklist-service/domain/template_catalog.h"

namespace preflight::checklist {

// Checks a profile against a template: subject type and hosting are set, every service category
// is known, and no ACTION_REFUSE constraint matches. Errors are INVALID_ARGUMENT and name the
// field, e.g. "profile.takes_payments: WeChat Pay does not issue merchant numbers to ...".
absl::Status ValidateProfile(const CompiledTemplate& tmpl, const Profile& profile);

// The ACTION_BLOCKER constraints that match the profile.
std::vector<Blocker> ProfileBlockers(const CompiledTemplate& tmpl, const Profile& profile);

// Brings a launch's template items in line with `profile`:
//  - template items missing from `items` are added (status NOT_STARTED, or NOT_APPLICABLE);
//  - an applicable item whose condition no longer holds becomes NOT_APPLICABLE (its previous
//    status kept in status_before_not_applicable) and gets the reason;
//  - a NOT_APPLICABLE item whose condition holds again gets its previous status back;
//  - every template item's applicability_reason and fee (chosen by subject type) are refreshed.
// Custom items are left alone. Returns the codes of the items it added or changed, in template
// order. Items never disappear, so history is kept.
std::vector<std::string> ApplyProfile(const CompiledTemplate& tmpl, const Profile& profile,
                                      const std::string& launch_id, std::vector<Item>* items);

}  // namespace preflight::checklist

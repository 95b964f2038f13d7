#pragma once

// Every limit the checklist puts on what clients send and store, in one place
// (docs/security.md lists them). Field limits are INVALID_ARGUMENT naming the field and the
// limit; the per-tenant and per-launch counts are RESOURCE_EXHAUSTED.

#include <cstddef>

// The limits both services share (tenant ids, item codes, template ids, page tokens, request
// ids) are in common/api/limits.h; the tenant rule is common/api/tenant_id.h.
#include "common/api/limits.h"
#include "common/api/tenant_id.h"

namespace preflight::checklist {

// Strings, in bytes.
// Display names, titles, owner, assignee, official numbers, evidence descriptions.
inline constexpr size_t kMaxNameLength = 200;
// Notes and waiver reasons.
inline constexpr size_t kMaxNotesLength = 4000;
inline constexpr size_t kMaxUriLength = 2048;
inline constexpr size_t kMaxCategoryLength = 64;
// Province codes (LaunchProfile.province, the template's provinces), e.g. "ZJ".
inline constexpr size_t kMaxProvinceCodeLength = 16;
// The x-preflight-actor header is cut to this length.
inline constexpr size_t kMaxActorLength = 200;

// Repeated fields.
inline constexpr size_t kMaxCategories = 32;
inline constexpr size_t kMaxEvidence = 50;
inline constexpr size_t kMaxDependencies = 32;
// Materials of one item: the template's, and the entries of one UpdateItem.
inline constexpr int kMaxMaterialsPerItem = 32;

// Numbers.
inline constexpr int kMaxDurationDays = 365;
// Template validities: ten years at most.
inline constexpr int kMaxValidityMonths = 120;
inline constexpr int kMaxValidityDays = 3660;
// Dates outside this range are almost certainly typos.
inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2100;

// Page sizes (0 means the default).
inline constexpr int kMaxLaunchPageSize = 200;
inline constexpr int kDefaultLaunchPageSize = 50;
inline constexpr int kMaxItemPageSize = 200;
inline constexpr int kDefaultItemPageSize = 50;
inline constexpr int kMaxEventPageSize = 200;
inline constexpr int kDefaultEventPageSize = 50;
inline constexpr int kMaxTemplatePageSize = 100;

// Stored resources.
inline constexpr int kMaxLaunchesPerTenant = 1000;
// Template items and custom items together.
inline constexpr int kMaxItemsPerLaunch = 200;

}  // namespace preflight::checklist

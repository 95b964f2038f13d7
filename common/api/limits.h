#pragma once

// The limits both services and the CLI share, each defined once. A service's own limits live
// with it (checklist-service/domain/limits.h, notifier-service/engine/notifier_limits.h);
// docs/security.md lists them all.

#include <cstddef>

namespace preflight::api {

// Resource ids (resource_names.h has their grammars).
inline constexpr size_t kMaxLaunchIdLength = 64;
inline constexpr size_t kMaxItemCodeLength = 64;
inline constexpr size_t kMaxRecipientIdLength = 128;
inline constexpr size_t kTokenIdLength = 12;
// Tenant ids (tenant_id.h has their rule).
inline constexpr size_t kMaxTenantLength = 63;
// Template ids: lowercase letters, digits and '-', as the catalogue's files name them.
inline constexpr size_t kMaxTemplateIdLength = 63;

// A subscription target: "launches/" and a launch id is the longest.
inline constexpr size_t kMaxSubscriptionTargetLength = 9 + kMaxLaunchIdLength;

// Requests.
inline constexpr size_t kMaxPageTokenLength = 1024;
inline constexpr size_t kMaxRequestIdLength = 64;

}  // namespace preflight::api

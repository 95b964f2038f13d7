#include "common/auth/token_service.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"
#include "common/api/tenant_id.h"
#include "common/auth/tenant_scope.h"
#include "common/crypto.h"

namespace preflight::auth {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// The tenant ids launches use (common/api/tenant_id.h), or kAllTenants.
absl::Status CheckTenant(absl::string_view field, absl::string_view tenant) {
  if (tenant.empty()) return Invalid(field, "required (a tenant id, or \"*\" for every tenant)");
  if (tenant == kAllTenants) return absl::OkStatus();
  return api::ValidateTenantId(field, tenant);
}

// The creator recorded for tokens issued by a service that did not require authentication:
// anyone who could reach it. Such tokens were possible before version 0.2 and are not honoured.
bool IssuedWithoutAuthentication(const TokenRecord& record) {
  return record.creator == UnauthenticatedPrincipal().token_name;
}

absl::Status CheckDisplayName(absl::string_view name) {
  if (name.empty()) return Invalid("token.display_name", "required");
  if (name.size() > kMaxTokenDisplayNameLength) {
    return Invalid("token.display_name",
                   absl::StrCat("too long (at most ", kMaxTokenDisplayNameLength, " bytes)"));
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return Invalid("token.display_name", "control characters");
  }
  return absl::OkStatus();
}

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("token ", api::TokenName(id), " not found"));
}

}  // namespace

Principal PrincipalOf(const TokenRecord& record) {
  return Principal{api::TokenName(record.id), record.tenant, record.role, record.display_name};
}

absl::StatusOr<IssuedToken> TokenService::IssueUnchecked(const NewToken& spec,
                                                         const std::string& creator) {
  absl::StatusOr<int64_t> active = store_->CountActive(spec.tenant);
  if (!active.ok()) return active.status();
  if (*active >= kMaxActiveTokensPerTenant) {
    return absl::ResourceExhaustedError(
        absl::StrCat("tenant '", spec.tenant, "' has ", *active, " active tokens, the limit (",
                     kMaxActiveTokensPerTenant, "); revoke some first"));
  }
  absl::StatusOr<BearerToken> token = GenerateBearerToken();
  if (!token.ok()) return token.status();
  TokenRecord record;
  record.id = token->id;
  record.secret_hash = HashTokenSecret(token->secret);
  record.tenant = spec.tenant;
  record.role = spec.role;
  record.display_name = spec.display_name;
  record.creator = creator;
  record.create_time = clock_->Now();
  absl::StatusOr<TokenRecord> stored = store_->Insert(record);
  if (!stored.ok()) return stored.status();
  return IssuedToken{*std::move(stored), token->Text()};
}

absl::StatusOr<IssuedToken> TokenService::Issue(const Principal& caller, const NewToken& spec) {
  if (caller.token_name == UnauthenticatedPrincipal().token_name) {
    return absl::FailedPreconditionError(kNoTokensWithoutAuthentication);
  }
  if (!caller.Can(Permission::kAdmin)) {
    return absl::PermissionDeniedError("only an admin token may issue tokens");
  }
  if (absl::Status s = CheckTenant("token.tenant", spec.tenant); !s.ok()) return s;
  if (absl::Status s = CheckDisplayName(spec.display_name); !s.ok()) return s;
  if (!caller.CanSeeTenant(spec.tenant)) return OutOfTenantScope(caller, spec.tenant);
  return IssueUnchecked(spec, caller.token_name);
}

absl::StatusOr<TokenPage> TokenService::List(const Principal& caller, const TokenFilter& filter,
                                             int64_t before_sequence, int page_size) {
  if (!caller.Can(Permission::kAdmin)) {
    return absl::PermissionDeniedError("only an admin token may list tokens");
  }
  if (page_size < 0 || page_size > kMaxTokenPageSize) {
    return Invalid("page_size",
                   absl::StrCat("must be between 0 and ", kMaxTokenPageSize, ", got ", page_size));
  }
  TokenFilter scoped = filter;
  if (!scoped.tenant.empty()) {
    if (absl::Status s = CheckTenant("tenant", scoped.tenant); !s.ok()) return s;
  }
  if (!caller.AllTenants()) {
    if (!scoped.tenant.empty() && scoped.tenant != caller.tenant) {
      return OutOfTenantScope(caller, scoped.tenant);
    }
    scoped.tenant = caller.tenant;
  }
  const int limit = page_size == 0 ? kDefaultTokenPageSize : page_size;
  absl::StatusOr<std::vector<TokenRecord>> records =
      store_->List(scoped, before_sequence, limit + 1);
  if (!records.ok()) return records.status();
  TokenPage page;
  if (static_cast<int>(records->size()) > limit) {
    records->resize(limit);
    page.next_before_sequence = records->back().sequence;
  }
  page.tokens = *std::move(records);
  return page;
}

absl::StatusOr<TokenRecord> TokenService::FindVisible(const Principal& caller,
                                                      const std::string& id) {
  absl::StatusOr<std::optional<TokenRecord>> record = store_->Find(id);
  if (!record.ok()) return record.status();
  if (!record->has_value() || !caller.CanSeeTenant((*record)->tenant)) return NotFound(id);
  return **record;
}

absl::StatusOr<TokenRecord> TokenService::Revoke(const Principal& caller, const std::string& id) {
  if (!caller.Can(Permission::kAdmin)) {
    return absl::PermissionDeniedError("only an admin token may revoke tokens");
  }
  absl::StatusOr<TokenRecord> visible = FindVisible(caller, id);
  if (!visible.ok()) return visible.status();
  if (visible->revoke_time.has_value()) return *visible;
  return store_->Revoke(id, clock_->Now());
}

absl::StatusOr<TokenRecord> TokenService::Describe(const Principal& caller) {
  absl::StatusOr<std::string> id = api::ParseTokenName(caller.token_name, "token");
  if (!id.ok()) {
    return absl::FailedPreconditionError(
        "this service does not require authentication: there is no calling token");
  }
  return FindVisible(caller, *id);
}

absl::StatusOr<Principal> TokenService::Authenticate(const BearerToken& token) {
  absl::StatusOr<std::optional<TokenRecord>> record = store_->Find(token.id);
  if (!record.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot check the token: ", record.status().message()));
  }
  // One message for unknown, wrong secret and revoked, so a prober learns nothing.
  const absl::Status refused = absl::UnauthenticatedError("the bearer token is not valid");
  if (!record->has_value()) return refused;
  const TokenRecord& stored = **record;
  if (!ConstantTimeEquals(stored.secret_hash, HashTokenSecret(token.secret))) return refused;
  if (stored.revoke_time.has_value()) return refused;
  // Anyone could have issued it: it never vouches for anybody.
  if (IssuedWithoutAuthentication(stored)) return refused;
  return PrincipalOf(stored);
}

absl::StatusOr<std::optional<IssuedToken>> TokenService::IssueBootstrapAdminIfNone() {
  absl::StatusOr<std::vector<TokenRecord>> admins =
      store_->List(TokenFilter{kAllTenants, false}, 0, kMaxActiveTokensPerTenant);
  if (!admins.ok()) return admins.status();
  for (const TokenRecord& record : *admins) {
    if (record.role == Role::kAdmin) return std::optional<IssuedToken>();
  }
  absl::StatusOr<IssuedToken> issued =
      IssueUnchecked(NewToken{kAllTenants, Role::kAdmin, "bootstrap-admin"}, "bootstrap");
  if (!issued.ok()) return issued.status();
  return std::optional<IssuedToken>(*std::move(issued));
}

}  // namespace preflight::auth

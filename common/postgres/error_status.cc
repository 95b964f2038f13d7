#include "common/postgres/error_status.h"

#include <pqxx/except>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace preflight {
namespace {

// Server messages end in a newline and may run long (they can quote a value): one line, capped.
std::string OneLine(absl::string_view message) {
  constexpr size_t kMax = 300;
  message = absl::StripAsciiWhitespace(message);
  const size_t newline = message.find('\n');
  if (newline != absl::string_view::npos) message = message.substr(0, newline);
  if (message.size() > kMax) return absl::StrCat(message.substr(0, kMax), "…");
  return std::string(message);
}

}  // namespace

absl::Status PostgresSqlStateToStatus(absl::string_view sqlstate, absl::string_view message,
                                      absl::string_view context) {
  const std::string text = absl::StrCat(context, ": ", OneLine(message));
  const absl::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") return absl::AlreadyExistsError(text);
  if (cls == "23") return absl::FailedPreconditionError(text);
  if (cls == "40") return absl::AbortedError(text);
  if (cls == "08" || cls == "57") return absl::UnavailableError(text);
  if (cls == "53") return absl::ResourceExhaustedError(text);
  if (sqlstate == "XX001" || sqlstate == "XX002") return absl::DataLossError(text);
  return absl::InternalError(text);
}

absl::Status PostgresExceptionToStatus(const std::exception& e, absl::string_view context) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return PostgresSqlStateToStatus(sql->sqlstate(), sql->what(), context);
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return absl::UnavailableError(
        absl::StrCat(context, ": lost the database connection: ", OneLine(e.what())));
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return absl::UnavailableError(absl::StrCat(
        context,
        ": the connection broke during commit; the outcome is unknown: ", OneLine(e.what())));
  }
  return absl::InternalError(absl::StrCat(context, ": ", OneLine(e.what())));
}

std::string RedactPostgresUrl(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == absl::string_view::npos || (slash != absl::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const size_t colon = url.find(':', start);
  if (colon == absl::string_view::npos || colon > at) return std::string(url);
  return absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
}

}  // namespace preflight

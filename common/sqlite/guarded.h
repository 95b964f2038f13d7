#pragma once

// Runs SQLiteCpp code so that no exception crosses a store's API: what it throws comes back as a
// status whose message starts with the operation's context.

#include <exception>
#include <type_traits>
#include <utility>

#include "SQLiteCpp/Exception.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite/error_status.h"

namespace preflight {
namespace sqlite_internal {

// absl::Status stays; absl::StatusOr<T> stays; any other T becomes absl::StatusOr<T>.
template <typename T>
struct Guarded {
  using type = absl::StatusOr<T>;
};
template <typename T>
struct Guarded<absl::StatusOr<T>> {
  using type = absl::StatusOr<T>;
};
template <>
struct Guarded<absl::Status> {
  using type = absl::Status;
};

// INTERNAL, "<context>: <what>": a non-SQLite failure (bad_alloc, a JSON error, ...).
absl::Status ExceptionToStatus(const std::exception& e, absl::string_view context);

}  // namespace sqlite_internal

// What SqliteGuarded returns for a body callable with `Args`.
template <typename Body, typename... Args>
using SqliteGuardedResult =
    typename sqlite_internal::Guarded<std::decay_t<std::invoke_result_t<Body, Args...>>>::type;

// Returns body(args...), or the status of the exception it threw: SQLite::Exception through
// SqliteErrorToStatus, any other std::exception as INTERNAL. `body` may return absl::Status,
// absl::StatusOr<T> or a plain T (then the result is absl::StatusOr<T>).
template <typename Body, typename... Args>
SqliteGuardedResult<Body, Args...> SqliteGuarded(absl::string_view context, Body&& body,
                                                 Args&&... args) {
  try {
    return std::forward<Body>(body)(std::forward<Args>(args)...);
  } catch (const SQLite::Exception& e) {
    return SqliteErrorToStatus(e, context);
  } catch (const std::exception& e) {
    return sqlite_internal::ExceptionToStatus(e, context);
  }
}

}  // namespace preflight

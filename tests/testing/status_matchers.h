#pragma once

// Assertions and gMock matchers on statuses, for absl::Status, absl::StatusOr<T> and
// grpc::Status alike (and anything else with grpc::Status's error_code()/error_message()). This
// header includes no gRPC header: domain tests use it without depending on gRPC.
//
//   EXPECT_STATUS(expr, INVALID_ARGUMENT, "launch.owner: too long");  // code, and a substring
//   ASSERT_OK(expr);  EXPECT_OK(expr);
//   EXPECT_SHORT_REFUSAL(expr, INVALID_ARGUMENT, "name");  // a short message naming the field
//   EXPECT_THAT(store->AppliedSequence(), IsOkAndHolds(7));
//   EXPECT_THAT(StatusOf(status), StatusIs(Code::NOT_FOUND, HasSubstr("launch")));
//   EXPECT_THAT(StatusMessage(parsed.status()), StartsWith("name: "));
//
// Codes are written by their gRPC names (INVALID_ARGUMENT, NOT_FOUND, ...): absl::StatusCode and
// grpc::StatusCode share the canonical values.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::testing {

// The canonical status codes under their gRPC names, with the values both libraries use.
enum class Code : int {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
};

// "INVALID_ARGUMENT" and so on.
inline std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}
inline std::string CodeName(Code code) { return CodeName(static_cast<int>(code)); }
inline void PrintTo(Code code, std::ostream* os) { *os << CodeName(code); }

// A status of either library reduced to what the assertions look at; prints as "CODE: message".
struct StatusView {
  int code = 0;
  std::string message;

  bool ok() const { return code == 0; }
  friend void PrintTo(const StatusView& status, std::ostream* os) {
    *os << CodeName(status.code);
    if (!status.message.empty()) *os << ": " << status.message;
  }
  friend std::ostream& operator<<(std::ostream& os, const StatusView& status) {
    PrintTo(status, &os);
    return os;
  }
};

inline StatusView StatusOf(const StatusView& status) { return status; }
inline StatusView StatusOf(const absl::Status& status) {
  return StatusView{static_cast<int>(status.code()), std::string(status.message())};
}
template <typename T>
StatusView StatusOf(const absl::StatusOr<T>& status_or) {
  return StatusOf(status_or.status());
}
// grpc::Status, without including gRPC.
template <typename S, typename = decltype(std::declval<const S&>().error_code()),
          typename = decltype(std::declval<const S&>().error_message())>
StatusView StatusOf(const S& status) {
  return StatusView{static_cast<int>(status.error_code()), std::string(status.error_message())};
}

// The status's message as a string (for absl::StatusOr, its status's).
template <typename S>
std::string StatusMessage(const S& status) {
  return StatusOf(status).message;
}

// OK, or a failure that says the code and the message.
template <typename S>
::testing::AssertionResult StatusOk(const S& status) {
  const StatusView view = StatusOf(status);
  if (view.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << view;
}

// ---- Matchers -----------------------------------------------------------------------------------

namespace status_internal {

class StatusIsMatcher {
 public:
  StatusIsMatcher(int code, ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename S>
  bool MatchAndExplain(const S& status, ::testing::MatchResultListener* listener) const {
    const StatusView view = StatusOf(status);
    if constexpr (!std::is_same_v<S, StatusView>) *listener << "which is " << view;
    if (view.code != code_) return false;
    ::testing::StringMatchResultListener inner;
    if (message_.MatchAndExplain(view.message, &inner)) return true;
    if (!inner.str().empty()) *listener << ", whose message " << inner.str();
    return false;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has code " << CodeName(code_) << " and a message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "has a code other than " << CodeName(code_) << " or a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  int code_;
  ::testing::Matcher<const std::string&> message_;
};

class IsOkMatcher {
 public:
  template <typename S>
  bool MatchAndExplain(const S& status, ::testing::MatchResultListener* listener) const {
    const StatusView view = StatusOf(status);
    if constexpr (!std::is_same_v<S, StatusView>) {
      if (!view.ok()) *listener << "which is " << view;
    }
    return view.ok();
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not OK"; }
};

}  // namespace status_internal

// Matches a status (either library's, or a StatusOr's) with `code` and a message that matches
// `message` (a string means equal to it; use HasSubstr for part of it).
template <typename MessageMatcher>
::testing::PolymorphicMatcher<status_internal::StatusIsMatcher> StatusIs(Code code,
                                                                         MessageMatcher message) {
  return ::testing::MakePolymorphicMatcher(status_internal::StatusIsMatcher(
      static_cast<int>(code), ::testing::SafeMatcherCast<const std::string&>(message)));
}
inline ::testing::PolymorphicMatcher<status_internal::StatusIsMatcher> StatusIs(Code code) {
  return StatusIs(code, ::testing::_);
}

inline ::testing::PolymorphicMatcher<status_internal::IsOkMatcher> IsOk() {
  return ::testing::MakePolymorphicMatcher(status_internal::IsOkMatcher());
}

// A StatusOr that is OK and whose value matches `matcher` (gMock 1.12 has none).
MATCHER_P(IsOkAndHolds, matcher, "") {
  if (!arg.ok()) {
    *result_listener << "status " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// A StatusOr<std::optional<T>> that is OK and empty.
MATCHER(IsOkAndAbsent, "") {
  if (!arg.ok()) {
    *result_listener << "status " << arg.status();
    return false;
  }
  return !arg->has_value();
}

// ---- Hostile input ------------------------------------------------------------------------------

// A value far over every field's limit: the size that made grpc-js clients hang and the CLI fail
// with "metadata size exceeds limit" when it came back whole in an error message.
inline constexpr size_t kHugeBytes = 70'000;
inline std::string Huge(char fill = 'x') { return std::string(kHugeBytes, fill); }

// Every refusal of a huge value stays well below gRPC's default metadata limits.
inline constexpr size_t kMaxRefusalBytes = 512;

// The refusal of a huge value: `code`, a message shorter than kMaxRefusalBytes, `field` named in
// it.
template <typename S>
::testing::AssertionResult IsShortRefusal(const S& status, Code code, absl::string_view field) {
  const StatusView view = StatusOf(status);
  if (view.code != static_cast<int>(code)) {
    return ::testing::AssertionFailure() << field << ": " << CodeName(view.code) << " instead of "
                                         << CodeName(code) << ": " << view.message.substr(0, 300);
  }
  if (view.message.size() >= kMaxRefusalBytes) {
    return ::testing::AssertionFailure() << field << ": a message of " << view.message.size()
                                         << " bytes (at most " << kMaxRefusalBytes - 1 << ")";
  }
  if (!absl::StrContains(view.message, field)) {
    return ::testing::AssertionFailure() << field << ": not named in \"" << view.message << "\"";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace preflight::testing

// Expects `expr` (a status of either library, or a StatusOr) to have the code named `code`
// (INVALID_ARGUMENT, ...) and a message containing `text`.
#define EXPECT_STATUS(expr, code, text)                                        \
  EXPECT_THAT(::preflight::testing::StatusOf(expr),                            \
              ::preflight::testing::StatusIs(::preflight::testing::Code::code, \
                                             ::testing::HasSubstr(text)))

#define ASSERT_OK(expr) ASSERT_TRUE(::preflight::testing::StatusOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::preflight::testing::StatusOk(expr))

// Expects the refusal of a huge value: `code`, a short message, `field` named (IsShortRefusal).
#define EXPECT_SHORT_REFUSAL(expr, code, field) \
  EXPECT_TRUE(::preflight::testing::IsShortRefusal((expr), ::preflight::testing::Code::code, field))

#pragma once

// Structured log lines for both services, on spdlog. Every line carries an RFC 3339 UTC
// timestamp, a level and the component that wrote it, then a message and key=value fields:
//
//   text: 2026-12-02T06:55:00.123Z INFO checklist-service: listening on 127.0.0.1:50051
//   json: {"time":"2026-12-02T06:55:00.123Z","level":"info","component":"checklist-service",
//          "msg":"listening on 127.0.0.1:50051"}
//
// Lines go to stderr. Until Configure() runs they are text at level info.

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <type_traits>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace preflight::logging {

enum class Level { kDebug, kInfo, kWarning, kError };
enum class Format { kText, kJson };

// "debug", "info", "warning" (or "warn"), "error".
absl::StatusOr<Level> ParseLevel(absl::string_view name);
// "text" or "json".
absl::StatusOr<Format> ParseFormat(absl::string_view name);
absl::string_view LevelName(Level level);

// One key=value of a line. Numbers and booleans stay unquoted in JSON.
struct Field {
  Field(absl::string_view field_key, absl::string_view field_value)
      : key(field_key), value(field_value) {}
  Field(absl::string_view field_key, const char* field_value)
      : key(field_key), value(field_value) {}
  Field(absl::string_view field_key, const std::string& field_value)
      : key(field_key), value(field_value) {}
  Field(absl::string_view field_key, bool field_value)
      : key(field_key), value(field_value ? "true" : "false"), literal(true) {}
  template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number> &&
                                                         !std::is_same_v<Number, bool>>>
  Field(absl::string_view field_key, Number field_value)
      : key(field_key), value(absl::StrCat(field_value)), literal(true) {}
  // Milliseconds with microsecond precision, e.g. duration_ms=1.234.
  static Field Millis(absl::string_view key, absl::Duration duration);

  absl::string_view key;
  std::string value;
  // Written as-is in JSON (a number or a boolean), not as a string.
  bool literal = false;
};

struct Options {
  Format format = Format::kText;
  Level level = Level::kInfo;
  // Lines are formatted and written by a background thread, so a handler never waits on stderr.
  // Flush() and Shutdown() drain it.
  bool async = true;
  // Tests: write here, synchronously, instead of stderr.
  std::ostream* output = nullptr;
};

// Replaces the process's logger. Call early in main (before threads log); tests may call it again.
void Configure(const Options& options);

bool Enabled(Level level);

// Writes one line. `component` names the writer ("checklist-service", "rpc", "subscriber", ...).
// Values are escaped: a line never spans lines, whatever the input.
void Log(Level level, absl::string_view component, absl::string_view message,
         std::initializer_list<Field> fields = {});

inline void Debug(absl::string_view component, absl::string_view message,
                  std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kDebug)) Log(Level::kDebug, component, message, fields);
}
inline void Info(absl::string_view component, absl::string_view message,
                 std::initializer_list<Field> fields = {}) {
  Log(Level::kInfo, component, message, fields);
}
inline void Warning(absl::string_view component, absl::string_view message,
                    std::initializer_list<Field> fields = {}) {
  Log(Level::kWarning, component, message, fields);
}
inline void Error(absl::string_view component, absl::string_view message,
                  std::initializer_list<Field> fields = {}) {
  Log(Level::kError, component, message, fields);
}

// Writes out every line logged so far.
void Flush();
// Flushes and stops the background thread; call last in main. Later lines are written
// synchronously.
void Shutdown();

}  // namespace preflight::logging

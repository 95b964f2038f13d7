#include "common/logging/log.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "spdlog/async.h"
#include "spdlog/async_logger.h"
#include "spdlog/formatter.h"
#include "spdlog/logger.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace preflight::logging {
namespace {

constexpr size_t kAsyncQueueLines = 8192;

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 when it is malformed.
size_t Utf8SequenceLength(absl::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  uint32_t code = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// Appends `s` with control characters escaped and malformed UTF-8 replaced by U+FFFD, so a
// value can neither break the line nor the JSON. `json` escapes quotes and backslashes as JSON
// does; otherwise only when `quote_special` (a quoted text value).
void AppendEscaped(std::string& out, absl::string_view s, bool json, bool quote_special) {
  while (!s.empty()) {
    const unsigned char c = static_cast<unsigned char>(s[0]);
    const size_t length = Utf8SequenceLength(s);
    if (length == 0) {
      out += json ? "\\ufffd" : "\xEF\xBF\xBD";
      s.remove_prefix(1);
      continue;
    }
    if (length > 1) {
      out.append(s.data(), length);
      s.remove_prefix(length);
      continue;
    }
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
      case '\\':
        if (json || quote_special) out.push_back('\\');
        out.push_back(static_cast<char>(c));
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          absl::StrAppend(&out, json ? "\\u00" : "\\x", absl::Hex(c, absl::kZeroPad2));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    s.remove_prefix(1);
  }
}

bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  AppendEscaped(out, s, /*json=*/true, /*quote_special=*/true);
  out.push_back('"');
}

// The part of a line after its time and level: rendered by Log, in the caller's thread, so the
// formatter below only adds what spdlog knows (time, level).
std::string RenderPayload(Format format, absl::string_view component, absl::string_view message,
                          std::initializer_list<Field> fields) {
  std::string out;
  out.reserve(64 + message.size());
  if (format == Format::kJson) {
    out += "\"component\":";
    AppendJsonString(out, component);
    out += ",\"msg\":";
    AppendJsonString(out, message);
    for (const Field& field : fields) {
      out.push_back(',');
      AppendJsonString(out, field.key);
      out.push_back(':');
      if (field.literal) {
        out += field.value;
      } else {
        AppendJsonString(out, field.value);
      }
    }
    return out;
  }
  AppendEscaped(out, component, /*json=*/false, /*quote_special=*/false);
  out += ": ";
  AppendEscaped(out, message, /*json=*/false, /*quote_special=*/false);
  for (const Field& field : fields) {
    out.push_back(' ');
    AppendEscaped(out, field.key, /*json=*/false, /*quote_special=*/false);
    out.push_back('=');
    if (!field.literal && NeedsQuotes(field.value)) {
      out.push_back('"');
      AppendEscaped(out, field.value, /*json=*/false, /*quote_special=*/true);
      out.push_back('"');
    } else {
      AppendEscaped(out, field.value, /*json=*/false, /*quote_special=*/false);
    }
  }
  return out;
}

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarning:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

absl::string_view TextLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "DEBUG";
    case spdlog::level::info:
      return "INFO";
    case spdlog::level::warn:
      return "WARNING";
    default:
      return "ERROR";
  }
}

absl::string_view JsonLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warning";
    default:
      return "error";
  }
}

// Adds the RFC 3339 time (UTC, milliseconds) and the level around the rendered payload.
class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(Format format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string time =
        absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time), absl::UTCTimeZone());
    std::string line;
    line.reserve(time.size() + msg.payload.size() + 40);
    if (format_ == Format::kJson) {
      absl::StrAppend(&line, "{\"time\":\"", time, "\",\"level\":\"", JsonLevel(msg.level), "\",",
                      absl::string_view(msg.payload.data(), msg.payload.size()), "}\n");
    } else {
      absl::StrAppend(&line, time, " ", TextLevel(msg.level), " ",
                      absl::string_view(msg.payload.data(), msg.payload.size()), "\n");
    }
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  const Format format_;
};

struct Logger {
  Format format = Format::kText;
  std::shared_ptr<spdlog::details::thread_pool> pool;  // null when synchronous
  std::shared_ptr<spdlog::logger> logger;
};

std::shared_ptr<Logger> MakeLogger(const Options& options) {
  auto made = std::make_shared<Logger>();
  made->format = options.format;
  spdlog::sink_ptr sink;
  if (options.output != nullptr) {
    sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*options.output, /*force_flush=*/true);
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  sink->set_formatter(std::make_unique<LineFormatter>(options.format));
  if (options.async && options.output == nullptr) {
    made->pool = std::make_shared<spdlog::details::thread_pool>(kAsyncQueueLines, 1);
    // Block rather than drop: an RPC log line is never silently lost.
    made->logger = std::make_shared<spdlog::async_logger>("preflight", sink, made->pool,
                                                          spdlog::async_overflow_policy::block);
  } else {
    made->logger = std::make_shared<spdlog::logger>("preflight", sink);
  }
  made->logger->set_level(ToSpdlog(options.level));
  made->logger->flush_on(spdlog::level::err);
  return made;
}

absl::Mutex& ConfigMutex() {
  static absl::Mutex mu(absl::kConstInit);
  return mu;
}

// The current logger. Replaced ones stay alive until Shutdown, so a thread still logging to one
// while Configure runs is safe.
std::atomic<Logger*> current{nullptr};
std::atomic<int> current_level{static_cast<int>(Level::kInfo)};

std::vector<std::shared_ptr<Logger>>& AllLoggers() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ConfigMutex()) {
  static auto* loggers = new std::vector<std::shared_ptr<Logger>>();
  return *loggers;
}

void Install(const Options& options) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ConfigMutex()) {
  std::shared_ptr<Logger> made = MakeLogger(options);
  AllLoggers().push_back(made);
  current_level.store(static_cast<int>(options.level));
  current.store(made.get());
}

Logger* Current() {
  Logger* logger = current.load(std::memory_order_acquire);
  if (logger != nullptr) return logger;
  absl::MutexLock lock(&ConfigMutex());
  if (current.load() == nullptr) {
    Options defaults;
    defaults.async = false;
    Install(defaults);
  }
  return current.load();
}

}  // namespace

absl::StatusOr<Level> ParseLevel(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "debug") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warning" || lower == "warn") return Level::kWarning;
  if (lower == "error") return Level::kError;
  return absl::InvalidArgumentError("log level must be one of debug, info, warning, error");
}

absl::StatusOr<Format> ParseFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "text") return Format::kText;
  if (lower == "json") return Format::kJson;
  return absl::InvalidArgumentError("log format must be text or json");
}

absl::string_view LevelName(Level level) { return JsonLevel(ToSpdlog(level)); }

Field Field::Millis(absl::string_view key, absl::Duration duration) {
  Field field(key, absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(duration)));
  field.literal = true;
  return field;
}

void Configure(const Options& options) {
  absl::MutexLock lock(&ConfigMutex());
  Install(options);
}

bool Enabled(Level level) { return static_cast<int>(level) >= current_level.load(); }

void Log(Level level, absl::string_view component, absl::string_view message,
         std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  Logger* logger = Current();
  const std::string payload = RenderPayload(logger->format, component, message, fields);
  logger->logger->log(ToSpdlog(level), spdlog::string_view_t(payload.data(), payload.size()));
}

void Shutdown() {
  absl::MutexLock lock(&ConfigMutex());
  Logger* logger = current.load();
  if (logger == nullptr) return;
  Options sync;
  sync.format = logger->format;
  sync.level = static_cast<Level>(current_level.load());
  sync.async = false;
  Install(sync);
  // Destroying a pool joins its thread, which writes out the queue first. The loggers stay: a
  // thread still inside one gets spdlog's "thread pool doesn't exist" error, not a dangling one.
  for (std::shared_ptr<Logger>& old : AllLoggers()) {
    if (old.get() != current.load()) old->pool.reset();
  }
}

}  // namespace preflight::logging

#pragma once

// Helpers shared by the fuzz targets: a scratch folder that lives as long as the fuzzing process,
// the built-in data, and splitting the input into a selector byte and the rest.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"

namespace preflight::fuzz {

// A fresh folder under $TMPDIR (or /tmp), removed when the process exits normally. The fuzz
// targets keep their databases in it for the whole run.
inline std::string ProcessTempDir() {
  static const std::string* const dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/preflight-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    auto* path = new std::string(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(*dir, ignored);
    });
    return path;
  }();
  return *dir;
}

// The folder with the repository's templates, calendar and reminder policy.
inline std::string BuiltinDataDir() { return PREFLIGHT_BUILTIN_DATA_DIR; }

// The first byte picks among `choices` alternatives; the rest is the payload.
struct Selected {
  int choice = 0;
  absl::string_view payload;
};

inline Selected Select(const uint8_t* data, size_t size, int choices) {
  if (size == 0) return {0, absl::string_view()};
  return {data[0] % choices, absl::string_view(reinterpret_cast<const char*>(data + 1), size - 1)};
}

// Hostile requests make protobuf log every string field with invalid UTF-8 it refuses; at
// thousands of inputs a second that logging is most of the run. The parse result says enough.
inline void SilenceProtobufLogs() {
  static const bool silenced = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)silenced;
}

}  // namespace preflight::fuzz

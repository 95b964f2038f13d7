#pragma once

// Writing strings into YAML so that every reader reads them back as those strings. yaml-cpp's
// emitter writes "0123", "true", "yes" or "2026-05-01" unquoted, which YAML 1.1 readers (PyYAML,
// Go's yaml.v2) load as an int, a bool or a date; the config file and `-o yaml` both quote them.

#include <string>

#include "absl/strings/string_view.h"
#include "yaml-cpp/emitter.h"

namespace preflight::cli {

// True when `text` written unquoted could be read as something other than a string by a YAML
// 1.1 or 1.2 reader: empty, null, a boolean, a number, a date or time, a merge key. Errs on the
// side of quoting (".config" counts).
bool PlainYamlIsAmbiguous(absl::string_view text);

// Writes `text` as a string scalar (a key or a value): quoted when PlainYamlIsAmbiguous, else as
// yaml-cpp chooses (plain when that is safe, double-quoted with escapes for newlines and control
// characters).
void EmitYamlString(YAML::Emitter& out, const std::string& text);

}  // namespace preflight::cli

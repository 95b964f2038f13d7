#pragma once

#include <string>

#include "absl/status/status.h"
#include "notifier-service/engine/notifier_engine.h"

namespace preflight::notifier {

// Reads a text-format preflight.v1.RecipientsFile and creates each recipient, or updates it when
// it differs from the stored one. Errors name the file (and line, for syntax errors) and the
// recipient.
absl::Status ApplyRecipientsFile(const std::string& path, NotifierEngine& engine);

}  // namespace preflight::notifier

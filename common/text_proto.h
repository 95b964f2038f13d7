#pragma once

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace preflight {

// Reads `path` and parses it as protobuf text format into `message`. Syntax and schema errors come
// back as INVALID_ARGUMENT "PATH:LINE:COLUMN: problem"; an unreadable file as NOT_FOUND or
// PERMISSION_DENIED naming the path. When `info` is given it receives field locations, so callers
// can name the line of a semantic error too.
absl::Status ParseTextProtoFile(const std::string& path, google::protobuf::Message* message,
                                google::protobuf::TextFormat::ParseInfoTree* info = nullptr);

// Same, for text already in memory; `source_name` stands in for the path in messages.
absl::Status ParseTextProto(const std::string& text, const std::string& source_name,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* info = nullptr);

// 1-based line of `field` (index `index` for repeated fields) in `info`, or 0 when unknown.
int LineOf(const google::protobuf::TextFormat::ParseInfoTree& info,
           const google::protobuf::Message& message, const std::string& field, int index = -1);

}  // namespace preflight

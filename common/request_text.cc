#include "common/request_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/error_text.h"
#include "google/protobuf/descriptor.h"

namespace preflight {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsMultiline(const FieldDescriptor& field) {
  for (const char* name : kMultilineTextFields) {
    if (field.full_name() == name) return true;
  }
  return false;
}

absl::Status CheckString(const std::string& path, absl::string_view value, bool multiline) {
  const std::string problem = TextProblem(value, multiline);
  if (problem.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", problem));
}

absl::Status CheckMessage(const Message& message, const std::string& prefix) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // Only fields that are set: an unset string has nothing to check.
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path =
        prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      const bool multiline = IsMultiline(*field);
      std::string scratch;
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          const std::string& value =
              reflection->GetRepeatedStringReference(message, field, i, &scratch);
          if (absl::Status s = CheckString(absl::StrCat(path, "[", i, "]"), value, multiline);
              !s.ok()) {
            return s;
          }
        }
      } else {
        const std::string& value = reflection->GetStringReference(message, field, &scratch);
        if (absl::Status s = CheckString(path, value, multiline); !s.ok()) return s;
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          if (absl::Status s = CheckMessage(reflection->GetRepeatedMessage(message, field, i),
                                            absl::StrCat(path, "[", i, "]"));
              !s.ok()) {
            return s;
          }
        }
      } else {
        if (absl::Status s = CheckMessage(reflection->GetMessage(message, field), path); !s.ok()) {
          return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string TextProblem(absl::string_view value, bool multiline) {
  size_t offset = 0;
  while (offset < value.size()) {
    const absl::string_view rest = value.substr(offset);
    const size_t length = Utf8SequenceLength(rest);
    if (length == 0) return absl::StrCat("is not valid UTF-8 (at byte ", offset, ")");
    const unsigned char lead = static_cast<unsigned char>(rest[0]);
    const bool allowed_whitespace = multiline && (lead == '\n' || lead == '\t');
    if (length == 1 && (lead < 0x20 || lead == 0x7f) && !allowed_whitespace) {
      return absl::StrFormat(
          "contains control character 0x%02x at byte %d (%s)", lead, offset,
          multiline ? "only tab and newline are allowed" : "not allowed in a one-line field");
    }
    if (length == 2 && lead == 0xc2 && static_cast<unsigned char>(rest[1]) < 0xa0) {
      return absl::StrFormat("contains control character U+%04X at byte %d",
                             static_cast<unsigned char>(rest[1]), offset);
    }
    offset += length;
  }
  return std::string();
}

absl::Status CheckRequestText(const google::protobuf::Message& message) {
  return CheckMessage(message, "");
}

}  // namespace preflight

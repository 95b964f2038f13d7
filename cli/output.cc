#include "cli/output.h"

#include <algorithm>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/json_path.h"
#include "cli/yaml_scalar.h"
#include "common/error_text.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace preflight::cli {
namespace {

namespace pb = google::protobuf;

// protobuf's JSON printer, compact: its add_whitespace indents by one space in 3.21 (and
// differently in later versions), so Indent lays the JSON out instead.
absl::StatusOr<std::string> CompactJson(const pb::Message& message) {
  std::string json;
  const auto status = pb::util::MessageToJsonString(message, &json, pb::util::JsonPrintOptions());
  if (!status.ok()) {
    return absl::Status(
        static_cast<absl::StatusCode>(status.code()),
        absl::StrCat("cannot print JSON: ",
                     absl::string_view(status.message().data(), status.message().size())));
  }
  return json;
}

// Compact JSON laid out as grpcurl and buf curl print it: one member or element a line, two
// spaces an indentation level, `"key": value`, empty objects and arrays kept as {} and [].
std::string Indent(absl::string_view json) {
  std::string out;
  int depth = 0;
  const auto new_line = [&] {
    out += '\n';
    out.append(2 * depth, ' ');
  };
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
          out += json[++i];
        } else {
          ++depth;
          new_line();
        }
        break;
      case '}':
      case ']':
        --depth;
        new_line();
        out += c;
        break;
      case ',':
        out += c;
        new_line();
        break;
      case ':':
        out += ": ";
        break;
      default:
        if (!absl::ascii_isspace(static_cast<unsigned char>(c))) out += c;
    }
  }
  out += '\n';
  return out;
}

// A JSON number as YAML. Floats are written so that YAML 1.1 readers also see a float:
// their grammar wants a dot, so "1e+30" becomes "1.0e+30".
std::string NumberText(const nlohmann::ordered_json& number) {
  std::string text = number.dump();
  if (number.is_number_float()) {
    const size_t exponent = text.find_first_of("eE");
    if (exponent != std::string::npos && text.find('.') == std::string::npos) {
      text.insert(exponent, ".0");
    }
  }
  return text;
}

void EmitJsonAsYaml(const nlohmann::ordered_json& value, YAML::Emitter& out) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object:
      // Empty containers as {} and [] on the key's line.
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, member] : value.items()) {
        out << YAML::Key;
        EmitYamlString(out, key);
        out << YAML::Value;
        EmitJsonAsYaml(member, out);
      }
      out << YAML::EndMap;
      break;
    case nlohmann::ordered_json::value_t::array:
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& element : value) EmitJsonAsYaml(element, out);
      out << YAML::EndSeq;
      break;
    case nlohmann::ordered_json::value_t::string:
      EmitYamlString(out, value.get_ref<const std::string&>());
      break;
    case nlohmann::ordered_json::value_t::boolean:
      out << value.get<bool>();
      break;
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
    case nlohmann::ordered_json::value_t::number_float:
      // Plain: EmitYamlString would quote it.
      out << NumberText(value);
      break;
    default:
      out << YAML::Null;
  }
}

// The message's singular string field `name`, or nullptr.
const pb::FieldDescriptor* NameField(const pb::Descriptor& type) {
  const pb::FieldDescriptor* field = type.FindFieldByName("name");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
    return nullptr;
  }
  return field;
}

void AppendName(const pb::Message& message, std::string& out) {
  const std::string name =
      message.GetReflection()->GetString(message, NameField(*message.GetDescriptor()));
  if (!name.empty()) absl::StrAppend(&out, name, "\n");
}

}  // namespace

const std::vector<absl::string_view>& OutputFormatNames() {
  static const auto* const names = new std::vector<absl::string_view>{
      "table", "wide", "json", "yaml", "name", "jsonpath", "custom-columns"};
  return *names;
}

absl::string_view OutputFormatName(OutputFormat format) {
  return OutputFormatNames()[static_cast<size_t>(format)];
}

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text, std::string* argument) {
  const size_t equals = text.find('=');
  const absl::string_view name = text.substr(0, equals);
  const absl::string_view value =
      equals == absl::string_view::npos ? absl::string_view() : text.substr(equals + 1);
  const std::vector<absl::string_view>& names = OutputFormatNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (!absl::EqualsIgnoreCase(name, names[i])) continue;
    const auto format = static_cast<OutputFormat>(i);
    const bool templated =
        format == OutputFormat::kJsonPath || format == OutputFormat::kCustomColumns;
    if (templated && value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("-o ", names[i], " needs its template: -o ", names[i],
                       format == OutputFormat::kJsonPath ? "='{.name}'"
                                                         : "=NAME:.name,TARGET:.targetLaunchDate"));
    }
    if (!templated && equals != absl::string_view::npos) break;
    if (argument != nullptr) *argument = std::string(value);
    return format;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("-o: unknown output format ", QuoteForError(text),
                   " (table, wide, json, yaml, name, jsonpath=..., custom-columns=...)"));
}

absl::StatusOr<std::string> ToJson(const pb::Message& message) {
  absl::StatusOr<std::string> json = CompactJson(message);
  if (!json.ok()) return json.status();
  return Indent(*json);
}

absl::StatusOr<std::string> ToYaml(const pb::Message& message) {
  absl::StatusOr<std::string> json = CompactJson(message);
  if (!json.ok()) return json.status();
  // An ordered parse: protobuf.Value's Struct would lose the field order, and yaml-cpp reads
  // neither every JSON layout nor surrogate pairs.
  nlohmann::ordered_json value;
  try {
    value = nlohmann::ordered_json::parse(*json);
  } catch (const nlohmann::ordered_json::exception& e) {
    return absl::InternalError(absl::StrCat("cannot read protobuf's JSON: ", e.what()));
  }
  YAML::Emitter out;
  EmitJsonAsYaml(value, out);
  if (!out.good())
    return absl::InternalError(absl::StrCat("cannot print YAML: ", out.GetLastError()));
  return absl::StrCat(out.c_str(), "\n");
}

absl::StatusOr<std::string> ResourceNames(const pb::Message& message) {
  const pb::Descriptor& type = *message.GetDescriptor();
  std::string out;
  if (NameField(type) != nullptr) {
    AppendName(message, out);
    return out;
  }
  // In field number order, as in the JSON.
  std::vector<const pb::FieldDescriptor*> named;
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor* field = type.field(i);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_map() &&
        NameField(*field->message_type()) != nullptr) {
      named.push_back(field);
    }
  }
  std::sort(named.begin(), named.end(),
            [](const auto* a, const auto* b) { return a->number() < b->number(); });
  const pb::Reflection& reflection = *message.GetReflection();
  // Lists first: ListDeliveriesResponse names its deliveries, not some singular field beside.
  bool any_list = false;
  for (const pb::FieldDescriptor* field : named) {
    if (!field->is_repeated()) continue;
    any_list = true;
    for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
      AppendName(reflection.GetRepeatedMessage(message, field, i), out);
    }
  }
  if (any_list) return out;
  for (const pb::FieldDescriptor* field : named) {
    if (reflection.HasField(message, field)) AppendName(reflection.GetMessage(message, field), out);
  }
  if (named.empty()) {
    return absl::FailedPreconditionError(
        "-o name: this answer has no resource names (use -o json or -o yaml)");
  }
  return out;
}

namespace {

absl::StatusOr<nlohmann::ordered_json> OrderedJson(const pb::Message& message) {
  absl::StatusOr<std::string> json = CompactJson(message);
  if (!json.ok()) return json.status();
  try {
    return nlohmann::ordered_json::parse(*json);
  } catch (const nlohmann::ordered_json::exception& e) {
    return absl::InternalError(absl::StrCat("cannot read protobuf's JSON: ", e.what()));
  }
}

}  // namespace

absl::StatusOr<std::string> ToJsonPath(const pb::Message& message,
                                       absl::string_view template_text) {
  absl::StatusOr<nlohmann::ordered_json> json = OrderedJson(message);
  if (!json.ok()) return json.status();
  absl::StatusOr<std::string> text = RenderJsonPath(template_text, *json);
  if (!text.ok()) return text.status();
  if (!text->empty() && text->back() != '\n') *text += '\n';
  return text;
}

absl::StatusOr<std::vector<std::vector<std::string>>> ToCustomColumns(const pb::Message& message,
                                                                      absl::string_view spec) {
  absl::StatusOr<nlohmann::ordered_json> json = OrderedJson(message);
  if (!json.ok()) return json.status();
  // The list is the first repeated message field (ListLaunchesResponse.launches), by number.
  const pb::Descriptor& type = *message.GetDescriptor();
  const pb::FieldDescriptor* list = nullptr;
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor* field = type.field(i);
    if (field->is_repeated() && !field->is_map() &&
        field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE &&
        (list == nullptr || field->number() < list->number())) {
      list = field;
    }
  }
  // A message of one resource (a Launch with its items) is one row, not a row per item.
  if (NameField(type) != nullptr) list = nullptr;
  return CustomColumnRows(spec, *json, list == nullptr ? "" : list->json_name());
}

}  // namespace preflight::cli

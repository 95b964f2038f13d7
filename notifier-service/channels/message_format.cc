#include "notifier-service/channels/message_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace preflight::notifier {

std::string ComposePlainText(absl::string_view subject, absl::string_view body) {
  if (subject.empty()) return std::string(body);
  if (body.empty()) return std::string(subject);
  return absl::StrCat(subject, "\n", body);
}

std::string ComposeMarkdown(absl::string_view subject, absl::string_view markdown,
                            absl::string_view bold) {
  if (subject.empty()) return std::string(markdown);
  if (markdown.empty()) return absl::StrCat(bold, subject, bold);
  return absl::StrCat(bold, subject, bold, "\n\n", markdown);
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

std::string AppendQuery(absl::string_view url, absl::string_view query) {
  // A fragment never reaches the server; keep the query in front of it anyway.
  const size_t hash = url.find('#');
  const absl::string_view base = url.substr(0, hash);
  const absl::string_view fragment =
      hash == absl::string_view::npos ? absl::string_view() : url.substr(hash);
  absl::string_view joiner = "?";
  if (base.find('?') != absl::string_view::npos) {
    joiner = (base.back() == '?' || base.back() == '&') ? "" : "&";
  }
  return absl::StrCat(base, joiner, query, fragment);
}

std::string SanitizeHeaderValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) out.push_back(c);
  }
  return out;
}

std::string UnixSecondsText(absl::Time time) { return absl::StrCat(absl::ToUnixSeconds(time)); }

std::string UnixMillisText(absl::Time time) { return absl::StrCat(absl::ToUnixMillis(time)); }

}  // namespace preflight::notifier

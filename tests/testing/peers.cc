#include "tests/testing/peers.h"

#include <curl/curl.h>
#include <signal.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http_client.h"

namespace preflight::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

// A control call to a peer: plain libcurl, independent of the code under test.
absl::StatusOr<HttpAnswer> ControlCall(const std::string& method, const std::string& url,
                                       const std::string& body, const std::string& ca_file) {
  HttpExchange exchange;
  exchange.method = method;
  exchange.url = url;
  exchange.ca_file = ca_file;
  if (method == "POST") {
    exchange.body = body;
    exchange.headers = {"Content-Type: application/json"};
  }
  absl::StatusOr<HttpAnswer> answer = HttpCall(exchange);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return absl::InternalError(
        absl::StrCat(method, " ", url, ": HTTP ", answer->status, " ", answer->body));
  }
  return answer;
}

// Starts a peer script and waits for its "listening on PORT" line.
absl::StatusOr<std::pair<Subprocess, int>> StartPeer(const std::vector<std::string>& argv) {
  absl::StatusOr<Subprocess> process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  absl::StatusOr<std::string> line = process->WaitForLine("listening on ", kStartTimeout);
  if (!line.ok()) {
    return absl::Status(line.status().code(),
                        absl::StrCat(argv[1], " did not start: ", line.status().message(), "\n",
                                     process->output()));
  }
  const size_t at = line->find("listening on ");
  int port = 0;
  if (!absl::SimpleAtoi(
          absl::StripAsciiWhitespace(absl::string_view(*line).substr(at + strlen("listening on "))),
          &port) ||
      port <= 0) {
    return absl::InternalError(absl::StrCat("bad port line from ", argv[1], ": ", *line));
  }
  return std::make_pair(std::move(*process), port);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::optional<std::string> FindHeader(
    const std::vector<std::pair<std::string, std::string>>& headers, absl::string_view name) {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_toupper(static_cast<unsigned char>(c));
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Quoted-printable (RFC 2045) or, for encoded-words, the "Q" variant where '_' is a space.
absl::StatusOr<std::string> DecodeQuotedPrintable(absl::string_view text, bool q_encoding) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_' && q_encoding) {
      out.push_back(' ');
    } else if (c == '=') {
      if (i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == '\n')) {
        // Soft line break.
        i += (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n') ? 2 : 1;
        continue;
      }
      if (i + 2 >= text.size() || HexValue(text[i + 1]) < 0 || HexValue(text[i + 2]) < 0) {
        return absl::InvalidArgumentError("bad quoted-printable escape");
      }
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string PeerScriptPath(absl::string_view name) {
  return absl::StrCat(PREFLIGHT_SOURCE_DIR, "/tests/peers/", name);
}

// ---- HttpReceiver ------------------------------------------------------------------------------

std::optional<std::string> RecordedRequest::Header(absl::string_view name) const {
  return FindHeader(headers, name);
}

std::string RecordedRequest::PathWithoutQuery() const { return path.substr(0, path.find('?')); }

std::optional<std::string> RecordedRequest::QueryParameter(absl::string_view name) const {
  const size_t question = path.find('?');
  if (question == std::string::npos) return std::nullopt;
  for (absl::string_view pair : absl::StrSplit(absl::string_view(path).substr(question + 1), '&')) {
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == absl::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<HttpReceiver>> HttpReceiver::Start(
    const std::optional<CertFiles>& tls) {
  std::vector<std::string> argv = {kPeerPython, PeerScriptPath("http_receiver.py"), "--port", "0"};
  if (tls.has_value()) argv.insert(argv.end(), {"--cert", tls->cert_path, "--key", tls->key_path});
  absl::StatusOr<std::pair<Subprocess, int>> started = StartPeer(argv);
  if (!started.ok()) return started.status();
  std::unique_ptr<HttpReceiver> receiver(
      new HttpReceiver(std::move(started->first), started->second, tls.has_value()));
  if (tls.has_value()) receiver->ca_file_ = tls->cert_path;
  return receiver;
}

HttpReceiver::~HttpReceiver() { (void)process_.Stop(SIGTERM, absl::Seconds(10)); }

std::string HttpReceiver::Url(absl::string_view path) const {
  return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", port_, path);
}

absl::Status HttpReceiver::Script(absl::string_view path_prefix,
                                  const std::vector<ScriptedResponse>& responses) {
  nlohmann::json list = nlohmann::json::array();
  for (const ScriptedResponse& response : responses) {
    nlohmann::json entry = {{"status", response.status}};
    if (!response.headers.empty()) {
      nlohmann::json headers = nlohmann::json::object();
      for (const auto& [name, value] : response.headers) headers[name] = value;
      entry["headers"] = std::move(headers);
    }
    if (response.body.has_value()) entry["body"] = *response.body;
    if (response.hang > absl::ZeroDuration()) {
      entry["hang_seconds"] = absl::ToDoubleSeconds(response.hang);
    }
    if (response.close) entry["close"] = true;
    list.push_back(std::move(entry));
  }
  const nlohmann::json spec = {{"path_prefix", std::string(path_prefix)}, {"responses", list}};
  return ControlCall("POST", Url("/_script"), spec.dump(), ca_file_).status();
}

absl::StatusOr<std::vector<RecordedRequest>> HttpReceiver::Requests(
    absl::string_view path_prefix) const {
  char* escaped =
      curl_easy_escape(nullptr, path_prefix.data(), static_cast<int>(path_prefix.size()));
  const std::string query = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  absl::StatusOr<HttpAnswer> answer =
      ControlCall("GET", Url(absl::StrCat("/_requests?path_prefix=", query)), "", ca_file_);
  if (!answer.ok()) return answer.status();
  const nlohmann::json list = nlohmann::json::parse(answer->body, nullptr, false);
  if (!list.is_array()) return absl::InternalError("receiver answered no JSON list");
  std::vector<RecordedRequest> requests;
  for (const nlohmann::json& item : list) {
    RecordedRequest request;
    request.method = item.value("method", "");
    request.path = item.value("path", "");
    request.body = item.value("body", "");
    request.received_at = item.value("received_at", 0.0);
    if (item.contains("idempotency_key") && item["idempotency_key"].is_string()) {
      request.idempotency_key = item["idempotency_key"].get<std::string>();
    }
    for (const nlohmann::json& header : item.value("headers", nlohmann::json::array())) {
      request.headers.emplace_back(header.at(0).get<std::string>(),
                                   header.at(1).get<std::string>());
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

absl::Status HttpReceiver::Reset() {
  return ControlCall("POST", Url("/_reset"), "{}", ca_file_).status();
}

// ---- Certificates
// --------------------------------------------------------------------------------

absl::StatusOr<CertFiles> MakeSelfSignedCert(const std::string& dir) {
  CertFiles files{dir + "/cert.pem", dir + "/key.pem"};
  absl::StatusOr<CommandResult> result =
      RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", files.key_path, "-out",
                  files.cert_path, "-days", "2", "-subj", "/CN=localhost", "-addext",
                  "subjectAltName=IP:127.0.0.1,DNS:localhost"},
                 absl::Seconds(30));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat("openssl failed: ", result->output));
  }
  return files;
}

// ---- SmtpServer
// ----------------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<SmtpServer>> SmtpServer::Start(SmtpServerOptions options) {
  if (options.mail_dir.empty()) return absl::InvalidArgumentError("mail_dir is required");
  std::vector<std::string> argv = {
      kPeerPython, PeerScriptPath("smtp_server.py"), "--port", "0", "--maildir", options.mail_dir};
  if (options.tls.has_value()) {
    argv.insert(argv.end(), {"--cert", options.tls->cert_path, "--key", options.tls->key_path});
  }
  if (options.require_starttls) argv.push_back("--require-starttls");
  if (!options.user.empty()) {
    argv.insert(argv.end(), {"--user", options.user, "--password", options.password});
  }
  absl::StatusOr<std::pair<Subprocess, int>> started = StartPeer(argv);
  if (!started.ok()) return started.status();
  return std::unique_ptr<SmtpServer>(
      new SmtpServer(std::move(started->first), started->second, options.mail_dir));
}

SmtpServer::~SmtpServer() { (void)process_.Stop(SIGTERM, absl::Seconds(10)); }

std::string SmtpServer::Url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

absl::StatusOr<std::vector<ReceivedEmail>> SmtpServer::Emails() const {
  std::vector<std::string> metas;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(mail_dir_, error)) {
    if (entry.path().extension() == ".json") metas.push_back(entry.path().string());
  }
  if (error) return absl::InternalError(absl::StrCat(mail_dir_, ": ", error.message()));
  std::sort(metas.begin(), metas.end());
  std::vector<ReceivedEmail> emails;
  for (const std::string& path : metas) {
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    const nlohmann::json meta = nlohmann::json::parse(*text, nullptr, false);
    if (!meta.is_object()) return absl::InternalError(absl::StrCat("bad JSON in ", path));
    ReceivedEmail email;
    email.mail_from = meta.value("mail_from", "");
    for (const nlohmann::json& rcpt : meta.value("rcpt_tos", nlohmann::json::array())) {
      email.rcpt_tos.push_back(rcpt.get<std::string>());
    }
    if (meta.contains("login") && meta["login"].is_string()) {
      email.login = meta["login"].get<std::string>();
    }
    email.tls = meta.value("tls", false);
    absl::StatusOr<std::string> raw = ReadFile(mail_dir_ + "/" + meta.value("eml", ""));
    if (!raw.ok()) return raw.status();
    email.raw = std::move(*raw);
    emails.push_back(std::move(email));
  }
  return emails;
}

// ---- Parsing received mail ---------------------------------------------------------------------

std::optional<std::string> ParsedEmail::Header(absl::string_view name) const {
  return FindHeader(headers, name);
}

absl::StatusOr<ParsedEmail> ParseEmail(absl::string_view raw) {
  size_t split = raw.find("\r\n\r\n");
  size_t separator = 4;
  if (split == absl::string_view::npos) {
    split = raw.find("\n\n");
    separator = 2;
  }
  if (split == absl::string_view::npos) return absl::InvalidArgumentError("no header/body split");
  ParsedEmail email;
  for (absl::string_view line : absl::StrSplit(raw.substr(0, split), '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      // Folded: unfolding removes only the line break (RFC 5322 section 2.2.3).
      if (email.headers.empty()) return absl::InvalidArgumentError("folded first header");
      absl::StrAppend(&email.headers.back().second, line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad header line: ", line));
    }
    email.headers.emplace_back(
        std::string(line.substr(0, colon)),
        std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1))));
  }
  const absl::string_view body = raw.substr(split + separator);
  const std::string encoding =
      absl::AsciiStrToLower(email.Header("Content-Transfer-Encoding").value_or(""));
  if (encoding == "base64") {
    std::string compact;
    for (const char c : body) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) compact.push_back(c);
    }
    if (!absl::Base64Unescape(compact, &email.body)) {
      return absl::InvalidArgumentError("bad base64 body");
    }
  } else if (encoding == "quoted-printable") {
    absl::StatusOr<std::string> decoded = DecodeQuotedPrintable(body, /*q_encoding=*/false);
    if (!decoded.ok()) return decoded.status();
    email.body = std::move(*decoded);
  } else {
    email.body = std::string(body);
  }
  return email;
}

absl::StatusOr<std::string> DecodeEncodedWords(absl::string_view value) {
  std::string out;
  std::string pending_space;  // whitespace after an encoded-word, kept unless another follows
  bool after_word = false;
  size_t i = 0;
  while (i < value.size()) {
    if (absl::StartsWith(value.substr(i), "=?")) {
      // =?charset?encoding?text?=
      const size_t q1 = value.find('?', i + 2);
      const size_t q2 = q1 == absl::string_view::npos ? q1 : value.find('?', q1 + 1);
      const size_t end = q2 == absl::string_view::npos ? q2 : value.find("?=", q2 + 1);
      if (end != absl::string_view::npos) {
        const char encoding = absl::ascii_toupper(static_cast<unsigned char>(value[q1 + 1]));
        const absl::string_view text = value.substr(q2 + 1, end - q2 - 1);
        std::string decoded;
        if (encoding == 'B') {
          if (!absl::Base64Unescape(text, &decoded)) {
            return absl::InvalidArgumentError("bad base64 in encoded-word");
          }
        } else if (encoding == 'Q') {
          absl::StatusOr<std::string> q = DecodeQuotedPrintable(text, /*q_encoding=*/true);
          if (!q.ok()) return q.status();
          decoded = std::move(*q);
        } else {
          return absl::InvalidArgumentError("unknown encoded-word encoding");
        }
        out += decoded;
        pending_space.clear();
        after_word = true;
        i = end + 2;
        continue;
      }
    }
    const char c = value[i];
    if (after_word && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      pending_space.push_back(c);
    } else {
      out += pending_space;
      pending_space.clear();
      after_word = false;
      out.push_back(c);
    }
    ++i;
  }
  out += pending_space;
  return out;
}

}  // namespace preflight::testing

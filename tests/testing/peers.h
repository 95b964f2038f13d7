#pragma once

// C++ handles on the test peers in tests/peers: a scriptable HTTP receiver standing in for
// webhooks and chat bots, and a real SMTP server (aiosmtpd) with STARTTLS and AUTH. Both run as
// child processes of Debian's /usr/bin/python3 on 127.0.0.1 with a free port, and are stopped
// when their handle is destroyed.
//
//   auto receiver = HttpReceiver::Start();                      // StatusOr<unique_ptr<...>>
//   ScriptedResponse busy;
//   busy.status = 503;
//   (*receiver)->Script("/bot", {busy});                        // then the default 200
//   ... send to (*receiver)->Url("/bot?key=k") ...
//   auto requests = (*receiver)->Requests();                    // what arrived, in order
//
//   TempDir dir;
//   auto cert = MakeSelfSignedCert(dir.path());                 // for STARTTLS, trusted by
//   SmtpServerOptions options;                                  // pointing ca_file at it
//   options.mail_dir = dir.Join("mail"); options.tls = *cert; options.require_starttls = true;
//   options.user = "bot"; options.password = "secret";
//   auto smtp = SmtpServer::Start(options);
//   ... send to (*smtp)->Url() ...
//   auto emails = (*smtp)->Emails();  ParseEmail(emails->at(0).raw).Header("Subject") ...

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/testing/subprocess.h"

namespace preflight::testing {

// Debian's interpreter: the one that sees Debian's python3-* packages (aiosmtpd).
inline constexpr char kPeerPython[] = "/usr/bin/python3";

// The path of a script in tests/peers.
std::string PeerScriptPath(absl::string_view name);

// One request the receiver recorded.
struct RecordedRequest {
  std::string method;
  // With the query string.
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The Idempotency-Key header, if any.
  std::optional<std::string> idempotency_key;
  // Receiver's wall clock, Unix seconds.
  double received_at = 0;

  // The first header of that name (case-insensitive).
  std::optional<std::string> Header(absl::string_view name) const;
  // The path without the query, and the value of one query parameter (still URL-encoded).
  std::string PathWithoutQuery() const;
  std::optional<std::string> QueryParameter(absl::string_view name) const;
};

// One scripted answer.
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  // Unset: the receiver's default (its success JSON for 200, empty otherwise).
  std::optional<std::string> body;
  // Wait this long before answering (the request is recorded first).
  absl::Duration hang = absl::ZeroDuration();
  // Drop the connection without answering.
  bool close = false;
};

// A self-signed certificate for 127.0.0.1 and localhost (also usable as its own CA file).
struct CertFiles {
  std::string cert_path;
  std::string key_path;
};

// tests/peers/http_receiver.py.
class HttpReceiver {
 public:
  // Plain HTTP, or HTTPS with `tls` (see MakeSelfSignedCert).
  static absl::StatusOr<std::unique_ptr<HttpReceiver>> Start(
      const std::optional<CertFiles>& tls = std::nullopt);

  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;
  ~HttpReceiver();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" (https for a TLS receiver) + path (which should start with '/').
  std::string Url(absl::string_view path) const;

  // Queues answers for requests whose path starts with `path_prefix`, used in order; afterwards
  // the default success answer.
  absl::Status Script(absl::string_view path_prefix,
                      const std::vector<ScriptedResponse>& responses);
  // Recorded requests whose path starts with `path_prefix`, oldest first.
  absl::StatusOr<std::vector<RecordedRequest>> Requests(absl::string_view path_prefix = "") const;
  // Forgets requests and scripts.
  absl::Status Reset();

 private:
  HttpReceiver(Subprocess process, int port, bool tls)
      : process_(std::move(process)), port_(port), tls_(tls) {}

  Subprocess process_;
  int port_;
  bool tls_;
  // For the control calls of a TLS receiver.
  std::string ca_file_;
};

// Writes cert.pem and key.pem (EC P-256, valid for two days) into `dir` with the openssl CLI.
absl::StatusOr<CertFiles> MakeSelfSignedCert(const std::string& dir);

struct SmtpServerOptions {
  // Where messages are saved; created if missing.
  std::string mail_dir;
  // Offer STARTTLS with this certificate.
  std::optional<CertFiles> tls;
  // Refuse mail until STARTTLS (needs `tls`).
  bool require_starttls = false;
  // Require AUTH (PLAIN or LOGIN) with these; empty user: no AUTH.
  std::string user;
  std::string password;
};

// One message the SMTP server accepted.
struct ReceivedEmail {
  // The DATA as received (CRLF line ends).
  std::string raw;
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  // The AUTH user, if the session authenticated.
  std::optional<std::string> login;
  // Whether the session was upgraded with STARTTLS.
  bool tls = false;
};

// tests/peers/smtp_server.py. Recipients "smtp-reply-NNN@..." get SMTP reply NNN at RCPT, and
// "smtp-hang@..." makes the server sit on the end of DATA for 30 seconds.
class SmtpServer {
 public:
  static absl::StatusOr<std::unique_ptr<SmtpServer>> Start(SmtpServerOptions options);

  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;
  ~SmtpServer();

  int port() const { return port_; }
  // "smtp://127.0.0.1:PORT".
  std::string Url() const;
  // Accepted messages, oldest first.
  absl::StatusOr<std::vector<ReceivedEmail>> Emails() const;

 private:
  SmtpServer(Subprocess process, int port, std::string mail_dir)
      : process_(std::move(process)), port_(port), mail_dir_(std::move(mail_dir)) {}

  Subprocess process_;
  int port_;
  std::string mail_dir_;
};

// An RFC 5322 message split into unfolded headers and its body, with the body decoded from
// base64 or quoted-printable when Content-Transfer-Encoding says so.
struct ParsedEmail {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (case-insensitive), raw (encoded-words not decoded).
  std::optional<std::string> Header(absl::string_view name) const;
};
absl::StatusOr<ParsedEmail> ParseEmail(absl::string_view raw);

// Decodes RFC 2047 encoded-words ("=?charset?B|Q?...?="; the bytes are kept as they are, so
// UTF-8 stays UTF-8), dropping whitespace between adjacent encoded-words as the RFC says.
absl::StatusOr<std::string> DecodeEncodedWords(absl::string_view value);

}  // namespace preflight::testing

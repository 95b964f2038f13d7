#pragma once

// Everything notifier-service is started with: main.cc fills it from flags (their help texts
// say what each field means) and hands it to RunNotifier.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/tls_options.h"

namespace preflight::notifier {

struct NotifierConfig {
  std::string listen = "127.0.0.1:50052";
  ServerTlsOptions tls;
  bool require_auth = false;
  bool insecure = false;
  absl::Duration auth_cache_ttl = absl::Seconds(30);
  std::string metrics_listen;

  std::string data_dir;
  std::string builtin_data_dir;
  std::string recipients_file;
  std::string restore_from;
  bool resync_event_log = false;

  // The checklist service followed.
  std::string checklist_address = "127.0.0.1:50051";
  ClientTlsOptions checklist_tls;
  // env:NAME or file:/path of the notifier's own token there.
  std::string checklist_token_ref;
  absl::Duration reconnect_max_backoff = absl::Seconds(30);
  absl::Duration stream_unhealthy_after = absl::Seconds(60);

  // Channels.
  std::string smtp_url;
  std::string smtp_from = "preflight@localhost";
  std::string smtp_username;
  std::string smtp_password_ref;
  std::string smtp_ca_file;
  bool smtp_require_tls = true;
  std::string http_ca_file;
  absl::Duration http_timeout = absl::Seconds(10);
  std::vector<std::string> http_allow_hosts;

  // Deliveries.
  absl::Duration retry_initial_backoff = absl::Seconds(30);
  absl::Duration retry_max_backoff = absl::Hours(1);
  int max_attempts = 6;
  absl::Duration tick = absl::Seconds(1);
};

}  // namespace preflight::notifier

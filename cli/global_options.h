#pragma once

// The settings every command shares (where the services are, TLS, token, actor, timeout, output
// format), read in kubectl's order: a flag, else an environment variable, else the context of
// the config file, else the default. Each address remembers where it came from, so an error can
// say which flag, variable or context chose it.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cli/command_line.h"
#include "cli/config_file.h"
#include "cli/output.h"
#include "common/tls_options.h"

namespace preflight::cli {

// What the CLI reads from outside its command line.
struct Environment {
  // Who acts without --actor or a context's actor ($USER).
  std::string default_actor;
  // The process environment; null reads no variables.
  Getenv getenv;
  // Columns of the terminal standard output goes to; 0 when it is not a terminal.
  int terminal_width = 0;
};

// The real process: $USER, the environment, the width of the terminal on standard output.
Environment ProcessCliEnvironment();

struct GlobalOptions {
  // The checklist service, and what chose it ("--server", "$PREFLIGHT_SERVER",
  // "context 'prod' of /root/.config/preflight/config.yaml", or "the default").
  std::string server = "127.0.0.1:50051";
  std::string server_origin = "the default";
  // The notifier service.
  std::string notifier = "127.0.0.1:50052";
  std::string notifier_origin = "the default";
  OutputFormat output = OutputFormat::kTable;
  // The template of -o jsonpath=... or -o custom-columns=....
  std::string output_template;
  bool no_headers = false;
  bool utc = false;
  // Columns a table may take: $COLUMNS, else the terminal's; 0 for no limit.
  int width = 0;
  // Standard output is a terminal, and $NO_COLOR (https://no-color.org) is set and not empty:
  // what `--color=auto` decides by.
  bool terminal = false;
  bool no_color = false;
  // Who acts; sent to the server as x-preflight-actor metadata.
  std::string actor;
  absl::Duration timeout = absl::Seconds(10);
  // --tls_ca, --tls_cert, --tls_key, --tls_server_name (or the context's), already loaded; used
  // for both services. Plaintext without them.
  ClientTls tls;
  // Sent as "authorization: Bearer ..." to services that require authentication: read from
  // --token_file, else $PREFLIGHT_TOKEN, else the context's token_file; empty for none.
  std::string bearer_token;
  // The context in use ("" for none), its default tenant, and the config file's path.
  std::string context;
  std::string default_tenant;
  std::string config_path;
};

// Reads the global options of `invocation` from its flags, `env` and the config file.
absl::StatusOr<GlobalOptions> ReadGlobalOptions(const Invocation& invocation,
                                                const Environment& env);

// A context's tenant becomes the --tenant of commands that take one and were not given it.
void ApplyContextDefaults(const GlobalOptions& options, Invocation* invocation);

}  // namespace preflight::cli

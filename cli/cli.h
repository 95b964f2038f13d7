#pragma once

// The `preflight` command: parse the command line, build the request, call the service, print.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cli/admin_client.h"
#include "cli/auth_client.h"
#include "cli/checklist_client.h"
#include "cli/command_line.h"
#include "cli/global_options.h"
#include "cli/notifier_client.h"

namespace preflight::cli {

// Exit codes; docs/cli.md lists them and `preflight --help` repeats them.
inline constexpr int kExitOk = 0;
// The server refused the request or failed, or could not be reached.
inline constexpr int kExitRpcError = 1;
inline constexpr int kExitUsage = 2;
// The call worked and the answer is no: `readiness --exit-code` for a launch that is not ready,
// `notify test` when a message is not delivered (yet).
inline constexpr int kExitNo = 3;

// Make the client of one service for the given global options (address, actor, timeout).
using ClientFactory = std::function<std::unique_ptr<ChecklistClient>(const GlobalOptions&)>;
using NotifierClientFactory = std::function<std::unique_ptr<NotifierClient>(const GlobalOptions&)>;
using AuthClientFactory = std::function<std::unique_ptr<AuthClient>(const GlobalOptions&)>;
// The AdminService at `address` (either service's).
using AdminClientFactory =
    std::function<std::unique_ptr<AdminClient>(const GlobalOptions&, const std::string& address)>;

// How RunCli reaches the services. A factory is called at most once per run, and only when the
// command needs that service.
struct Connectors {
  ClientFactory checklist;
  NotifierClientFactory notifier;
  AuthClientFactory auth = nullptr;
  AdminClientFactory admin = nullptr;
};

// The factories used by the real binary: channels to options.server and options.notifier, with
// the TLS of options.tls (plaintext without --tls_* flags).
std::unique_ptr<ChecklistClient> ConnectToServer(const GlobalOptions& options);
std::unique_ptr<NotifierClient> ConnectToNotifier(const GlobalOptions& options);
std::unique_ptr<AuthClient> ConnectToAuth(const GlobalOptions& options);
std::unique_ptr<AdminClient> ConnectToAdmin(const GlobalOptions& options,
                                            const std::string& address);
Connectors DefaultConnectors();

// Runs the command in `args` (without the program name) and returns the exit code. Results go to
// `out`; errors go to `err` as "error: <CODE>: <message>" (RPC errors) or a usage message.
// `env` supplies $USER, the environment variables and the terminal's width.
int RunCli(const std::vector<std::string>& args, const Environment& env, const Connectors& connect,
           std::ostream& out, std::ostream& err);

// The same with no environment variables, no config file and no terminal: `default_actor` acts.
int RunCli(const std::vector<std::string>& args, absl::string_view default_actor,
           const Connectors& connect, std::ostream& out, std::ostream& err);

}  // namespace preflight::cli

#pragma once

// Parsing of the `preflight` command line: global flags, a command of one or two words, its
// positional arguments and its own flags. Kept apart from absl::flags because each command has
// its own flag set, usage errors must exit with code 2 rather than abort, and update commands need
// to know exactly which flags were given (they become the update mask).

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/tls_options.h"

namespace preflight::cli {

// The service a command calls.
// kAuth is the checklist service's AuthService (also at --server).
// kAdmin is the AdminService, which both services serve.
enum class Service { kChecklist, kNotifier, kAuth, kAdmin };

struct CommandSpec {
  // The command words, e.g. "launch create".
  absl::string_view path;
  // Positional arguments after the command words, e.g. {"LAUNCH", "CODE"}. Trailing ones written
  // "[NAME]" may be left out.
  std::vector<absl::string_view> arguments;
  // Flags the command accepts besides the global ones.
  std::vector<absl::string_view> flags;
  // Flags that must be given.
  std::vector<absl::string_view> required_flags;
  absl::string_view summary;
  Service service = Service::kChecklist;
  // Flags that may be given more than once, e.g. --channel of `recipients create`.
  std::vector<absl::string_view> repeatable_flags = {};
};

// Every command, in the order the usage text lists them.
const std::vector<CommandSpec>& Commands();

// A parsed command line. Only flags given on the command line are present in `flags`; a boolean
// flag given bare ("--payments") holds "true".
struct Invocation {
  // Null when only --help was asked for without a command.
  const CommandSpec* command = nullptr;
  // Positional arguments after the command words, one per CommandSpec::arguments given.
  std::vector<std::string> arguments;
  // The first value of each flag given.
  std::map<std::string, std::string, std::less<>> flags;
  // Every value of each flag given, in command line order; only repeatable flags have several.
  std::map<std::string, std::vector<std::string>, std::less<>> flag_values;
  bool help = false;

  bool Has(absl::string_view flag) const { return flags.find(flag) != flags.end(); }
  // The flag's value, or `fallback` when it was not given.
  std::string Get(absl::string_view flag, absl::string_view fallback = "") const;
  // Every value the flag was given, empty when it was not.
  std::vector<std::string> GetAll(absl::string_view flag) const;
  // The flag as a boolean ("true"/"false"; validated at parse time), or `fallback`.
  bool GetBool(absl::string_view flag, bool fallback = false) const;
};

// Options that apply to every command.
struct GlobalOptions {
  // The checklist service.
  std::string server = "127.0.0.1:50051";
  // The notifier service.
  std::string notifier = "127.0.0.1:50052";
  bool json = false;
  // Who acts; sent to the server as x-preflight-actor metadata.
  std::string actor;
  absl::Duration timeout = absl::Seconds(10);
  // --tls_ca, --tls_cert, --tls_key, --tls_server_name, already loaded; used for both services.
  // Plaintext without them.
  ClientTls tls;
  // Sent as "authorization: Bearer ..." to services that require authentication: read from
  // --token_file, else from $PREFLIGHT_TOKEN; empty for none.
  std::string bearer_token;
};

// Parses `args` (without the program name) into `invocation`. Every error is a usage error
// (INVALID_ARGUMENT) whose message is fit to show the user; `invocation->command` is then still
// set when the command words were recognised, so the caller can show that command's usage.
absl::Status ParseCommandLine(const std::vector<std::string>& args, Invocation* invocation);

// Reads the global options of `invocation`; `default_actor` ($USER) applies without --actor.
absl::StatusOr<GlobalOptions> ReadGlobalOptions(const Invocation& invocation,
                                                absl::string_view default_actor);

// The overall usage text, and the usage of one command.
std::string UsageText();
std::string CommandUsage(const CommandSpec& command);

}  // namespace preflight::cli

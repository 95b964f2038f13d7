#include "cli/command_line.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace preflight::cli {
namespace {

struct FlagSpec {
  absl::string_view name;
  // Empty for boolean flags, else how usage text names the value, e.g. "DATE".
  absl::string_view value;
  absl::string_view help;
  // Set on a variant of a flag whose value these commands read differently; usage text of these
  // commands shows the variant. Variants agree with the general entry on being boolean or not.
  std::vector<absl::string_view> commands = {};
  bool IsBool() const { return value.empty(); }
};

// One table for all flags: a name means the same thing in every command that accepts it.
const std::vector<FlagSpec>& Flags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      // Global.
      {"server", "HOST:PORT", "checklist service address (default 127.0.0.1:50051)"},
      {"notifier", "HOST:PORT", "notifier service address (default 127.0.0.1:50052)"},
      {"json", "", "print the response as JSON (proto field names) for scripts"},
      {"actor", "NAME", "who acts, recorded in the audit events (default $USER)"},
      {"timeout", "DURATION", "deadline of each call, e.g. 10s, 1m (default 10s)"},
      {"tls_ca", "PEM", "connect with TLS, verifying the server against these CA certificates"},
      {"tls_cert", "PEM", "client certificate (TLS), for servers that require mutual TLS"},
      {"tls_key", "PEM", "private key of --tls_cert"},
      {"tls_server_name", "NAME",
       "connect with TLS and expect this name in the server's certificate (default: its host)"},
      {"token_file", "PATH",
       "file holding the bearer token for services that require authentication (default: "
       "$PREFLIGHT_TOKEN)"},
      {"help", "", "show usage"},
      // Launch fields.
      {"tenant", "TENANT", "organisation (tenant) id; on list commands, only this tenant"},
      {"tenant",
       "TENANT",
       "tenant the recipient belongs to (default: reachable from every tenant)",
       {"recipients create"}},
      {"name", "TEXT", "display name of the launch"},
      {"owner", "NAME", "person accountable for the launch"},
      {"target", "DATE", "target launch date, YYYY-MM-DD"},
      {"time_zone", "TZ", "IANA time zone of the launch's dates (default Asia/Shanghai)"},
      {"subject", "SUBJECT",
       "enterprise|individual_business|individual|government|media|other_organization"},
      {"hosting", "HOSTING", "own_mainland_server|own_server_outside_mainland|wechat_cloud"},
      {"payments", "", "the mini program takes payments (--payments=false to clear)"},
      {"mini_game", "", "the mini program is a mini game (--mini_game=false to clear)"},
      {"categories", "A,B", "service category codes, comma separated (empty to clear)"},
      {"province", "CODE",
       "province of the filing subject, e.g. ZJ or GD (empty to clear; docs/templates.md lists the "
       "codes)"},
      {"template", "ID", "template id (default: the built-in WeChat template)"},
      {"request_id", "ID", "idempotency key: a retry with the same id returns the same launch"},
      {"went_live", "DATE", "date the launch went live (empty to clear)"},
      // Listing.
      {"at_risk", "", "only launches projected to miss their target date"},
      {"from", "DATE", "target date on or after DATE"},
      {"to", "DATE", "target date on or before DATE"},
      {"page_size", "N", "results per page"},
      {"page_token", "TOKEN", "continue a previous listing"},
      {"all", "", "follow page tokens and print every page"},
      // Items.
      {"status", "STATUS", "not_started|in_progress|submitted|returned|approved|rejected|waived"},
      {"assignee", "NAME", "person doing the work"},
      {"notes", "TEXT", "free-form notes"},
      {"evidence", "URI[,URI...]", "document links (replaces the list; empty to clear)"},
      {"materials", "CODE=STATUS[,...]",
       "set materials of the item's checklist: missing, ready or not_needed (others unchanged)"},
      {"official_number", "TEXT", "number the item produced, e.g. the ICP filing number"},
      {"expiry", "DATE", "date the qualification expires (empty to clear)"},
      {"waiver_reason", "TEXT", "why the item is waived (required with --status=waived)"},
      {"due", "DATE", "fixed due date (empty on update: back to the computed one)"},
      {"etag", "ETAG", "only change if the resource still has this etag"},
      {"code", "CODE", "item code, upper snake case, e.g. APP_PRIVACY_POLICY"},
      {"title", "TEXT", "English title"},
      {"title_zh", "TEXT", "Chinese title"},
      {"group", "GROUP", "item group (default: custom)"},
      {"depends_on", "A,B", "codes of the items this one waits for"},
      {"duration_days", "N", "working days the item takes"},
      // Notifier.
      {"days", "N", "forecast horizon in calendar days, 1 to 366 (default 14)"},
      {"launch", "LAUNCH", "only this launch (launches/ID or ID)"},
      {"recipient", "ID",
       "only this recipient (recipients/ID or ID, or tenants/TENANT/recipients/ID)"},
      {"item", "ITEM", "only this item, launches/ID/items/CODE"},
      {"state", "STATE", "pending|sending|delivered|dead_lettered|outcome_unknown|cancelled"},
      {"channel", "TYPE", "log|inbox|webhook|wecom|dingtalk|feishu|slack|email"},
      {"channel",
       "TYPE",
       "only this of the recipient's channels: log|inbox|webhook|wecom|dingtalk|feishu|slack|email",
       {"notify test"}},
      {"channel",
       "TYPE[:TARGET[#SECRET_REF]]",
       "a channel; repeat for more, tried in order (on update: replaces the list). TYPE is "
       "log|inbox|webhook|wecom|dingtalk|feishu|slack|email, TARGET the webhook or bot URL or the "
       "email address, SECRET_REF env:NAME or file:/path",
       {"recipients create", "recipients update"}},
      {"for", "DURATION", "hold the reminders this long from now, e.g. 90m, 2h, 3d, 1d12h"},
      {"until", "TIME",
       "hold the reminders until this RFC 3339 time, e.g. 2026-05-08T09:00:00+08:00"},
      {"display_name", "TEXT", "the recipient's name as messages show it"},
      {"display_name",
       "TEXT",
       "who or what uses the token, recorded as the actor of its changes",
       {"tokens create"}},
      {"tenant",
       "TENANT",
       "the one tenant the token may see, or \"*\" for every tenant",
       {"tokens create"}},
      {"role", "ROLE", "viewer|editor|admin|service"},
      {"revoked", "", "include revoked tokens"},
      {"language", "LANG", "zh, en, or empty for both in one message"},
      {"digest", "",
       "group non-urgent reminders into one morning message (--digest=false to clear)"},
      {"subscribe", "tenants/T|launches/L",
       "also receive every reminder of this tenant or launch (repeatable; empty to clear)"},
      {"services", "notifier,checklist",
       "which services to back up (default both; the notifier goes first, so its position in "
       "the event stream is never ahead of the checklist's copy)"},
  };
  return *kFlags;
}

constexpr absl::string_view kGlobalFlags[] = {
    "server",  "notifier",        "json",       "actor", "timeout", "tls_ca", "tls_cert",
    "tls_key", "tls_server_name", "token_file", "help"};

// The flag `name` as `command` reads it (its variant for the command if it has one); any command
// when `command` is empty.
const FlagSpec* FindFlag(absl::string_view name, absl::string_view command = "") {
  const FlagSpec* general = nullptr;
  for (const FlagSpec& flag : Flags()) {
    if (flag.name != name) continue;
    if (flag.commands.empty()) {
      general = &flag;
    } else if (std::find(flag.commands.begin(), flag.commands.end(), command) !=
               flag.commands.end()) {
      return &flag;
    }
  }
  return general;
}

bool IsGlobalFlag(absl::string_view name) {
  return std::find(std::begin(kGlobalFlags), std::end(kGlobalFlags), name) !=
         std::end(kGlobalFlags);
}

bool Contains(const std::vector<absl::string_view>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool Accepts(const CommandSpec& command, absl::string_view flag) {
  return IsGlobalFlag(flag) || Contains(command.flags, flag);
}

bool IsOptionalArgument(absl::string_view argument) { return absl::StartsWith(argument, "["); }

size_t RequiredArguments(const CommandSpec& command) {
  return static_cast<size_t>(
      std::count_if(command.arguments.begin(), command.arguments.end(),
                    [](absl::string_view a) { return !IsOptionalArgument(a); }));
}

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

// Normalises a boolean flag value to "true" or "false".
absl::StatusOr<std::string> ParseBool(absl::string_view flag, absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "1" || lower == "yes") return std::string("true");
  if (lower == "false" || lower == "0" || lower == "no") return std::string("false");
  return Usage(absl::StrCat("--", flag, " expects true or false, got '", text, "'"));
}

// Reads the flag at args[*i] (and its value from args[*i + 1] when written "--name value") into
// `flags`.
absl::Status ReadFlag(const std::vector<std::string>& args, size_t* i,
                      std::map<std::string, std::vector<std::string>, std::less<>>* flags) {
  const std::string& arg = args[*i];
  if (arg == "-h") {
    (*flags)["help"].push_back("true");
    return absl::OkStatus();
  }
  if (!absl::StartsWith(arg, "--")) {
    return Usage(absl::StrCat("unknown flag '", arg, "' (flags are written --name=value)"));
  }
  const absl::string_view body = absl::string_view(arg).substr(2);
  const size_t equals = body.find('=');
  const absl::string_view name = body.substr(0, equals);
  const FlagSpec* flag = FindFlag(name);
  if (flag == nullptr) return Usage(absl::StrCat("unknown flag --", name));
  std::string value;
  if (equals != absl::string_view::npos) {
    value = std::string(body.substr(equals + 1));
  } else if (flag->IsBool()) {
    value = "true";
  } else if (*i + 1 < args.size()) {
    value = args[++*i];
  } else {
    return Usage(absl::StrCat("--", name, " needs a value: --", name, "=", flag->value));
  }
  if (flag->IsBool()) {
    absl::StatusOr<std::string> normalised = ParseBool(name, value);
    if (!normalised.ok()) return normalised.status();
    value = *std::move(normalised);
  }
  (*flags)[std::string(name)].push_back(std::move(value));
  return absl::OkStatus();
}

// The command named by the leading words of `words`, and how many words it took.
std::pair<const CommandSpec*, size_t> MatchCommand(const std::vector<std::string>& words) {
  for (const CommandSpec& command : Commands()) {
    const std::vector<absl::string_view> parts = absl::StrSplit(command.path, ' ');
    if (words.size() < parts.size()) continue;
    if (std::equal(parts.begin(), parts.end(), words.begin())) {
      return {&command, parts.size()};
    }
  }
  return {nullptr, 0};
}

std::string FlagUsage(const FlagSpec& flag) {
  return flag.IsBool() ? absl::StrCat("--", flag.name)
                       : absl::StrCat("--", flag.name, "=", flag.value);
}

std::string CommandLine(const CommandSpec& command) {
  std::string line = absl::StrCat("preflight ", command.path);
  for (absl::string_view argument : command.arguments) absl::StrAppend(&line, " ", argument);
  for (absl::string_view name : command.flags) {
    const FlagSpec* flag = FindFlag(name, command.path);
    const bool required = Contains(command.required_flags, name);
    absl::StrAppend(&line, required ? " " : " [", FlagUsage(*flag), required ? "" : "]",
                    Contains(command.repeatable_flags, name) ? "..." : "");
  }
  return line;
}

// The words that start a command of two words ("launch", "recipients", ...).
bool IsCommandGroup(absl::string_view word) {
  for (const CommandSpec& command : Commands()) {
    if (absl::StartsWith(command.path, absl::StrCat(word, " "))) return true;
  }
  return false;
}

// The token in `path`, without surrounding whitespace. The message never shows the contents.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Usage(absl::StrCat("--token_file: cannot read ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string token(absl::StripAsciiWhitespace(contents.str()));
  if (token.empty()) return Usage(absl::StrCat("--token_file: ", path, " is empty"));
  return token;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const auto* const kCommands = new std::vector<CommandSpec>{
      {"launch create",
       {},
       {"tenant", "name", "owner", "target", "time_zone", "subject", "hosting", "payments",
        "mini_game", "categories", "province", "template", "request_id"},
       {"tenant", "name", "owner", "target", "subject", "hosting"},
       "Create a launch; its items come from the template, filtered by the profile."},
      {"launch list",
       {},
       {"tenant", "owner", "at_risk", "from", "to", "page_size", "page_token"},
       {},
       "List launches, optionally filtered."},
      {"launch show", {"LAUNCH"}, {}, {}, "Show a launch with one row per item."},
      {"launch update",
       {"LAUNCH"},
       {"name", "owner", "target", "time_zone", "went_live", "subject", "hosting", "payments",
        "mini_game", "categories", "province", "etag"},
       {},
       "Change the launch fields given on the command line (and only those)."},
      {"item update",
       {"LAUNCH", "CODE"},
       {"status", "assignee", "notes", "evidence", "materials", "official_number", "expiry",
        "waiver_reason", "due", "etag"},
       {},
       "Change the item fields given on the command line (and only those)."},
      {"item add",
       {"LAUNCH"},
       {"code", "title", "due", "title_zh", "group", "depends_on", "assignee", "notes",
        "duration_days"},
       {"code", "title", "due"},
       "Add a custom item to a launch."},
      {"readiness", {"LAUNCH"}, {}, {}, "Is the launch ready? Blockers, projected date, fees."},
      {"events",
       {"LAUNCH"},
       {"page_size", "page_token", "all"},
       {},
       "The launch's audit events, oldest first."},
      {"templates", {}, {"page_size", "page_token"}, {}, "List the checklist templates."},
      // Notifier service.
      {"reminders list",
       {},
       {"days", "tenant", "launch", "recipient", "page_size", "page_token", "all"},
       {},
       "The reminders the notifier will send in the next days, to whom and over which channel.",
       Service::kNotifier},
      {"reminders dry-run",
       {"LAUNCH"},
       {"days"},
       {},
       "Every reminder one launch will get in the next days (reminders list --launch --all).",
       Service::kNotifier},
      {"reminders snooze",
       {"ITEM", "[CODE]"},
       {"for", "until"},
       {},
       "Hold an item's reminders for a while or until a time; they are deferred, never dropped.",
       Service::kNotifier},
      {"reminders ack",
       {"ITEM", "[CODE]"},
       {},
       {},
       "Stop an item's reminders until the item changes in the checklist.",
       Service::kNotifier},
      {"deliveries list",
       {},
       {"tenant", "launch", "item", "recipient", "state", "channel", "page_size", "page_token",
        "all"},
       {},
       "The delivery ledger, newest first: what was sent to whom, when, and the provider's answer.",
       Service::kNotifier},
      {"recipients create",
       {"ID"},
       {"channel", "tenant", "display_name", "language", "digest", "subscribe"},
       {"channel"},
       "Register a person or team the notifier can reach, and over which channels.",
       Service::kNotifier,
       {"channel", "subscribe"}},
      {"recipients list",
       {},
       {"tenant", "page_size", "page_token", "all"},
       {},
       "List the recipients.",
       Service::kNotifier},
      {"recipients show",
       {"ID"},
       {},
       {},
       "Show a recipient with its channels and subscriptions.",
       Service::kNotifier},
      {"recipients update",
       {"ID"},
       {"display_name", "language", "channel", "digest", "subscribe", "etag"},
       {},
       "Change the recipient fields given on the command line (and only those).",
       Service::kNotifier,
       {"channel", "subscribe"}},
      {"recipients delete", {"ID"}, {"etag"}, {}, "Delete a recipient.", Service::kNotifier},
      {"notify test",
       {"RECIPIENT"},
       {"channel"},
       {},
       "Send a test message to a recipient now, over one or all of its channels.",
       Service::kNotifier},
      {"inbox",
       {"RECIPIENT"},
       {"page_size", "page_token", "all"},
       {},
       "Messages delivered to a recipient's inbox channel, newest first.",
       Service::kNotifier},
      {"subscription",
       {},
       {},
       {},
       "Where the notifier stands in the checklist service's event stream.",
       Service::kNotifier},
      {"tokens create",
       {},
       {"tenant", "role", "display_name"},
       {"tenant", "role", "display_name"},
       "Issue a bearer token (admins); its secret is printed once, only now.",
       Service::kAuth},
      {"tokens list",
       {},
       {"tenant", "revoked", "page_size", "page_token", "all"},
       {},
       "Tokens this admin manages, newest first (never their secrets).",
       Service::kAuth},
      {"tokens revoke",
       {"TOKEN"},
       {},
       {},
       "Revoke a token at once (tokens/ID or ID).",
       Service::kAuth},
      {"whoami", {}, {}, {}, "The calling token's tenant scope and role.", Service::kAuth},
      {"admin backup",
       {"DIR"},
       {"services"},
       {},
       "Back up both services' databases, online, into DIR/notifier and DIR/checklist "
       "(admins of all tenants; docs/operations.md restores them).",
       Service::kAdmin},
  };
  return *kCommands;
}

std::string Invocation::Get(absl::string_view flag, absl::string_view fallback) const {
  auto it = flags.find(flag);
  return it == flags.end() ? std::string(fallback) : it->second;
}

std::vector<std::string> Invocation::GetAll(absl::string_view flag) const {
  auto it = flag_values.find(flag);
  return it == flag_values.end() ? std::vector<std::string>() : it->second;
}

bool Invocation::GetBool(absl::string_view flag, bool fallback) const {
  auto it = flags.find(flag);
  return it == flags.end() ? fallback : it->second == "true";
}

absl::Status ParseCommandLine(const std::vector<std::string>& args, Invocation* result) {
  *result = Invocation();
  Invocation& invocation = *result;
  std::vector<std::string> words;
  // The first flag error is reported only after the command is known, so its usage can be shown.
  absl::Status flag_error;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg == "-" || !absl::StartsWith(arg, "-")) {
      words.push_back(arg);
    } else if (arg == "--") {
      flags_ended = true;
    } else if (absl::Status s = ReadFlag(args, &i, &invocation.flag_values); !s.ok()) {
      if (flag_error.ok()) flag_error = s;
    }
  }
  for (const auto& [name, values] : invocation.flag_values) invocation.flags[name] = values.front();
  invocation.help = invocation.GetBool("help");
  if (words.size() == 1 && words[0] == "help") {
    words.clear();
    invocation.help = true;
  }

  const auto [command, used] = MatchCommand(words);
  invocation.command = command;
  if (invocation.help) return absl::OkStatus();
  if (!flag_error.ok()) return flag_error;
  if (words.empty()) return Usage("no command given");
  if (command == nullptr) {
    const std::string what = words.size() >= 2 && IsCommandGroup(words[0])
                                 ? absl::StrCat(words[0], " ", words[1])
                                 : words[0];
    return Usage(absl::StrCat("unknown command '", what, "'"));
  }
  invocation.arguments.assign(words.begin() + static_cast<std::ptrdiff_t>(used), words.end());
  if (invocation.arguments.size() < RequiredArguments(*command)) {
    return Usage(absl::StrCat("'", command->path, "' needs ",
                              command->arguments[invocation.arguments.size()]));
  }
  if (invocation.arguments.size() > command->arguments.size()) {
    return Usage(absl::StrCat("unexpected argument '",
                              invocation.arguments[command->arguments.size()], "' for '",
                              command->path, "'"));
  }
  for (const std::string& argument : invocation.arguments) {
    if (argument.empty()) return Usage(absl::StrCat("empty argument for '", command->path, "'"));
  }
  for (const auto& [name, values] : invocation.flag_values) {
    if (!Accepts(*command, name)) {
      return Usage(absl::StrCat("--", name, " does not apply to '", command->path, "'"));
    }
    if (values.size() > 1 && !Contains(command->repeatable_flags, name)) {
      return Usage(absl::StrCat("--", name, " given more than once"));
    }
  }
  for (absl::string_view name : command->required_flags) {
    if (!invocation.Has(name) || invocation.Get(name).empty()) {
      return Usage(absl::StrCat("'", command->path, "' needs --", name, "=",
                                FindFlag(name, command->path)->value));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<GlobalOptions> ReadGlobalOptions(const Invocation& invocation,
                                                absl::string_view default_actor) {
  GlobalOptions options;
  options.server = invocation.Get("server", options.server);
  if (options.server.empty()) return Usage("--server must not be empty");
  options.notifier = invocation.Get("notifier", options.notifier);
  if (options.notifier.empty()) return Usage("--notifier must not be empty");
  options.json = invocation.GetBool("json");
  options.actor = invocation.Get("actor", default_actor);
  // Metadata values must be printable ASCII; anything else would fail the call obscurely.
  for (char c : options.actor) {
    if (c < 0x20 || c > 0x7e) {
      return Usage("--actor must be printable ASCII (it travels as gRPC metadata)");
    }
  }
  ClientTlsOptions tls;
  tls.ca_file = invocation.Get("tls_ca");
  tls.cert_file = invocation.Get("tls_cert");
  tls.key_file = invocation.Get("tls_key");
  tls.server_name = invocation.Get("tls_server_name");
  absl::StatusOr<ClientTls> loaded = LoadClientTls(tls, "tls_");
  if (!loaded.ok()) return Usage(loaded.status().message());
  options.tls = *std::move(loaded);
  if (invocation.Has("token_file")) {
    absl::StatusOr<std::string> token = ReadTokenFile(invocation.Get("token_file"));
    if (!token.ok()) return Usage(token.status().message());
    options.bearer_token = *std::move(token);
  } else if (const char* env = std::getenv("PREFLIGHT_TOKEN"); env != nullptr) {
    options.bearer_token = std::string(absl::StripAsciiWhitespace(env));
  }
  for (char c : options.bearer_token) {
    if (c < 0x21 || c > 0x7e) return Usage("the bearer token must be printable ASCII");
  }
  if (invocation.Has("timeout")) {
    const std::string text = invocation.Get("timeout");
    if (!absl::ParseDuration(text, &options.timeout) || options.timeout <= absl::ZeroDuration() ||
        options.timeout == absl::InfiniteDuration()) {
      return Usage(
          absl::StrCat("--timeout expects a positive duration such as 10s, got '", text, "'"));
    }
  }
  return options;
}

std::string UsageText() {
  std::string text =
      "usage: preflight [--server=HOST:PORT] [--notifier=HOST:PORT] [--json] [--actor=NAME] "
      "[--timeout=DURATION] [--tls_ca=PEM [--tls_cert=PEM --tls_key=PEM] "
      "[--tls_server_name=NAME]] COMMAND [ARGS]\n";
  for (const Service service :
       {Service::kChecklist, Service::kNotifier, Service::kAuth, Service::kAdmin}) {
    absl::StrAppend(
        &text,
        service == Service::kChecklist  ? "\nchecklist service commands (--server):\n"
        : service == Service::kNotifier ? "\nnotifier service commands (--notifier):\n"
        : service == Service::kAuth
            ? "\naccess commands (--server; with --token_file or $PREFLIGHT_TOKEN):\n"
            : "\noperator commands (--server and --notifier; an admin token for all tenants):\n");
    for (const CommandSpec& command : Commands()) {
      if (command.service != service) continue;
      std::string line = std::string(command.path);
      for (absl::string_view argument : command.arguments) absl::StrAppend(&line, " ", argument);
      line.resize(std::max<size_t>(line.size(), 30), ' ');
      absl::StrAppend(&text, "  ", line, " ", command.summary, "\n");
    }
  }
  absl::StrAppend(&text,
                  "\nLAUNCH is \"launches/ID\" or just ID. ITEM is \"launches/ID/items/CODE\", "
                  "or LAUNCH CODE as two words. ID and RECIPIENT are \"recipients/ID\" or just ID "
                  "(a recipient without a tenant), or \"tenants/TENANT/recipients/ID\". "
                  "Dates are YYYY-MM-DD. `preflight COMMAND --help` lists a command's flags.\n"
                  "Exit codes: 0 success, 1 the server refused or failed, 2 usage error.\n");
  return text;
}

std::string CommandUsage(const CommandSpec& command) {
  std::string text = absl::StrCat("usage: ", CommandLine(command), "\n  ", command.summary, "\n");
  std::vector<absl::string_view> names(command.flags.begin(), command.flags.end());
  names.insert(names.end(), std::begin(kGlobalFlags), std::end(kGlobalFlags));
  std::vector<std::pair<std::string, absl::string_view>> rows;
  size_t width = 0;
  for (absl::string_view name : names) {
    const FlagSpec* flag = FindFlag(name, command.path);
    rows.emplace_back(FlagUsage(*flag), flag->help);
    width = std::max(width, rows.back().first.size());
  }
  absl::StrAppend(&text, "flags:\n");
  for (auto& [usage, help] : rows) {
    usage.resize(width, ' ');
    absl::StrAppend(&text, "  ", usage, "  ", help, "\n");
  }
  return text;
}

}  // namespace preflight::cli

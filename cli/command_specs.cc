#include "cli/command_specs.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "preflight/v1/auth.pb.h"
#include "preflight/v1/checklist.pb.h"
#include "preflight/v1/common.pb.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::cli {
namespace {

// One table for all flags: a name means the same thing in every command that accepts it.
const std::vector<FlagSpec>& Flags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      // Global.
      {"server", "HOST:PORT", "checklist service address (default 127.0.0.1:50051)"},
      {"notifier", "HOST:PORT", "notifier service address (default 127.0.0.1:50052)"},
      {"output", "FORMAT",
       "table, wide (more columns, nothing cut), json (the API's canonical JSON, as buf curl and "
       "grpcurl print it), yaml, name (one resource name per line), jsonpath=TEMPLATE or "
       "custom-columns=HEADER:PATH,... (fields of the JSON, as in kubectl)"},
      {"no_headers", "", "tables without their header row, footers and hints"},
      {"utc", "", "print times in UTC instead of each launch's time zone"},
      {"context", "NAME",
       "use this context of the config file (default: $PREFLIGHT_CONTEXT, else its current one)"},
      {"json", "", "the same as -o json (kept for older scripts)"},
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
      {"help", "", "show help for the command"},
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
      {"add_category", "CODE", "add this service category to the launch's (repeatable)"},
      {"remove_category", "CODE", "take this service category off the launch's (repeatable)"},
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
      {"all", "", "also show the items that do not apply, with their reasons", {"launch show"}},
      {"at_risk", "", "only items at risk as of today", {"item list"}},
      {"status",
       "STATUS",
       "only items in this status (repeatable): not_started|in_progress|submitted|returned|"
       "approved|rejected|waived|not_applicable",
       {"item list"}},
      {"assignee", "NAME", "only items of this person", {"item list"}},
      {"assignee",
       "me|NAME",
       "whose week: me (the token's name, else --actor) or a name (default me)",
       {"my-week"}},
      {"start_before", "DATE", "only items whose latest start is on or before DATE"},
      {"due_before", "DATE", "only items due (latest finish) on or before DATE"},
      {"critical", "", "only items on their launch's critical path"},
      {"include_done", "", "also list approved, waived and not-applicable items"},
      {"exit_code", "",
       "exit with status 3 when the launch is not ready (as git diff --exit-code does)"},
      // Timeline.
      {"format", "FORMAT",
       "text (a chart for the terminal, the default), svg, html (the SVG in a page, with a table "
       "of the items) or mermaid (a gantt block for Markdown)"},
      {"color", "WHEN",
       "auto (colour on a terminal unless $NO_COLOR is set; the default), always or never"},
      {"fence", "", "wrap --format=mermaid in a ```mermaid Markdown fence"},
      // Items.
      {"status", "STATUS", "not_started|in_progress|submitted|returned|approved|rejected|waived"},
      {"assignee", "NAME", "person doing the work"},
      {"assignee",
       "NAME",
       "the person whose items the feed shows, across the tenant's launches",
       {"feed create"}},
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
      {"launch",
       "LAUNCH",
       "the launch whose dates the feed shows (launches/ID or ID)",
       {"feed create"}},
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
      {"role",
       "ROLE",
       "manager: gets the tenant's weekly digest (repeatable; on update replaces the list, empty "
       "to clear)",
       {"recipients create", "recipients update"}},
      {"revoked", "", "include revoked tokens"},
      {"language", "LANG", "zh, en, or empty for both in one message"},
      {"digest", "",
       "group non-urgent reminders into one morning message (--digest=false to clear)"},
      {"subscribe", "tenants/T|launches/L",
       "also receive every reminder of this tenant or launch (repeatable; empty to clear)"},
      // Config commands: a context's settings are named after the global flags they stand for.
      {"server", "HOST:PORT", "the context's checklist service address", {"config set-context"}},
      {"notifier", "HOST:PORT", "the context's notifier service address", {"config set-context"}},
      {"tenant", "TENANT", "the context's default --tenant", {"config set-context"}},
      {"actor", "NAME", "the context's default --actor", {"config set-context"}},
      {"timeout", "DURATION", "the context's default --timeout", {"config set-context"}},
      {"tls_ca", "PEM", "the context's --tls_ca", {"config set-context"}},
      {"tls_cert", "PEM", "the context's --tls_cert", {"config set-context"}},
      {"tls_key", "PEM", "the context's --tls_key", {"config set-context"}},
      {"tls_server_name", "NAME", "the context's --tls_server_name", {"config set-context"}},
      {"token_file", "PATH", "the context's --token_file", {"config set-context"}},
      {"services", "notifier,checklist",
       "which services to back up (default both; the notifier goes first, so its position in "
       "the event stream is never ahead of the checklist's copy)"},
  };
  return *kFlags;
}

const std::vector<absl::string_view>& GlobalFlags() {
  static const auto* const kGlobal = new std::vector<absl::string_view>{
      "output",   "no_headers",      "utc",        "context", "server",
      "notifier", "actor",           "timeout",    "tls_ca",  "tls_cert",
      "tls_key",  "tls_server_name", "token_file", "json",    "help"};
  return *kGlobal;
}

bool Contains(const std::vector<absl::string_view>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The API's enum values as the CLI spells them: "in_progress" for ITEM_STATUS_IN_PROGRESS,
// without the unspecified value and the `excluded` ones.
std::vector<std::string> EnumChoices(const google::protobuf::EnumDescriptor* descriptor,
                                     absl::string_view prefix,
                                     std::vector<absl::string_view> excluded = {}) {
  std::vector<std::string> choices;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    absl::string_view name = descriptor->value(i)->name();
    if (!absl::ConsumePrefix(&name, prefix) || name == "UNSPECIFIED" || Contains(excluded, name)) {
      continue;
    }
    choices.push_back(absl::AsciiStrToLower(name));
  }
  return choices;
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
      {"launch show",
       {"LAUNCH"},
       {"all"},
       {},
       "Show a launch with one row per applicable item (--all: every item)."},
      {"launch timeline",
       {"LAUNCH"},
       {"format", "color", "fence"},
       {},
       "Draw the launch's plan as a Gantt chart: in the terminal, or as SVG, HTML or Mermaid."},
      {"launch update",
       {"LAUNCH"},
       {"name", "owner", "target", "time_zone", "went_live", "subject", "hosting", "payments",
        "mini_game", "categories", "province", "etag"},
       {},
       "Change the launch fields given on the command line (and only those)."},
      {"launch what-if",
       {"LAUNCH"},
       {"name", "owner", "target", "time_zone", "went_live", "subject", "hosting", "payments",
        "mini_game", "categories", "add_category", "remove_category", "province"},
       {},
       "Preview a change to a launch: the items, fees and dates it would move; nothing is "
       "changed.",
       Service::kChecklist,
       {"add_category", "remove_category"}},
      {"launch ics",
       {"LAUNCH"},
       {},
       {},
       "Print the launch's calendar as iCalendar (RFC 5545): every dated item as an all-day event "
       "with the reminder ladder's alarms, e.g. preflight launch ics shop > plan.ics"},
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
      {"readiness",
       {"LAUNCH"},
       {"exit_code"},
       {},
       "Is the launch ready? Blockers, projected date, fees."},
      {"events",
       {"LAUNCH"},
       {"page_size", "page_token", "all"},
       {},
       "The launch's audit events, oldest first."},
      {"item list",
       {},
       {"tenant", "launch", "assignee", "status", "start_before", "due_before", "at_risk",
        "critical", "include_done", "page_size", "page_token", "all"},
       {},
       "Items across every launch of a tenant (or of --launch), by latest start date.",
       Service::kChecklist,
       {"status"}},
      {"my-week",
       {},
       {"assignee", "tenant"},
       {},
       "Your open items that must start or are due by the end of this week, plus anything "
       "overdue or at risk."},
      {"portfolio",
       {},
       {"tenant"},
       {},
       "Every launch of a tenant with its projected date, slack, at-risk items and next "
       "deadline, worst first."},
      {"templates", {}, {"page_size", "page_token"}, {}, "List the checklist templates."},
      {"feed create",
       {},
       {"launch", "assignee", "tenant"},
       {},
       "Create a calendar feed of a launch (--launch) or of one assignee across the tenant's "
       "launches (--assignee, --tenant); its secret URL is printed once, only now."},
      {"feed list",
       {},
       {"tenant", "page_size", "page_token", "all"},
       {},
       "List the calendar feeds (never their URLs)."},
      {"feed delete",
       {"FEED"},
       {},
       {},
       "Revoke a calendar feed (calendarFeeds/ID or ID): its URL answers 404 from now on."},
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
       {"channel", "tenant", "display_name", "language", "digest", "subscribe", "role"},
       {"channel"},
       "Register a person or team the notifier can reach, and over which channels.",
       Service::kNotifier,
       {"channel", "subscribe", "role"}},
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
       {"display_name", "language", "channel", "digest", "subscribe", "role", "etag"},
       {},
       "Change the recipient fields given on the command line (and only those).",
       Service::kNotifier,
       {"channel", "subscribe", "role"}},
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
      // No service: the config file, shell completion, the version.
      {"config get-contexts",
       {},
       {},
       {},
       "List the contexts of the config file; * marks the current one.",
       Service::kLocal},
      {"config current-context", {}, {}, {}, "Print the current context's name.", Service::kLocal},
      {"config use-context", {"NAME"}, {}, {}, "Make NAME the current context.", Service::kLocal},
      {"config set-context",
       {"NAME"},
       {"server", "notifier", "tenant", "actor", "timeout", "tls_ca", "tls_cert", "tls_key",
        "tls_server_name", "token_file"},
       {},
       "Create a context or change the settings given (an empty value unsets one).",
       Service::kLocal},
      {"config delete-context", {"NAME"}, {}, {}, "Remove a context.", Service::kLocal},
      {"config view", {}, {}, {}, "Print the config file, and where it is.", Service::kLocal},
      {"completion",
       {"SHELL"},
       {},
       {},
       "Print the completion script for bash, zsh or fish (docs/cli.md says where it goes).",
       Service::kLocal},
      {"version", {}, {}, {}, "Print the version.", Service::kLocal},
      // What the completion scripts call: the candidates for the last word.
      {"__complete", {}, {}, {}, "", Service::kLocal, {}, /*hidden=*/true},
  };
  return *kCommands;
}

const std::vector<GroupSpec>& Groups() {
  static const auto* const kGroups = new std::vector<GroupSpec>{
      {"launch", "Create, list, show and change launches."},
      {"item", "Change a launch's items, or add items of your own."},
      {"feed", "Calendar feeds: secret iCalendar URLs of a launch or an assignee to subscribe to."},
      {"reminders", "What the notifier will send, and holding or stopping an item's reminders."},
      {"deliveries", "The notifier's delivery ledger."},
      {"recipients", "The people and teams the notifier reaches, and over which channels."},
      {"notify", "Try a recipient's channels."},
      {"tokens", "Bearer tokens for the services (admins)."},
      {"admin", "Operator tasks."},
      {"config", "Contexts of the config file: which services, TLS files, token and tenant."},
  };
  return *kGroups;
}

const std::vector<absl::string_view>& GlobalFlagNames() { return GlobalFlags(); }

bool IsGlobalFlag(absl::string_view name) { return Contains(GlobalFlags(), name); }

bool IsHiddenFlag(absl::string_view name) { return name == "json"; }

const FlagSpec* FindFlag(absl::string_view name, absl::string_view command) {
  const FlagSpec* general = nullptr;
  for (const FlagSpec& flag : Flags()) {
    if (flag.name != name) continue;
    if (flag.commands.empty()) {
      general = &flag;
    } else if (Contains(flag.commands, command)) {
      return &flag;
    }
  }
  return general;
}

bool FlagTakesValue(absl::string_view name, absl::string_view command) {
  const FlagSpec* flag = FindFlag(name, command);
  return flag != nullptr && !flag->IsBool();
}

char ShortFlag(absl::string_view name) {
  if (name == "output") return 'o';
  if (name == "help") return 'h';
  return 0;
}

std::vector<std::string> FlagChoices(absl::string_view name, absl::string_view command) {
  if (name == "output") {
    return {"table", "wide", "json", "yaml", "name", "jsonpath=", "custom-columns="};
  }
  if (name == "status") {
    // A filter may ask for what an update may not set.
    if (command == "item list") return EnumChoices(v1::ItemStatus_descriptor(), "ITEM_STATUS_");
    return EnumChoices(v1::ItemStatus_descriptor(), "ITEM_STATUS_", {"NOT_APPLICABLE"});
  }
  if (name == "subject") return EnumChoices(v1::SubjectType_descriptor(), "SUBJECT_TYPE_");
  if (name == "hosting") return EnumChoices(v1::Hosting_descriptor(), "HOSTING_");
  if (name == "channel" && command != "recipients create" && command != "recipients update") {
    return EnumChoices(v1::ChannelType_descriptor(), "CHANNEL_TYPE_");
  }
  if (name == "state") return EnumChoices(v1::DeliveryState_descriptor(), "DELIVERY_STATE_");
  if (name == "role" && (command == "recipients create" || command == "recipients update")) {
    return {"manager"};
  }
  if (name == "role") return EnumChoices(v1::Role_descriptor(), "ROLE_");
  if (name == "language") return {"zh", "en"};
  if (name == "format") return {"text", "svg", "html", "mermaid"};
  if (name == "color") return {"auto", "always", "never"};
  if (name == "services") return {"notifier", "checklist", "notifier,checklist"};
  for (absl::string_view flag : {"payments", "mini_game", "digest"}) {
    if (name == flag) return {"true", "false"};
  }
  return {};
}

bool IsGroupPath(absl::string_view path) {
  if (path.empty()) return true;
  const std::string prefix = absl::StrCat(path, " ");
  for (const CommandSpec& command : Commands()) {
    if (absl::StartsWith(command.path, prefix)) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> ChildWords(absl::string_view path,
                                                            bool include_hidden) {
  std::vector<std::pair<std::string, std::string>> children;
  const std::string prefix = path.empty() ? "" : absl::StrCat(path, " ");
  for (const CommandSpec& command : Commands()) {
    absl::string_view rest = command.path;
    if ((command.hidden && !include_hidden) || !absl::ConsumePrefix(&rest, prefix)) continue;
    const size_t space = rest.find(' ');
    std::string word(rest.substr(0, space));
    if (std::any_of(children.begin(), children.end(),
                    [&](const auto& child) { return child.first == word; })) {
      continue;
    }
    const absl::string_view summary =
        space == absl::string_view::npos ? command.summary : GroupSummary(word);
    children.emplace_back(std::move(word), std::string(summary));
  }
  return children;
}

std::string FlagNameOfArgument(absl::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-') return "";
  if (arg[1] != '-') {
    for (const absl::string_view name : GlobalFlagNames()) {
      if (arg.size() == 2 && ShortFlag(name) == arg[1]) return std::string(name);
    }
    return std::string(arg.substr(1, 1));
  }
  arg.remove_prefix(2);
  return std::string(arg.substr(0, arg.find('=')));
}

const CommandSpec* FindCommand(absl::string_view path) {
  for (const CommandSpec& command : Commands()) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

absl::string_view GroupSummary(absl::string_view name) {
  for (const GroupSpec& group : Groups()) {
    if (group.name == name) return group.summary;
  }
  return "";
}

}  // namespace preflight::cli

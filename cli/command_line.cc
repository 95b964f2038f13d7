#include "cli/command_line.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/suggest.h"

namespace preflight::cli {
namespace {

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

// Stands for the empty value of "--name=" while CLI11 parses (a control character nobody types).
constexpr absl::string_view kEmptyValue = "\x1f";

bool Contains(const std::vector<absl::string_view>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsOptionalArgument(absl::string_view argument) { return absl::StartsWith(argument, "["); }

// "CODE" for "[CODE]".
std::string ArgumentName(absl::string_view argument) {
  absl::ConsumePrefix(&argument, "[");
  absl::ConsumeSuffix(&argument, "]");
  return std::string(argument);
}

size_t RequiredArguments(const CommandSpec& command) {
  return static_cast<size_t>(
      std::count_if(command.arguments.begin(), command.arguments.end(),
                    [](absl::string_view a) { return !IsOptionalArgument(a); }));
}

// The words that may follow `path`.
std::vector<std::string> ChildNames(absl::string_view path, bool include_hidden = false) {
  std::vector<std::string> names;
  for (auto& [word, summary] : ChildWords(path, include_hidden)) names.push_back(std::move(word));
  return names;
}

std::string Join(absl::string_view path, absl::string_view word) {
  return path.empty() ? std::string(word) : absl::StrCat(path, " ", word);
}

// "preflight launch show".
std::string Shown(absl::string_view path) {
  return path.empty() ? "preflight" : absl::StrCat("preflight ", path);
}

// Normalises a boolean flag value to "true" or "false".
absl::StatusOr<std::string> ParseBool(absl::string_view flag, absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower.empty() || lower == "true" || lower == "1" || lower == "yes") {
    return std::string("true");
  }
  if (lower == "false" || lower == "0" || lower == "no") return std::string("false");
  return Usage(absl::StrCat("--", flag, " expects true or false, got '", text, "'"));
}

// Whether the flag argument `arg` takes the next argument as its value ("--tenant acme").
bool TakesNextArgument(absl::string_view arg, absl::string_view command) {
  return !absl::StrContains(arg, '=') && FlagTakesValue(FlagNameOfArgument(arg), command);
}

// How far the words of `args` reach into the command tree: the deepest command or group they
// name, and the first word that named nothing (empty when none did).
std::pair<std::string, std::string> WalkWords(const std::vector<std::string>& args) {
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (absl::StartsWith(arg, "-") && arg != "-") {
      if (TakesNextArgument(arg, path)) ++i;
      continue;
    }
    if (!IsGroupPath(path)) break;
    const std::vector<std::string> children = ChildNames(path, /*include_hidden=*/true);
    if (std::find(children.begin(), children.end(), arg) == children.end()) return {path, arg};
    path = Join(path, arg);
  }
  return {path, ""};
}

std::string DidYouMean(const std::vector<std::string>& suggestions, absl::string_view prefix) {
  if (suggestions.empty()) return "";
  std::string text = "\n\nDid you mean this?";
  for (const std::string& suggestion : suggestions)
    absl::StrAppend(&text, "\n\t", prefix, suggestion);
  return text;
}

absl::Status UnknownCommand(absl::string_view path, absl::string_view word) {
  return Usage(absl::StrCat("unknown command '", word, "' for '", Shown(path), "'",
                            DidYouMean(Suggest(word, ChildNames(path)), ""), "\n\nRun '",
                            Shown(path), " --help' for the commands."));
}

// The flags `command` accepts, with the global ones.
std::vector<std::string> AcceptedFlags(const CommandSpec& command) {
  std::vector<std::string> names;
  for (absl::string_view name : command.flags) names.emplace_back(name);
  for (absl::string_view name : GlobalFlagNames()) {
    if (!IsHiddenFlag(name)) names.emplace_back(name);
  }
  return names;
}

absl::Status UnknownFlag(const CommandSpec& command, absl::string_view arg) {
  const std::string name = FlagNameOfArgument(arg);
  if (FindFlag(name) != nullptr) {
    return Usage(absl::StrCat("--", name, " does not apply to '", command.path, "'\n\nRun '",
                              Shown(command.path), " --help' for its flags."));
  }
  return Usage(absl::StrCat("unknown flag '", arg.substr(0, arg.find('=')), "' for '",
                            Shown(command.path), "'",
                            DidYouMean(Suggest(name, AcceptedFlags(command)), "--"), "\n\nRun '",
                            Shown(command.path), " --help' for its flags."));
}

// The command tree for CLI11: one subcommand per group and command word, the global flags on
// the root (inherited through fallthrough), each command's flags and positional arguments on
// its own node. Values are kept as text: requests.cc reads and checks them, naming the flag.
class Parser {
 public:
  Parser() : root_("", "preflight") {
    root_.set_help_flag();
    root_.allow_extras();
    root_.fallthrough();
    for (absl::string_view name : GlobalFlagNames()) AddFlag(&root_, "", name);
    for (const CommandSpec& command : Commands()) AddCommand(command);
  }

  // Parses `args` into `invocation` (whose help is already settled: see ParseCommandLine).
  absl::Status Parse(const std::vector<std::string>& args, Invocation* invocation) {
    // Words after "--" are positional arguments whatever they look like; CLI11 gets the rest.
    const auto end_of_flags = std::find(args.begin(), args.end(), "--");
    const std::vector<std::string> after(end_of_flags == args.end() ? args.end() : end_of_flags + 1,
                                         args.end());
    // CLI11 wants argv in reverse order, and reads "--name=" as a missing value: an empty value
    // clears a field here, so it travels as kEmptyValue.
    std::vector<std::string> reversed;
    for (auto arg = std::make_reverse_iterator(end_of_flags); arg != args.rend(); ++arg) {
      const bool empty_value = absl::StartsWith(*arg, "--") && absl::EndsWith(*arg, "=");
      reversed.push_back(empty_value ? absl::StrCat(*arg, kEmptyValue) : *arg);
    }
    try {
      root_.parse(reversed);
    } catch (const CLI::ParseError& e) {
      return Usage(e.what());
    }
    const CLI::App* app = &root_;
    while (!app->get_subcommands().empty()) app = app->get_subcommands().front();
    const std::string path = paths_.at(app);
    const CommandSpec* command = FindCommand(path);
    const std::vector<std::string> extras = root_.remaining(/*recurse=*/true);
    if (command == nullptr) {
      if (!extras.empty() && !absl::StartsWith(extras.front(), "-")) {
        return UnknownCommand(path, extras.front());
      }
      // A group alone (or nothing at all) asks for its help.
      invocation->help = true;
      invocation->help_path = path;
      return absl::OkStatus();
    }
    invocation->command = command;
    invocation->help_path = path;
    if (!extras.empty()) {
      if (absl::StartsWith(extras.front(), "-") && extras.front().size() > 1) {
        return UnknownFlag(*command, extras.front());
      }
      return Usage(
          absl::StrCat("unexpected argument '", extras.front(), "' for '", command->path, "'"));
    }
    for (CLI::Option* positional : positionals_[app]) {
      for (const std::string& value : positional->results()) invocation->arguments.push_back(value);
    }
    if (invocation->arguments.size() + after.size() > command->arguments.size()) {
      const size_t extra = command->arguments.size() - invocation->arguments.size();
      return Usage(
          absl::StrCat("unexpected argument '", after[extra], "' for '", command->path, "'"));
    }
    invocation->arguments.insert(invocation->arguments.end(), after.begin(), after.end());
    for (const auto& [name, option] : flags_[app]) {
      if (option->count() == 0) continue;
      const FlagSpec* flag = FindFlag(name, path);
      for (const std::string& value : option->results()) {
        std::string given = value == kEmptyValue ? "" : value;
        if (flag->IsBool()) {
          absl::StatusOr<std::string> normalised = ParseBool(name, value);
          if (!normalised.ok()) return normalised.status();
          given = *std::move(normalised);
        }
        invocation->flag_values[name].push_back(std::move(given));
      }
    }
    return absl::OkStatus();
  }

 private:
  CLI::App* Node(absl::string_view path) {
    auto found = nodes_.find(std::string(path));
    if (found != nodes_.end()) return found->second;
    const size_t space = path.rfind(' ');
    CLI::App* parent = space == absl::string_view::npos ? &root_ : Node(path.substr(0, space));
    const std::string word(space == absl::string_view::npos ? path : path.substr(space + 1));
    const CommandSpec* command = FindCommand(path);
    CLI::App* node = parent->add_subcommand(
        word, std::string(command != nullptr ? command->summary : GroupSummary(word)));
    nodes_.emplace(std::string(path), node);
    paths_.emplace(node, std::string(path));
    return node;
  }

  void AddFlag(CLI::App* app, absl::string_view command, absl::string_view name) {
    const FlagSpec* flag = FindFlag(name, command);
    std::string names = absl::StrCat("--", name);
    if (const char letter = ShortFlag(name); letter != 0) {
      names = absl::StrCat("-", std::string(1, letter), ",", names);
    }
    // Help comes from HelpText, so CLI11 needs no descriptions.
    CLI::Option* option =
        flag->IsBool() ? app->add_flag(names) : app->add_option(names)->expected(1);
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    flags_[app].emplace_back(std::string(name), option);
  }

  void AddCommand(const CommandSpec& command) {
    CLI::App* app = Node(command.path);
    for (absl::string_view argument : command.arguments) {
      positionals_[app].push_back(app->add_option(ArgumentName(argument), "")->expected(1));
    }
    for (absl::string_view name : command.flags) AddFlag(app, command.path, name);
    // A command's flags shadow the global ones, but the global ones still reach it through the
    // root; record them for this node so the invocation holds every flag given.
    for (auto& [name, option] : flags_[&root_]) {
      if (!Contains(command.flags, name)) flags_[app].emplace_back(name, option);
    }
  }

  CLI::App root_;
  std::map<std::string, CLI::App*> nodes_;
  std::map<const CLI::App*, std::string> paths_ = {{&root_, ""}};
  std::map<const CLI::App*, std::vector<CLI::Option*>> positionals_;
  std::map<const CLI::App*, std::vector<std::pair<std::string, CLI::Option*>>> flags_;
};

// Checks what CLI11 leaves to the program: argument counts, required and repeated flags.
absl::Status CheckInvocation(const Invocation& invocation) {
  const CommandSpec& command = *invocation.command;
  if (invocation.arguments.size() < RequiredArguments(command)) {
    return Usage(absl::StrCat("'", command.path, "' needs ",
                              command.arguments[invocation.arguments.size()], "\n\nRun '",
                              Shown(command.path), " --help' for its usage."));
  }
  for (const std::string& argument : invocation.arguments) {
    if (argument.empty()) return Usage(absl::StrCat("empty argument for '", command.path, "'"));
  }
  for (const auto& [name, values] : invocation.flag_values) {
    if (values.size() > 1 && !Contains(command.repeatable_flags, name)) {
      return Usage(absl::StrCat("--", name, " given more than once"));
    }
  }
  for (absl::string_view name : command.required_flags) {
    // A context's default tenant may still supply --tenant: CheckRequiredFlags runs after it.
    if (name == "tenant") continue;
    if (!invocation.Has(name) || invocation.Get(name).empty()) {
      return Usage(absl::StrCat("'", command.path, "' needs --", name, "=",
                                FindFlag(name, command.path)->value));
    }
  }
  return absl::OkStatus();
}

std::string FlagUsage(const FlagSpec& flag) {
  std::string text;
  if (const char letter = ShortFlag(flag.name); letter != 0) {
    text = absl::StrCat("-", std::string(1, letter), ", ");
  }
  absl::StrAppend(&text, "--", flag.name);
  if (!flag.IsBool()) absl::StrAppend(&text, "=", flag.value);
  return text;
}

// "preflight launch create --tenant=TENANT ... [flags]", wrapped to the help's width.
std::string CommandLine(const CommandSpec& command) {
  std::vector<std::string> words = {Shown(command.path)};
  for (absl::string_view argument : command.arguments) words.emplace_back(argument);
  for (absl::string_view name : command.required_flags) {
    words.push_back(FlagUsage(*FindFlag(name, command.path)));
  }
  words.emplace_back("[flags]");
  std::string line;
  size_t used = 2;  // the usage line's indent
  for (const std::string& word : words) {
    if (!line.empty() && used + 1 + word.size() > 100) {
      absl::StrAppend(&line, "\n      ");
      used = 6;
    } else if (!line.empty()) {
      line += ' ';
      ++used;
    }
    line += word;
    used += word.size();
  }
  return line;
}

// Help fits an 80-column terminal's wider cousins; longer descriptions wrap under themselves.
constexpr size_t kHelpWidth = 100;

// Two columns, the first padded to its widest entry, the second wrapped at spaces.
std::string Columns(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  const size_t indent = width + 4;
  const size_t room = kHelpWidth > indent + 30 ? kHelpWidth - indent : 30;
  std::string text;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&text, "  ", left, std::string(width - left.size() + 2, ' '));
    size_t used = 0;
    for (absl::string_view word : absl::StrSplit(right, ' ', absl::SkipEmpty())) {
      if (used > 0 && used + 1 + word.size() > room) {
        absl::StrAppend(&text, "\n", std::string(indent, ' '));
        used = 0;
      } else if (used > 0) {
        text += ' ';
        ++used;
      }
      absl::StrAppend(&text, word);
      used += word.size();
    }
    text += '\n';
  }
  return text;
}

std::string FlagRows(const std::vector<absl::string_view>& names, absl::string_view path) {
  const CommandSpec* command = FindCommand(path);
  std::vector<std::pair<std::string, std::string>> rows;
  for (absl::string_view name : names) {
    if (IsHiddenFlag(name)) continue;
    const FlagSpec* flag = FindFlag(name, path);
    std::string help(flag->help);
    if (command != nullptr && Contains(command->required_flags, name)) {
      help = absl::StrCat("required: ", help);
    }
    if (command != nullptr && Contains(command->repeatable_flags, name) &&
        !absl::StrContains(help, "repeat")) {
      absl::StrAppend(&help, " (repeatable)");
    }
    rows.emplace_back(FlagUsage(*flag), std::move(help));
  }
  return Columns(rows);
}

constexpr absl::string_view kNamesNote =
    "LAUNCH is \"launches/ID\" or just ID. ITEM is \"launches/ID/items/CODE\", or LAUNCH CODE as "
    "two\n"
    "words; codes are case-insensitive. ID and RECIPIENT are \"recipients/ID\" or just ID (a\n"
    "recipient without a tenant), or \"tenants/TENANT/recipients/ID\". Dates are YYYY-MM-DD.\n";

constexpr absl::string_view kExitCodesNote =
    "Exit codes: 0 success; 1 the service refused, failed or could not be reached; 2 usage error;\n"
    "3 the answer is no (readiness --exit_code: not ready; notify test: not delivered yet).\n";

std::string RootHelp() {
  std::string text =
      "preflight: the qualifications a WeChat mini program needs before launch, their schedule\n"
      "in Chinese working days, and the reminders about them.\n\nUsage:\n  preflight COMMAND "
      "[ARGS] [flags]\n";
  const std::pair<Service, absl::string_view> sections[] = {
      {Service::kChecklist, "Checklist service commands (--server):"},
      {Service::kNotifier, "Notifier service commands (--notifier):"},
      {Service::kAuth, "Access commands (--server, with --token_file or $PREFLIGHT_TOKEN):"},
      {Service::kAdmin, "Operator commands (--server and --notifier; an admin of all tenants):"},
      {Service::kLocal, "Local commands:"},
  };
  for (const auto& [service, title] : sections) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const CommandSpec& command : Commands()) {
      if (command.service != service || command.hidden) continue;
      std::string line(command.path);
      for (absl::string_view argument : command.arguments) absl::StrAppend(&line, " ", argument);
      rows.emplace_back(std::move(line), std::string(command.summary));
    }
    absl::StrAppend(&text, "\n", title, "\n", Columns(rows));
  }
  absl::StrAppend(&text, "\nGlobal flags (anywhere on the line):\n",
                  FlagRows(GlobalFlagNames(), ""), "\n", kNamesNote, kExitCodesNote,
                  "Run 'preflight help COMMAND' or 'preflight COMMAND --help' for a command's\n"
                  "flags; docs/cli.md has examples.\n");
  return text;
}

std::string GroupHelp(absl::string_view path) {
  std::string text = absl::StrCat(GroupSummary(path), "\n\nUsage:\n  ", Shown(path),
                                  " COMMAND [ARGS] [flags]\n\nCommands:\n");
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CommandSpec& command : Commands()) {
    absl::string_view rest = command.path;
    if (command.hidden || !absl::ConsumePrefix(&rest, absl::StrCat(path, " "))) continue;
    std::string line(rest);
    for (absl::string_view argument : command.arguments) absl::StrAppend(&line, " ", argument);
    rows.emplace_back(std::move(line), std::string(command.summary));
  }
  absl::StrAppend(&text, Columns(rows), "\nRun '", Shown(path),
                  " COMMAND --help' for a command's flags, 'preflight --help' for the\n"
                  "global flags.\n");
  return text;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string text = absl::StrCat(command.summary, "\n\nUsage:\n  ", CommandLine(command), "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&text, "\nFlags:\n", FlagRows(command.flags, command.path));
  }
  std::vector<absl::string_view> globals;
  for (absl::string_view name : GlobalFlagNames()) {
    if (!Contains(command.flags, name)) globals.push_back(name);
  }
  absl::StrAppend(&text, "\nGlobal flags:\n", FlagRows(globals, ""));
  if (!command.arguments.empty()) absl::StrAppend(&text, "\n", kNamesNote);
  return text;
}

}  // namespace

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

void Invocation::SetDefault(absl::string_view flag, absl::string_view value) {
  if (Has(flag)) return;
  flags.emplace(std::string(flag), std::string(value));
  flag_values[std::string(flag)] = {std::string(value)};
}

namespace {

// kubectl and git spell flags with dashes (--no-headers, --exit-code); these are --no_headers and
// --exit_code here. A dashed spelling of a known flag is read as that flag.
std::vector<std::string> WithUnderscoredFlags(const std::vector<std::string>& given) {
  std::vector<std::string> args;
  bool flags_ended = false;
  for (const std::string& arg : given) {
    flags_ended = flags_ended || arg == "--";
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    if (flags_ended || !absl::StartsWith(name, "--") ||
        (!absl::StrContains(name.substr(2), '-') && name != "--takes_payments")) {
      args.push_back(arg);
      continue;
    }
    std::string underscored = name.substr(2);
    std::replace(underscored.begin(), underscored.end(), '-', '_');
    // The API's name for --payments (LaunchProfile.takes_payments).
    if (underscored == "takes_payments") underscored = "payments";
    args.push_back(FindFlag(underscored) == nullptr
                       ? arg
                       : absl::StrCat("--", underscored,
                                      equals == std::string::npos ? "" : arg.substr(equals)));
  }
  return args;
}

}  // namespace

absl::Status ParseCommandLine(const std::vector<std::string>& given, Invocation* result) {
  *result = Invocation();
  Invocation& invocation = *result;
  const std::vector<std::string> args = WithUnderscoredFlags(given);
  const auto [path, unknown] = WalkWords(args);
  // `preflight help [COMMAND...]`.
  if (!args.empty() && args[0] == "help") {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const auto [help_path, help_unknown] = WalkWords(rest);
    if (!help_unknown.empty()) return UnknownCommand(help_path, help_unknown);
    invocation.help = true;
    invocation.help_path = help_path;
    invocation.command = FindCommand(help_path);
    return absl::OkStatus();
  }
  // --help anywhere before "--" wins over every other error.
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help" || arg == "--help=true") {
      if (!unknown.empty()) return UnknownCommand(path, unknown);
      invocation.help = true;
      invocation.help_path = path;
      invocation.command = FindCommand(path);
      return absl::OkStatus();
    }
  }
  if (!unknown.empty()) return UnknownCommand(path, unknown);
  // A value-taking flag at the very end has no value; say so in the flag's own terms.
  if (!args.empty() && TakesNextArgument(args.back(), path) && args.back() != "--") {
    const std::string name = FlagNameOfArgument(args.back());
    invocation.help_path = path;
    return Usage(
        absl::StrCat("--", name, " needs a value: --", name, "=", FindFlag(name, path)->value));
  }
  Parser parser;
  if (absl::Status parsed = parser.Parse(args, &invocation); !parsed.ok()) {
    if (invocation.help_path.empty()) invocation.help_path = path;
    return parsed;
  }
  for (const auto& [name, values] : invocation.flag_values) invocation.flags[name] = values.front();
  if (invocation.help || invocation.command == nullptr) return absl::OkStatus();
  return CheckInvocation(invocation);
}

absl::Status CheckRequiredFlags(const Invocation& invocation) {
  if (invocation.command == nullptr) return absl::OkStatus();
  for (absl::string_view name : invocation.command->required_flags) {
    if (!invocation.Has(name) || invocation.Get(name).empty()) {
      return Usage(absl::StrCat("'", invocation.command->path, "' needs --", name, "=",
                                FindFlag(name, invocation.command->path)->value));
    }
  }
  return absl::OkStatus();
}

std::string HelpText(absl::string_view path) {
  if (path.empty()) return RootHelp();
  if (const CommandSpec* command = FindCommand(path); command != nullptr) {
    return CommandHelp(*command);
  }
  return GroupHelp(path);
}

}  // namespace preflight::cli

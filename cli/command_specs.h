#pragma once

// What the `preflight` command line is made of, as data: every command with its arguments and
// flags, every flag with its help, the command groups, and the values a flag takes. The parser
// (command_line.cc), the help text and shell completion all read these tables, so a command or
// flag is declared once.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace preflight::cli {

// The service a command calls.
// kAuth is the checklist service's AuthService (also at --server).
// kAdmin is the AdminService, which both services serve.
// kLocal commands call no service (config, completion, version).
enum class Service { kChecklist, kNotifier, kAuth, kAdmin, kLocal };

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
  // Left out of help and completion (the completion engine itself).
  bool hidden = false;
};

struct FlagSpec {
  absl::string_view name;
  // Empty for boolean flags, else how usage text names the value, e.g. "DATE".
  absl::string_view value;
  absl::string_view help;
  // Set on a variant of a flag whose value these commands read differently; their help shows
  // the variant. Variants agree with the general entry on being boolean or not.
  std::vector<absl::string_view> commands = {};
  bool IsBool() const { return value.empty(); }
};

// A word that groups commands ("launch" for "launch create", "launch list", ...).
struct GroupSpec {
  absl::string_view name;
  absl::string_view summary;
};

// Every command, in the order help lists them.
const std::vector<CommandSpec>& Commands();
const std::vector<GroupSpec>& Groups();
// The flags every command accepts, in the order help lists them.
const std::vector<absl::string_view>& GlobalFlagNames();
bool IsGlobalFlag(absl::string_view name);
// Global flags that help does not list (kept for scripts written before them: --json).
bool IsHiddenFlag(absl::string_view name);

// The flag `name` as `command` reads it (its variant for the command if it has one); any command
// when `command` is empty. Null for an unknown flag.
const FlagSpec* FindFlag(absl::string_view name, absl::string_view command = "");
// Whether flag `name` of `command` is known and takes a value (is not boolean).
bool FlagTakesValue(absl::string_view name, absl::string_view command = "");
// The one-letter form of a flag ('o' for --output), or 0.
char ShortFlag(absl::string_view name);
// The values a flag takes, for completion ("table", "wide", ... for --output); empty for free
// text. Enumerations come from the API's enums, so they never drift from the protos.
std::vector<std::string> FlagChoices(absl::string_view name, absl::string_view command = "");

// Whether `path` ("" for the program, "launch", ...) has commands below it.
bool IsGroupPath(absl::string_view path);
// The words that may follow `path`, each with its summary (a command's, or its group's), in help
// order; hidden commands only with `include_hidden`.
std::vector<std::pair<std::string, std::string>> ChildWords(absl::string_view path,
                                                            bool include_hidden = false);
// The flag an argument spells: "output" for "-o", "--output" and "--output=json"; the letter of
// an unknown one-letter flag; empty for an argument that is not a flag.
std::string FlagNameOfArgument(absl::string_view arg);

// The command with exactly this path, or null.
const CommandSpec* FindCommand(absl::string_view path);
// The group's summary, or empty for a word that is not a group.
absl::string_view GroupSummary(absl::string_view name);

}  // namespace preflight::cli

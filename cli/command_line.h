#pragma once

// Parsing of the `preflight` command line with CLI11: nested commands (command_specs.h declares
// them), global flags anywhere on the line, help at every level, "did you mean" for typos. The
// result is an Invocation: the command, its positional arguments, and exactly the flags given
// (update commands turn them into the update mask).

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cli/command_specs.h"

namespace preflight::cli {

// A parsed command line. Only flags given on the command line are present in `flags`; a boolean
// flag given bare ("--payments") holds "true".
struct Invocation {
  // Null when only help was asked for, or for a group without its command.
  const CommandSpec* command = nullptr;
  // Positional arguments after the command words, one per CommandSpec::arguments given.
  std::vector<std::string> arguments;
  // The first value of each flag given.
  std::map<std::string, std::string, std::less<>> flags;
  // Every value of each flag given, in command line order; only repeatable flags have several.
  std::map<std::string, std::vector<std::string>, std::less<>> flag_values;
  // Help was asked for (--help, -h, `help ...`, or a group word alone): for `help_path`, a
  // command, a group, or "" for the whole program.
  bool help = false;
  std::string help_path;

  bool Has(absl::string_view flag) const { return flags.find(flag) != flags.end(); }
  // The flag's value, or `fallback` when it was not given.
  std::string Get(absl::string_view flag, absl::string_view fallback = "") const;
  // Every value the flag was given, empty when it was not.
  std::vector<std::string> GetAll(absl::string_view flag) const;
  // The flag as a boolean ("true"/"false"; validated at parse time), or `fallback`.
  bool GetBool(absl::string_view flag, bool fallback = false) const;
  // Sets a flag as if given (a context's default tenant, say); a flag given wins.
  void SetDefault(absl::string_view flag, absl::string_view value);
};

// Parses `args` (without the program name) into `invocation`. Every error is a usage error
// (INVALID_ARGUMENT) whose message is fit to show the user: a line, and for a typo the commands
// or flags it may have meant. `invocation->help_path` then names the command (or group) whose
// help the user should read.
absl::Status ParseCommandLine(const std::vector<std::string>& args, Invocation* invocation);

// The command's required flags are all given, and not empty. ParseCommandLine checks them all
// but --tenant, which a context may supply (ApplyContextDefaults): the caller checks again after.
absl::Status CheckRequiredFlags(const Invocation& invocation);

// Help for a command, a group, or "" for the whole program.
std::string HelpText(absl::string_view path);

}  // namespace preflight::cli

#include "cli/completion.h"

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/command_specs.h"
#include "cli/config_file.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kBash = R"(# bash completion for preflight.
# Load it in this shell:      source <(preflight completion bash)
# Or for every new shell:     preflight completion bash > /etc/bash_completion.d/preflight
_preflight() {
  local candidates
  candidates=$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  local IFS=$'\n'
  COMPREPLY=($(printf '%s\n' "$candidates" | cut -f1))
  # A flag that takes a value: no space after it, so its value can follow.
  if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == --*= ]]; then compopt -o nospace; fi
}
complete -o default -F _preflight preflight
)";

constexpr absl::string_view kZsh = R"(#compdef preflight
# zsh completion for preflight.
# Load it in this shell:      source <(preflight completion zsh)   (after compinit)
# Or for every new shell:     preflight completion zsh > "${fpath[1]}/_preflight"
_preflight() {
  local -a lines described
  local line value description
  lines=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "${lines[@]}"; do
    [[ -z $line ]] && continue
    value=${line%%$'\t'*}
    description=${line#*$'\t'}
    [[ $description == "$line" ]] && description=""
    described+=("${value//:/\\:}:${description}")
  done
  _describe -t preflight 'preflight' described -Q
}
if (( $+functions[compdef] )); then compdef _preflight preflight; fi
)";

constexpr absl::string_view kFish = R"(# fish completion for preflight.
# Load it in this shell:      preflight completion fish | source
# Or for every new shell:     preflight completion fish > ~/.config/fish/completions/preflight.fish
function __preflight_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l program (commandline -opc)[1]
    $program __complete $words (commandline -ct) 2>/dev/null
end
complete -c preflight -f -a '(__preflight_complete)'
)";

std::vector<std::string> ContextNames(const Environment& env) {
  std::vector<std::string> names;
  if (env.getenv == nullptr) return names;
  absl::StatusOr<ConfigFile> config = LoadConfig(ConfigPath(env.getenv));
  if (!config.ok()) return names;
  for (const Context& context : config->contexts) names.push_back(context.name);
  return names;
}

// The values flag `name` of `path` takes.
std::vector<std::string> Values(absl::string_view name, absl::string_view path,
                                const Environment& env) {
  if (name == "context") return ContextNames(env);
  return FlagChoices(name, path);
}

// The flags `path` accepts: its own, then the global ones.
std::vector<std::pair<std::string, std::string>> FlagsOf(absl::string_view path) {
  std::vector<absl::string_view> names;
  if (const CommandSpec* command = FindCommand(path); command != nullptr) {
    names = command->flags;
  }
  for (absl::string_view name : GlobalFlagNames()) {
    if (!IsHiddenFlag(name) && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  std::vector<std::pair<std::string, std::string>> flags;
  for (absl::string_view name : names) {
    const FlagSpec* flag = FindFlag(name, path);
    flags.emplace_back(absl::StrCat("--", name, flag->IsBool() ? "" : "="),
                       std::string(flag->help));
  }
  return flags;
}

std::string Lines(const std::vector<std::pair<std::string, std::string>>& candidates,
                  absl::string_view prefix) {
  std::string out;
  for (const auto& [candidate, description] : candidates) {
    if (!absl::StartsWith(candidate, prefix)) continue;
    // A description is one line: a tab or newline would break the protocol.
    std::string text = description;
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
    absl::StrAppend(&out, candidate, "\t", text, "\n");
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Plain(const std::vector<std::string>& values,
                                                       absl::string_view prefix = "") {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& value : values) out.emplace_back(absl::StrCat(prefix, value), "");
  return out;
}

}  // namespace

absl::StatusOr<std::string> CompletionScript(absl::string_view shell) {
  if (shell == "bash") return std::string(kBash);
  if (shell == "zsh") return std::string(kZsh);
  if (shell == "fish") return std::string(kFish);
  return absl::InvalidArgumentError(
      absl::StrCat("completion: unknown shell '", shell, "' (bash, zsh, fish)"));
}

std::string CompletionCandidates(const std::vector<std::string>& words, const Environment& env) {
  std::vector<std::string> done(words.begin(), words.end() - (words.empty() ? 0 : 1));
  std::string current = words.empty() ? "" : words.back();
  // Bash's "--flag=value" arrives as "--flag", "=", "value": the value is what is completed.
  std::optional<std::string> split_flag;
  if (current == "=" && !done.empty()) {
    split_flag = FlagNameOfArgument(done.back());
    done.pop_back();
    current.clear();
  } else if (done.size() >= 2 && done.back() == "=") {
    split_flag = FlagNameOfArgument(done[done.size() - 2]);
    done.resize(done.size() - 2);
  }

  std::string path;
  std::string awaiting_value;
  size_t arguments = 0;
  for (size_t i = 0; i < done.size(); ++i) {
    const std::string& word = done[i];
    if (!awaiting_value.empty()) {
      awaiting_value.clear();
      continue;
    }
    if (word == "=") {
      // The rest of a split "--flag=value": its value follows.
      if (i + 1 < done.size()) ++i;
      continue;
    }
    if (absl::StartsWith(word, "-") && word.size() > 1) {
      const std::string name = FlagNameOfArgument(word);
      if (!absl::StrContains(word, '=') && FlagTakesValue(name, path) &&
          !(i + 1 < done.size() && done[i + 1] == "=")) {
        awaiting_value = name;
      }
      continue;
    }
    if (IsGroupPath(path)) {
      const auto children = ChildWords(path);
      if (std::any_of(children.begin(), children.end(),
                      [&](const auto& child) { return child.first == word; })) {
        path = path.empty() ? word : absl::StrCat(path, " ", word);
        continue;
      }
    }
    ++arguments;
  }

  if (split_flag.has_value()) return Lines(Plain(Values(*split_flag, path, env)), current);
  if (!awaiting_value.empty()) return Lines(Plain(Values(awaiting_value, path, env)), current);
  if (absl::StartsWith(current, "-")) {
    if (const size_t equals = current.find('='); equals != std::string::npos) {
      const std::string name = FlagNameOfArgument(current);
      return Lines(Plain(Values(name, path, env), current.substr(0, equals + 1)), current);
    }
    return Lines(FlagsOf(path), current);
  }
  if (IsGroupPath(path) && FindCommand(path) == nullptr) return Lines(ChildWords(path), current);
  if (arguments == 0) {
    if (path == "completion") return Lines(Plain({"bash", "zsh", "fish"}), current);
    if (path == "config use-context" || path == "config delete-context" ||
        path == "config set-context") {
      return Lines(Plain(ContextNames(env)), current);
    }
  }
  return "";
}

}  // namespace preflight::cli

#include "cli/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli/yaml_scalar.h"
#include "common/error_text.h"
#include "yaml-cpp/yaml.h"

namespace preflight::cli {
namespace {

constexpr absl::string_view kCurrentContextKey = "current-context";
constexpr absl::string_view kContextsKey = "contexts";
constexpr absl::string_view kNameKey = "name";

// Levenshtein distance, for "did you mean".
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Keys are compared ignoring case and '-' versus '_', so "tls-ca" and "TLS_CA" find tls_ca.
std::string NormalizeKey(absl::string_view key) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(key), {{"-", "_"}});
}

// " (did you mean 'server'?)" for the nearest of `known`, or "" when none is close.
std::string Suggestion(absl::string_view key, const std::vector<absl::string_view>& known) {
  const std::string normalized = NormalizeKey(key);
  const size_t limit = normalized.size() <= 3 ? 1 : 2;
  absl::string_view best;
  size_t best_distance = limit + 1;
  for (absl::string_view candidate : known) {
    const size_t distance = EditDistance(normalized, NormalizeKey(candidate));
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best.empty()) return "";
  return absl::StrCat(" (did you mean '", best, "'?)");
}

// "context 'prod'", or "context #2" for one without a name.
std::string DescribeContext(const Context& context, size_t index) {
  if (context.name.empty()) return absl::StrCat("context #", index + 1);
  return absl::StrCat("context ", QuoteForError(context.name));
}

const std::vector<absl::string_view>& KnownContextEntryKeys() {
  static const auto* const keys = [] {
    auto* keys = new std::vector<absl::string_view>{kNameKey};
    keys->insert(keys->end(), ContextKeys().begin(), ContextKeys().end());
    return keys;
  }();
  return *keys;
}

// What both LoadConfig and SaveConfig insist on, so that whatever is saved loads again.
absl::Status CheckConfig(const ConfigFile& config, const std::string& path) {
  std::set<absl::string_view> names;
  for (size_t i = 0; i < config.contexts.size(); ++i) {
    const Context& context = config.contexts[i];
    if (context.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(DescribeContext(context, i), " of ", path, " has no name"));
    }
    if (!names.insert(context.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two contexts are named ", QuoteForError(context.name), " in ", path));
    }
    for (const auto& [key, value] : context.settings) {
      if (std::find(ContextKeys().begin(), ContextKeys().end(), key) == ContextKeys().end()) {
        return absl::InvalidArgumentError(absl::StrCat("unknown key ", QuoteForError(key), " in ",
                                                       DescribeContext(context, i), " of ", path,
                                                       Suggestion(key, KnownContextEntryKeys())));
      }
    }
  }
  if (!config.current_context.empty() && names.count(config.current_context) == 0) {
    return absl::InvalidArgumentError(absl::StrCat("current-context ",
                                                   QuoteForError(config.current_context), " of ",
                                                   path, " names no context"));
  }
  return absl::OkStatus();
}

// The text of a scalar node; `what` describes it for the error ("'server' in context 'prod'").
absl::StatusOr<std::string> ScalarText(const YAML::Node& node, const std::string& what,
                                       const std::string& path) {
  if (!node.IsScalar()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " of ", path, " is not a string (line ", node.Mark().line + 1, ")"));
  }
  return node.Scalar();
}

absl::StatusOr<Context> ParseContext(const YAML::Node& node, size_t index,
                                     const std::string& path) {
  Context context;
  if (!node.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat("context #", index + 1, " of ", path,
                                                   " is not a map of keys (line ",
                                                   node.Mark().line + 1, ")"));
  }
  // The name first, so that errors about the other keys can say which context they are in.
  if (const YAML::Node name = node[std::string(kNameKey)]; name) {
    absl::StatusOr<std::string> text =
        ScalarText(name, absl::StrCat("the name of context #", index + 1), path);
    if (!text.ok()) return text.status();
    context.name = *std::move(text);
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    absl::StatusOr<std::string> key =
        ScalarText(entry.first, absl::StrCat("a key of ", DescribeContext(context, index)), path);
    if (!key.ok()) return key.status();
    if (!seen.insert(*key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("key ", QuoteForError(*key), " appears twice in ",
                       DescribeContext(context, index), " of ", path));
    }
    if (*key == kNameKey) continue;
    absl::StatusOr<std::string> value = ScalarText(
        entry.second, absl::StrCat(QuoteForError(*key), " in ", DescribeContext(context, index)),
        path);
    if (!value.ok()) return value.status();
    context.settings.emplace(*std::move(key), *std::move(value));
  }
  return context;
}

absl::StatusOr<ConfigFile> ParseConfig(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("cannot parse ", path, ": line ",
                                                   e.mark.line + 1, ", column ", e.mark.column + 1,
                                                   ": ", e.msg));
  }
  ConfigFile config;
  // An empty file (or one of comments only) is an empty config.
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a map of keys (current-context, contexts)"));
  }
  static const std::vector<absl::string_view> kTopKeys = {kCurrentContextKey, kContextsKey};
  std::set<std::string> seen;
  for (const auto& entry : root) {
    absl::StatusOr<std::string> key = ScalarText(entry.first, "a key", path);
    if (!key.ok()) return key.status();
    if (!seen.insert(*key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("key ", QuoteForError(*key), " appears twice in ", path));
    }
    if (*key == kCurrentContextKey) {
      absl::StatusOr<std::string> value = ScalarText(entry.second, "current-context", path);
      if (!value.ok()) return value.status();
      config.current_context = *std::move(value);
    } else if (*key == kContextsKey) {
      // "contexts:" with nothing after it is an empty list.
      if (entry.second.IsNull()) continue;
      if (!entry.second.IsSequence()) {
        return absl::InvalidArgumentError(absl::StrCat("contexts of ", path, " is not a list"));
      }
      for (size_t i = 0; i < entry.second.size(); ++i) {
        absl::StatusOr<Context> context = ParseContext(entry.second[i], i, path);
        if (!context.ok()) return context.status();
        config.contexts.push_back(*std::move(context));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown key ", QuoteForError(*key), " in ",
                                                     path, Suggestion(*key, kTopKeys)));
    }
  }
  if (absl::Status status = CheckConfig(config, path); !status.ok()) return status;
  return config;
}

std::string EmitConfig(const ConfigFile& config) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  if (!config.current_context.empty()) {
    out << YAML::Key << std::string(kCurrentContextKey) << YAML::Value;
    EmitYamlString(out, config.current_context);
  }
  if (!config.contexts.empty()) {
    out << YAML::Key << std::string(kContextsKey) << YAML::Value << YAML::BeginSeq;
    for (const Context& context : config.contexts) {
      out << YAML::BeginMap << YAML::Key << std::string(kNameKey) << YAML::Value;
      EmitYamlString(out, context.name);
      for (absl::string_view key : ContextKeys()) {
        const auto it = context.settings.find(key);
        if (it == context.settings.end()) continue;
        out << YAML::Key << std::string(key) << YAML::Value;
        EmitYamlString(out, it->second);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return absl::StrCat(out.c_str(), "\n");
}

// Reads errno first: building the message may allocate, which may set errno.
absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  const int error = errno;
  return absl::ErrnoToStatus(error, absl::StrCat(what, " ", path));
}

// mkdir -p with mode 0700 for the folders it creates; existing ones are left as they are.
absl::Status MakeParentDirs(const std::filesystem::path& dir) {
  std::filesystem::path prefix;
  for (const std::filesystem::path& part : dir) {
    prefix /= part;
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoError("cannot create", prefix.string());
    }
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t written = write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "write");
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<absl::string_view>& ContextKeys() {
  static const auto* const keys = new std::vector<absl::string_view>{
      "server",          "notifier",   "tls_ca", "tls_cert", "tls_key",
      "tls_server_name", "token_file", "tenant", "actor",    "timeout"};
  return *keys;
}

const Context* ConfigFile::Find(absl::string_view name) const {
  for (const Context& context : contexts) {
    if (context.name == name) return &context;
  }
  return nullptr;
}

Context* ConfigFile::FindOrAdd(absl::string_view name) {
  for (Context& context : contexts) {
    if (context.name == name) return &context;
  }
  contexts.push_back(Context{std::string(name), {}});
  return &contexts.back();
}

bool ConfigFile::Remove(absl::string_view name) {
  const auto it = std::find_if(contexts.begin(), contexts.end(),
                               [name](const Context& context) { return context.name == name; });
  if (it == contexts.end()) return false;
  contexts.erase(it);
  if (current_context == name) current_context.clear();
  return true;
}

Getenv ProcessEnvironment() {
  return [](absl::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string ConfigPath(const Getenv& env) {
  constexpr absl::string_view kFile = "preflight/config.yaml";
  if (std::optional<std::string> path = env("PREFLIGHT_CONFIG"); path && !path->empty()) {
    return *std::move(path);
  }
  if (std::optional<std::string> xdg = env("XDG_CONFIG_HOME"); xdg && absl::StartsWith(*xdg, "/")) {
    return absl::StrCat(*xdg, "/", kFile);
  }
  if (std::optional<std::string> home = env("HOME"); home && !home->empty()) {
    return absl::StrCat(*home, "/.config/", kFile);
  }
  return "";
}

absl::StatusOr<ConfigFile> LoadConfig(const std::string& path) {
  if (path.empty()) return ConfigFile();
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return ConfigFile();
    return ErrnoError("cannot read", path);
  }
  std::string text;
  char buffer[8192];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const absl::Status status = ErrnoError("cannot read", path);
      close(fd);
      return status;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  close(fd);
  return ParseConfig(text, path);
}

absl::Status SaveConfig(const std::string& path, const ConfigFile& config) {
  if (path.empty()) {
    return absl::FailedPreconditionError(
        "no config file path: set $PREFLIGHT_CONFIG, $XDG_CONFIG_HOME or $HOME");
  }
  if (absl::Status status = CheckConfig(config, path); !status.ok()) return status;
  // Through a symbolic link (a config kept with the user's dotfiles), the file it points to is
  // replaced, not the link.
  std::filesystem::path target = path;
  std::error_code error;
  if (std::filesystem::is_symlink(target, error)) {
    target = std::filesystem::weakly_canonical(target, error);
    if (error)
      return absl::FailedPreconditionError(
          absl::StrCat("cannot resolve ", path, ": ", error.message()));
  }
  const std::filesystem::path dir =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (absl::Status status = MakeParentDirs(dir); !status.ok()) return status;

  // mkstemp creates the file with mode 0600, whatever the umask.
  std::string temp = (dir / absl::StrCat(".", target.filename().string(), ".XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) return ErrnoError("cannot write", path);
  absl::Status status = WriteAll(fd, EmitConfig(config));
  if (status.ok() && fsync(fd) != 0) status = absl::ErrnoToStatus(errno, "fsync");
  if (close(fd) != 0 && status.ok()) status = absl::ErrnoToStatus(errno, "close");
  if (status.ok() && rename(temp.c_str(), target.c_str()) != 0) {
    status = absl::ErrnoToStatus(errno, "rename");
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return absl::Status(status.code(), absl::StrCat("cannot write ", path, ": ", status.message()));
  }
  // The rename lasts once the folder is synced; the file is in place either way, so a failure
  // here is not reported.
  if (const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

std::string ExpandHome(absl::string_view path, const Getenv& env) {
  if (path != "~" && !absl::StartsWith(path, "~/")) return std::string(path);
  const std::optional<std::string> home = env("HOME");
  if (!home || home->empty()) return std::string(path);
  path.remove_prefix(1);
  return absl::StrCat(*home, path);
}

bool IsPathKey(absl::string_view key) {
  return key == "token_file" || key == "tls_ca" || key == "tls_cert" || key == "tls_key";
}

Context ExpandPaths(const Context& context, const Getenv& env) {
  Context expanded = context;
  for (auto& [key, value] : expanded.settings) {
    if (IsPathKey(key)) value = ExpandHome(value, env);
  }
  return expanded;
}

}  // namespace preflight::cli

#pragma once

// The CLI's config file: named contexts, each a set of defaults for the global flags, and the
// current one, as in a kubeconfig.
//
//   current-context: prod
//   contexts:
//     - name: prod
//       server: checklist.example.com:443
//       token_file: ~/.config/preflight/prod.token
//
// The file holds what the user wrote: "~/" stays in it and is expanded only when a context is
// used (ExpandPaths), so saving the file back does not rewrite the user's paths.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace preflight::cli {

// The keys a context may set, in the order the file lists them: exactly the names of the global
// flags they are defaults for.
const std::vector<absl::string_view>& ContextKeys();

struct Context {
  std::string name;
  // Keys from ContextKeys(); a key that is absent is unset (an empty value is set, to "").
  std::map<std::string, std::string, std::less<>> settings;

  friend bool operator==(const Context& a, const Context& b) {
    return a.name == b.name && a.settings == b.settings;
  }
  friend bool operator!=(const Context& a, const Context& b) { return !(a == b); }
};

struct ConfigFile {
  // Empty when no context is current.
  std::string current_context;
  // In the file's order.
  std::vector<Context> contexts;

  // The context named `name`, or nullptr.
  const Context* Find(absl::string_view name) const;
  // The context named `name`, appended (with no settings) when there is none.
  Context* FindOrAdd(absl::string_view name);
  // Removes the context named `name`; false when there is none. Removing the current context
  // also clears current_context, so the config stays valid to save.
  bool Remove(absl::string_view name);

  friend bool operator==(const ConfigFile& a, const ConfigFile& b) {
    return a.current_context == b.current_context && a.contexts == b.contexts;
  }
  friend bool operator!=(const ConfigFile& a, const ConfigFile& b) { return !(a == b); }
};

// An environment variable's value, or nullopt when it is not set. Tests pass a fake.
using Getenv = std::function<std::optional<std::string>(absl::string_view)>;
// The process's environment (getenv).
Getenv ProcessEnvironment();

// Where the config file is: $PREFLIGHT_CONFIG if set and not empty; else
// $XDG_CONFIG_HOME/preflight/config.yaml if that is set to an absolute path (the XDG spec ignores
// relative ones); else $HOME/.config/preflight/config.yaml. Empty when none of them is set.
std::string ConfigPath(const Getenv& env);

// Reads the config file at `path`. A file that does not exist (or an empty `path`) is an empty
// config. Malformed YAML, unknown keys, contexts without a name or with the same name, a
// current-context naming no context and values that are not strings are INVALID_ARGUMENT, with a
// one-line message that names the file; a file that cannot be read fails with its errno's code.
absl::StatusOr<ConfigFile> LoadConfig(const std::string& path);

// Writes `config` to `path` atomically (a temporary file in the same folder, renamed over the old
// one), mode 0600, creating missing parent folders with mode 0700. Contexts keep their order,
// settings are written in ContextKeys() order. A config that LoadConfig would refuse is refused
// (INVALID_ARGUMENT), so LoadConfig(path) returns `config` afterwards.
absl::Status SaveConfig(const std::string& path, const ConfigFile& config);

// `path` with a leading "~" or "~/" replaced by $HOME; unchanged otherwise, or when HOME is not
// set ("~user/" forms are not expanded).
std::string ExpandHome(absl::string_view path, const Getenv& env);

// True for the keys that name files (token_file, tls_ca, tls_cert, tls_key): ExpandPaths expands
// "~/" in them.
bool IsPathKey(absl::string_view key);

// `context` with ExpandHome applied to its path keys: what a command uses.
Context ExpandPaths(const Context& context, const Getenv& env);

}  // namespace preflight::cli

#include "cli/config_commands.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/config_file.h"
#include "cli/output.h"
#include "cli/render.h"
#include "cli/render_options.h"

namespace preflight::cli {
namespace {

constexpr int kOk = 0;
constexpr int kUsage = 2;

int Fail(std::ostream& err, absl::string_view message) {
  err << "error: " << message << "\n";
  return kUsage;
}

std::string Setting(const Context& context, absl::string_view key) {
  auto found = context.settings.find(key);
  return found == context.settings.end() || found->second.empty() ? "-" : found->second;
}

}  // namespace

int RunConfigCommand(const Invocation& invocation, const Environment& env, std::ostream& out,
                     std::ostream& err) {
  if (env.getenv == nullptr) return Fail(err, "no environment: there is no config file to use");
  const std::string path = ConfigPath(env.getenv);
  absl::StatusOr<ConfigFile> loaded = LoadConfig(path);
  if (!loaded.ok()) return Fail(err, loaded.status().message());
  ConfigFile config = *std::move(loaded);
  const absl::string_view command = invocation.command->path;
  const std::string name = invocation.arguments.empty() ? "" : invocation.arguments[0];
  const bool names_only = invocation.Get("output") == "name";

  if (command == "config get-contexts") {
    if (names_only) {
      for (const Context& context : config.contexts) out << context.name << "\n";
      return kOk;
    }
    if (config.contexts.empty()) {
      out << "no contexts in " << path << " ('preflight config set-context NAME --server=...' "
          << "adds one)\n";
      return kOk;
    }
    Table table({"CURRENT", "NAME", "SERVER", "NOTIFIER", "TENANT", "TOKEN FILE"});
    for (const Context& context : config.contexts) {
      table.AddRow({context.name == config.current_context ? "*" : "", context.name,
                    Setting(context, "server"), Setting(context, "notifier"),
                    Setting(context, "tenant"), Setting(context, "token_file")});
    }
    RenderOptions options;
    options.headers = !invocation.GetBool("no_headers");
    out << table.Render(options);
    return kOk;
  }
  if (command == "config current-context") {
    if (config.current_context.empty())
      return Fail(err, absl::StrCat("no current context in ", path));
    out << config.current_context << "\n";
    return kOk;
  }
  if (command == "config view") {
    std::ifstream file(path);
    if (!file) {
      out << "# " << path << " does not exist yet\n";
      return kOk;
    }
    std::stringstream contents;
    contents << file.rdbuf();
    out << "# " << path << "\n" << contents.str();
    return kOk;
  }
  if (command == "config use-context") {
    if (config.Find(name) == nullptr) {
      return Fail(err, absl::StrCat("no context '", name, "' in ", path,
                                    "; 'preflight config get-contexts' lists them"));
    }
    config.current_context = name;
    if (absl::Status saved = SaveConfig(path, config); !saved.ok()) {
      return Fail(err, saved.message());
    }
    out << "Switched to context \"" << name << "\".\n";
    return kOk;
  }
  if (command == "config set-context") {
    const bool existed = config.Find(name) != nullptr;
    Context* context = config.FindOrAdd(name);
    for (absl::string_view key : ContextKeys()) {
      if (!invocation.Has(key)) continue;
      const std::string value = invocation.Get(key);
      if (value.empty()) {
        context->settings.erase(std::string(key));
      } else {
        context->settings[std::string(key)] = value;
      }
    }
    // The first context becomes the current one, as a newcomer expects.
    if (config.current_context.empty()) config.current_context = name;
    if (absl::Status saved = SaveConfig(path, config); !saved.ok()) {
      return Fail(err, saved.message());
    }
    out << "Context \"" << name << "\" " << (existed ? "modified" : "created") << " in " << path
        << ".\n";
    return kOk;
  }
  if (command == "config delete-context") {
    if (!config.Remove(name)) return Fail(err, absl::StrCat("no context '", name, "' in ", path));
    if (config.current_context == name) config.current_context.clear();
    if (absl::Status saved = SaveConfig(path, config); !saved.ok()) {
      return Fail(err, saved.message());
    }
    out << "Deleted context \"" << name << "\" from " << path << ".\n";
    return kOk;
  }
  return Fail(err, absl::StrCat("no handler for ", command));
}

}  // namespace preflight::cli

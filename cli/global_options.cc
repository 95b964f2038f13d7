#include "cli/global_options.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace preflight::cli {
namespace {

absl::Status Usage(absl::string_view message) { return absl::InvalidArgumentError(message); }

std::optional<std::string> Variable(const Environment& env, absl::string_view name) {
  if (env.getenv == nullptr) return std::nullopt;
  std::optional<std::string> value = env.getenv(name);
  if (value.has_value() && value->empty()) return std::nullopt;
  return value;
}

// The token in `path`, without surrounding whitespace. The message never shows the contents.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path, absl::string_view origin) {
  std::ifstream file(path);
  if (!file) return Usage(absl::StrCat(origin, ": cannot read ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string token(absl::StripAsciiWhitespace(contents.str()));
  if (token.empty()) return Usage(absl::StrCat(origin, ": ", path, " is empty"));
  return token;
}

// One setting, looked up in kubectl's order: the flag, the environment variable (if the
// setting has one), the context. Sets `origin` to what supplied the value.
class Settings {
 public:
  Settings(const Invocation& invocation, const Environment& env, const Context* context,
           std::string context_origin)
      : invocation_(invocation),
        env_(env),
        context_(context),
        context_origin_(std::move(context_origin)) {}

  std::optional<std::string> Get(absl::string_view flag, absl::string_view variable,
                                 std::string* origin) const {
    if (invocation_.Has(flag)) {
      *origin = absl::StrCat("--", flag);
      return invocation_.Get(flag);
    }
    if (!variable.empty()) {
      if (std::optional<std::string> value = Variable(env_, variable); value.has_value()) {
        *origin = absl::StrCat("$", variable);
        return value;
      }
    }
    if (context_ != nullptr) {
      auto found = context_->settings.find(flag);
      if (found != context_->settings.end() && !found->second.empty()) {
        *origin = context_origin_;
        return found->second;
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> Get(absl::string_view flag, std::string* origin = nullptr) const {
    std::string ignored;
    return Get(flag, "", origin != nullptr ? origin : &ignored);
  }

 private:
  const Invocation& invocation_;
  const Environment& env_;
  const Context* context_;
  std::string context_origin_;
};

// "~/x" under $HOME, as a shell would have expanded a flag's value.
std::string Expand(const std::string& path, const Environment& env) {
  return env.getenv == nullptr ? path : ExpandHome(path, env.getenv);
}

absl::Status CheckPrintable(absl::string_view text, absl::string_view what, char low) {
  for (char c : text) {
    if (c < low || c > 0x7e) return Usage(absl::StrCat(what, " must be printable ASCII"));
  }
  return absl::OkStatus();
}

}  // namespace

Environment ProcessCliEnvironment() {
  Environment env;
  const char* user = std::getenv("USER");
  env.default_actor = user != nullptr ? user : "";
  env.getenv = ProcessEnvironment();
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
    env.terminal_width = size.ws_col;
  }
  return env;
}

absl::StatusOr<GlobalOptions> ReadGlobalOptions(const Invocation& invocation,
                                                const Environment& env) {
  GlobalOptions options;

  // The context: --context, else $PREFLIGHT_CONTEXT, else the file's current one.
  // Without an environment there is no config file either (tests, embedding).
  ConfigFile config_file;
  if (env.getenv != nullptr) {
    options.config_path = ConfigPath(env.getenv);
    absl::StatusOr<ConfigFile> loaded = LoadConfig(options.config_path);
    if (!loaded.ok()) return Usage(loaded.status().message());
    config_file = *std::move(loaded);
  }
  const ConfigFile* config = &config_file;
  std::string context_choice;
  if (invocation.Has("context")) {
    options.context = invocation.Get("context");
    context_choice = "--context";
  } else if (std::optional<std::string> named = Variable(env, "PREFLIGHT_CONTEXT")) {
    options.context = *named;
    context_choice = "$PREFLIGHT_CONTEXT";
  } else {
    options.context = config->current_context;
    context_choice = "current-context";
  }
  const Context* context = nullptr;
  if (!options.context.empty()) {
    context = config->Find(options.context);
    if (context == nullptr) {
      return Usage(absl::StrCat("context '", options.context, "' (", context_choice, ") is not in ",
                                options.config_path,
                                "; 'preflight config get-contexts' lists them"));
    }
  }
  const Settings settings(invocation, env, context,
                          absl::StrCat("context '", options.context, "' of ", options.config_path));

  if (std::optional<std::string> server =
          settings.Get("server", "PREFLIGHT_SERVER", &options.server_origin)) {
    options.server = *server;
  }
  if (options.server.empty()) return Usage("--server must not be empty");
  if (std::optional<std::string> notifier =
          settings.Get("notifier", "PREFLIGHT_NOTIFIER", &options.notifier_origin)) {
    options.notifier = *notifier;
  }
  if (options.notifier.empty()) return Usage("--notifier must not be empty");

  if (invocation.Has("output")) {
    absl::StatusOr<OutputFormat> format =
        ParseOutputFormat(invocation.Get("output"), &options.output_template);
    if (!format.ok()) return format.status();
    options.output = *format;
    if (invocation.GetBool("json") && options.output != OutputFormat::kJson) {
      return Usage("--json and -o " + invocation.Get("output") + " disagree: give one");
    }
  } else if (invocation.GetBool("json")) {
    options.output = OutputFormat::kJson;
  }
  options.no_headers = invocation.GetBool("no_headers");
  options.utc = invocation.GetBool("utc");
  int columns = 0;
  if (std::optional<std::string> text = Variable(env, "COLUMNS");
      text.has_value() && absl::SimpleAtoi(*text, &columns) && columns > 0) {
    options.width = columns;
  } else {
    options.width = env.terminal_width;
  }
  options.terminal = env.terminal_width > 0;
  options.no_color = !Variable(env, "NO_COLOR").value_or("").empty();

  options.actor = settings.Get("actor").value_or(env.default_actor);
  // Metadata values must be printable ASCII; anything else would fail the call obscurely.
  if (absl::Status s = CheckPrintable(options.actor, "--actor (it travels as gRPC metadata)", 0x20);
      !s.ok()) {
    return s;
  }
  options.default_tenant = settings.Get("tenant").value_or("");

  ClientTlsOptions tls;
  tls.ca_file = Expand(settings.Get("tls_ca").value_or(""), env);
  tls.cert_file = Expand(settings.Get("tls_cert").value_or(""), env);
  tls.key_file = Expand(settings.Get("tls_key").value_or(""), env);
  tls.server_name = settings.Get("tls_server_name").value_or("");
  absl::StatusOr<ClientTls> loaded = LoadClientTls(tls, "tls_");
  if (!loaded.ok()) {
    std::string origin;
    for (const char* key : {"tls_ca", "tls_cert", "tls_key", "tls_server_name"}) {
      if (!invocation.Has(key) && settings.Get(key, &origin).has_value()) break;
      origin.clear();
    }
    return Usage(origin.empty() ? std::string(loaded.status().message())
                                : absl::StrCat(loaded.status().message(), " (from ", origin, ")"));
  }
  options.tls = *std::move(loaded);

  std::string token_origin;
  if (invocation.Has("token_file")) {
    absl::StatusOr<std::string> token = ReadTokenFile(invocation.Get("token_file"), "--token_file");
    if (!token.ok()) return token.status();
    options.bearer_token = *std::move(token);
  } else if (std::optional<std::string> token = Variable(env, "PREFLIGHT_TOKEN")) {
    options.bearer_token = std::string(absl::StripAsciiWhitespace(*token));
  } else if (std::optional<std::string> file = settings.Get("token_file", &token_origin)) {
    absl::StatusOr<std::string> token =
        ReadTokenFile(Expand(*file, env), absl::StrCat("token_file of ", token_origin));
    if (!token.ok()) return token.status();
    options.bearer_token = *std::move(token);
  }
  if (absl::Status s = CheckPrintable(options.bearer_token, "the bearer token", 0x21); !s.ok()) {
    return s;
  }

  std::string timeout_origin;
  if (std::optional<std::string> text = settings.Get("timeout", &timeout_origin)) {
    if (!absl::ParseDuration(*text, &options.timeout) || options.timeout <= absl::ZeroDuration() ||
        options.timeout == absl::InfiniteDuration()) {
      return Usage(absl::StrCat("--timeout expects a positive duration such as 10s, got '", *text,
                                "' (from ", timeout_origin, ")"));
    }
  }
  return options;
}

void ApplyContextDefaults(const GlobalOptions& options, Invocation* invocation) {
  if (options.default_tenant.empty() || invocation->command == nullptr) return;
  const std::vector<absl::string_view>& flags = invocation->command->flags;
  if (std::find(flags.begin(), flags.end(), "tenant") == flags.end()) return;
  if (invocation->command->service == Service::kLocal) return;
  invocation->SetDefault("tenant", options.default_tenant);
}

}  // namespace preflight::cli

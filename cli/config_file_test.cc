#include "cli/config_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace preflight::cli {

// Readable failures for IsOkAndHolds(config) and friends.
void PrintTo(const Context& context, std::ostream* os) {
  *os << "{name: '" << context.name << "'";
  for (const auto& [key, value] : context.settings) *os << ", " << key << ": '" << value << "'";
  *os << "}";
}
void PrintTo(const ConfigFile& config, std::ostream* os) {
  *os << "{current-context: '" << config.current_context << "', contexts: [";
  for (const Context& context : config.contexts) {
    PrintTo(context, os);
    *os << " ";
  }
  *os << "]}";
}

namespace {

using testing::Code;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOkAndHolds;
using ::testing::Not;
using testing::StatusIs;
using testing::TempDir;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// The names in `dir`, sorted.
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Getenv FakeEnv(std::map<std::string, std::string> values) {
  return [values = std::move(values)](absl::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

ConfigFile SampleConfig() {
  ConfigFile config;
  config.current_context = "prod";
  Context& prod = *config.FindOrAdd("prod");
  for (absl::string_view key : ContextKeys()) {
    prod.settings[std::string(key)] = absl::StrCat(key, "-value");
  }
  prod.settings["token_file"] = "~/.config/preflight/prod.token";
  prod.settings["timeout"] = "30s";
  Context& odd = *config.FindOrAdd("0123");
  // Values a YAML 1.1 reader would take for a bool, an int, a date and null, text with newlines,
  // Chinese and an empty value: each must come back as the same string.
  odd.settings["tenant"] = "true";
  odd.settings["actor"] = "李娜\nsecond line";
  odd.settings["server"] = "2026-05-01";
  odd.settings["notifier"] = "null";
  odd.settings["timeout"] = "30";
  odd.settings["tls_server_name"] = "";
  odd.settings["tls_ca"] = "yes";
  return config;
}

// ---- Saving and loading -------------------------------------------------------------------------

TEST(ConfigFileTest, SavedConfigLoadsBackTheSame) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  const ConfigFile config = SampleConfig();
  ASSERT_OK(SaveConfig(path, config));
  EXPECT_THAT(LoadConfig(path), IsOkAndHolds(config));
}

TEST(ConfigFileTest, SaveWritesKeysInFlagOrderAndOmitsUnsetOnes) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  ConfigFile config;
  config.current_context = "prod";
  Context& prod = *config.FindOrAdd("prod");
  prod.settings["tenant"] = "acme";
  prod.settings["server"] = "checklist.example.com:443";
  prod.settings["token_file"] = "~/prod.token";
  config.FindOrAdd("dev")->settings["timeout"] = "10";
  ASSERT_OK(SaveConfig(path, config));
  EXPECT_EQ(ReadFile(path),
            "current-context: prod\n"
            "contexts:\n"
            "  - name: prod\n"
            "    server: checklist.example.com:443\n"
            "    token_file: ~/prod.token\n"
            "    tenant: acme\n"
            "  - name: dev\n"
            "    timeout: '10'\n");
}

TEST(ConfigFileTest, EmptyConfigSavesAndLoads) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  ASSERT_OK(SaveConfig(path, ConfigFile()));
  EXPECT_THAT(LoadConfig(path), IsOkAndHolds(ConfigFile()));
}

TEST(ConfigFileTest, LoadsTheDocumentedExample) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  WriteFile(path,
            "# Written by hand.\n"
            "current-context: prod\n"
            "contexts:\n"
            "  - name: prod\n"
            "    server: checklist.example.com:443\n"
            "    notifier: notifier.example.com:443\n"
            "    tls_ca: /etc/preflight/ca.pem\n"
            "    token_file: ~/.config/preflight/prod.token\n"
            "    tenant: acme\n"
            "    timeout: 30s\n"
            "  - name: local\n"
            "    server: localhost:50051\n"
            "    timeout: 5\n");
  absl::StatusOr<ConfigFile> config = LoadConfig(path);
  ASSERT_OK(config);
  EXPECT_EQ(config->current_context, "prod");
  ASSERT_EQ(config->contexts.size(), 2u);
  const Context* prod = config->Find("prod");
  ASSERT_NE(prod, nullptr);
  EXPECT_EQ(prod->settings.at("server"), "checklist.example.com:443");
  // As written: "~/" is expanded when the context is used, not when the file is read.
  EXPECT_EQ(prod->settings.at("token_file"), "~/.config/preflight/prod.token");
  EXPECT_EQ(prod->settings.size(), 6u);
  // A number is read as the text it is written as.
  EXPECT_EQ(config->Find("local")->settings.at("timeout"), "5");
}

TEST(ConfigFileTest, MissingFileIsAnEmptyConfig) {
  TempDir dir;
  EXPECT_THAT(LoadConfig(dir.Join("absent.yaml")), IsOkAndHolds(ConfigFile()));
  EXPECT_THAT(LoadConfig(dir.Join("no/such/folder/config.yaml")), IsOkAndHolds(ConfigFile()));
  EXPECT_THAT(LoadConfig(""), IsOkAndHolds(ConfigFile()));
}

TEST(ConfigFileTest, EmptyFileOrCommentsOnlyIsAnEmptyConfig) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  WriteFile(path, "");
  EXPECT_THAT(LoadConfig(path), IsOkAndHolds(ConfigFile()));
  WriteFile(path, "# nothing yet\n");
  EXPECT_THAT(LoadConfig(path), IsOkAndHolds(ConfigFile()));
  WriteFile(path, "contexts:\n");
  EXPECT_THAT(LoadConfig(path), IsOkAndHolds(ConfigFile()));
}

TEST(ConfigFileTest, UnreadableFileIsAnError) {
  TempDir dir;
  // A folder where the file should be.
  EXPECT_THAT(LoadConfig(dir.path()), StatusIs(Code::FAILED_PRECONDITION, HasSubstr(dir.path())));
}

// ---- What LoadConfig refuses --------------------------------------------------------------------

class LoadConfigErrorTest : public ::testing::Test {
 protected:
  // The status of loading `text`, with the temp folder's path replaced by "/x".
  testing::StatusView Load(const std::string& text) {
    WriteFile(path_, text);
    testing::StatusView status = testing::StatusOf(LoadConfig(path_));
    status.message = absl::StrReplaceAll(status.message, {{dir_.path(), "/x"}});
    return status;
  }

  TempDir dir_;
  std::string path_ = dir_.Join("config.yaml");
};

MATCHER(IsOneLine, "is one line") { return arg.message.find('\n') == std::string::npos; }

TEST_F(LoadConfigErrorTest, UnknownKeySuggestsTheNearestOne) {
  EXPECT_THAT(Load("contexts:\n  - server: a\n    sever: b\n    name: prod\n"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "unknown key 'sever' in context 'prod' of /x/config.yaml (did you mean "
                       "'server'?)"));
  EXPECT_THAT(Load("contexts:\n  - name: prod\n    tls-ca: a\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("(did you mean 'tls_ca'?)")));
  EXPECT_THAT(
      Load("contexts:\n  - name: prod\n    colour: blue\n"),
      StatusIs(Code::INVALID_ARGUMENT, "unknown key 'colour' in context 'prod' of /x/config.yaml"));
  EXPECT_THAT(Load("current_context: prod\n"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "unknown key 'current_context' in /x/config.yaml "
                       "(did you mean 'current-context'?)"));
}

TEST_F(LoadConfigErrorTest, MalformedYaml) {
  const testing::StatusView status = Load("contexts:\n  - name: prod\n   server: [\n");
  EXPECT_THAT(status, StatusIs(Code::INVALID_ARGUMENT, HasSubstr("cannot parse /x/config.yaml")));
  EXPECT_THAT(status, IsOneLine());
}

TEST_F(LoadConfigErrorTest, ContextWithoutName) {
  EXPECT_THAT(Load("contexts:\n  - name: a\n  - server: b\n"),
              StatusIs(Code::INVALID_ARGUMENT, "context #2 of /x/config.yaml has no name"));
  EXPECT_THAT(Load("contexts:\n  - name: ''\n"),
              StatusIs(Code::INVALID_ARGUMENT, "context #1 of /x/config.yaml has no name"));
}

TEST_F(LoadConfigErrorTest, DuplicateNames) {
  EXPECT_THAT(Load("contexts:\n  - name: a\n  - name: b\n  - name: a\n"),
              StatusIs(Code::INVALID_ARGUMENT, "two contexts are named 'a' in /x/config.yaml"));
}

TEST_F(LoadConfigErrorTest, DuplicateKeys) {
  EXPECT_THAT(Load("contexts:\n  - name: a\n    server: b\n    server: c\n"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "key 'server' appears twice in context 'a' of /x/config.yaml"));
  EXPECT_THAT(Load("current-context: a\ncurrent-context: b\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("appears twice")));
}

TEST_F(LoadConfigErrorTest, CurrentContextNamingNoContext) {
  EXPECT_THAT(Load("current-context: prod\ncontexts:\n  - name: dev\n"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "current-context 'prod' of /x/config.yaml names no context"));
}

TEST_F(LoadConfigErrorTest, ValuesThatAreNotStrings) {
  EXPECT_THAT(Load("contexts:\n  - name: a\n    server: [b, c]\n"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "'server' in context 'a' of /x/config.yaml is not a string (line 3)"));
  EXPECT_THAT(Load("contexts:\n  - name: a\n    server:\n      host: b\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("'server' in context 'a'")));
  // An empty value is no value; '' is the empty string.
  EXPECT_THAT(Load("contexts:\n  - name: a\n    server:\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("is not a string")));
  EXPECT_THAT(Load("contexts:\n  - name: [a]\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("the name of context #1")));
  EXPECT_THAT(Load("current-context: {a: b}\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("current-context of /x/config.yaml")));
}

TEST_F(LoadConfigErrorTest, WrongShapes) {
  EXPECT_THAT(Load("just text\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("/x/config.yaml is not a map")));
  EXPECT_THAT(Load("contexts: prod\n"),
              StatusIs(Code::INVALID_ARGUMENT, "contexts of /x/config.yaml is not a list"));
  EXPECT_THAT(Load("contexts:\n  - prod\n"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("context #1 of /x/config.yaml")));
}

TEST_F(LoadConfigErrorTest, MessagesStayOnOneLine) {
  EXPECT_THAT(Load("contexts:\n  - name: \"a\\nb\"\n    \"x\\ny\": 1\n"), IsOneLine());
}

// ---- How SaveConfig writes ----------------------------------------------------------------------

TEST(SaveConfigTest, FileIsPrivateWhateverTheUmaskAndTheOldMode) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  WriteFile(path, "");
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  const mode_t old_umask = umask(0);
  const absl::Status status = SaveConfig(path, SampleConfig());
  umask(old_umask);
  ASSERT_OK(status);
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST(SaveConfigTest, CreatesMissingParentFoldersPrivate) {
  TempDir dir;
  const std::string path = dir.Join("home/.config/preflight/config.yaml");
  ASSERT_OK(SaveConfig(path, SampleConfig()));
  EXPECT_EQ(ModeOf(dir.Join("home")), 0700u);
  EXPECT_EQ(ModeOf(dir.Join("home/.config/preflight")), 0700u);
  EXPECT_EQ(ModeOf(path), 0600u);
  // Folders that exist keep their mode.
  EXPECT_NE(ModeOf(dir.path()), 0u);
}

TEST(SaveConfigTest, FailedWriteLeavesTheOldFile) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  ConfigFile old_config;
  old_config.FindOrAdd("old");
  ASSERT_OK(SaveConfig(path, old_config));
  const std::string old_text = ReadFile(path);

  // A file size limit below the new file's size makes its write fail half way (EFBIG), even for
  // root, which permissions would not stop.
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit small = saved;
  small.rlim_cur = 64;
  const auto old_handler = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const absl::Status status = SaveConfig(path, SampleConfig());
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);

  EXPECT_THAT(status, StatusIs(Code::OUT_OF_RANGE, HasSubstr("cannot write " + path)));
  EXPECT_EQ(ReadFile(path), old_text);
  // No temporary file is left behind.
  EXPECT_THAT(Listing(dir.path()), ElementsAre("config.yaml"));
}

TEST(SaveConfigTest, ThroughASymlinkReplacesTheTarget) {
  TempDir dir;
  const std::string target = dir.Join("dotfiles/preflight.yaml");
  const std::string link = dir.Join("config.yaml");
  ASSERT_OK(SaveConfig(target, ConfigFile()));
  std::filesystem::create_symlink(target, link);
  ASSERT_OK(SaveConfig(link, SampleConfig()));
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_THAT(LoadConfig(target), IsOkAndHolds(SampleConfig()));
}

TEST(SaveConfigTest, RefusesWhatLoadWouldRefuse) {
  TempDir dir;
  const std::string path = dir.Join("config.yaml");
  ConfigFile unknown_key;
  unknown_key.FindOrAdd("prod")->settings["sever"] = "x";
  EXPECT_THAT(SaveConfig(path, unknown_key),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("did you mean 'server'?")));
  ConfigFile twice;
  twice.contexts = {Context{"a", {}}, Context{"a", {}}};
  EXPECT_THAT(SaveConfig(path, twice), StatusIs(Code::INVALID_ARGUMENT, HasSubstr("'a'")));
  ConfigFile dangling;
  dangling.current_context = "gone";
  EXPECT_THAT(SaveConfig(path, dangling),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("names no context")));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_THAT(SaveConfig("", ConfigFile()), StatusIs(Code::FAILED_PRECONDITION));
}

// ---- Contexts -----------------------------------------------------------------------------------

TEST(ConfigFileTest, FindFindOrAddAndRemove) {
  ConfigFile config;
  EXPECT_EQ(config.Find("prod"), nullptr);
  config.FindOrAdd("prod")->settings["server"] = "a";
  config.FindOrAdd("dev");
  config.FindOrAdd("prod")->settings["tenant"] = "acme";
  ASSERT_EQ(config.contexts.size(), 2u);
  EXPECT_EQ(config.Find("prod")->settings.size(), 2u);
  config.current_context = "prod";
  EXPECT_FALSE(config.Remove("staging"));
  EXPECT_TRUE(config.Remove("prod"));
  EXPECT_EQ(config.Find("prod"), nullptr);
  EXPECT_EQ(config.current_context, "");
  EXPECT_EQ(config.contexts.size(), 1u);
}

TEST(ConfigFileTest, ContextKeysAreTheGlobalFlags) {
  EXPECT_THAT(ContextKeys(),
              ElementsAre("server", "notifier", "tls_ca", "tls_cert", "tls_key", "tls_server_name",
                          "token_file", "tenant", "actor", "timeout"));
}

// ---- Where the file is, and "~/" ----------------------------------------------------------------

TEST(ConfigPathTest, Precedence) {
  EXPECT_EQ(ConfigPath(FakeEnv({{"PREFLIGHT_CONFIG", "/etc/p.yaml"},
                                {"XDG_CONFIG_HOME", "/xdg"},
                                {"HOME", "/home/li"}})),
            "/etc/p.yaml");
  EXPECT_EQ(ConfigPath(FakeEnv(
                {{"PREFLIGHT_CONFIG", ""}, {"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/li"}})),
            "/xdg/preflight/config.yaml");
  // The XDG spec ignores a relative or empty XDG_CONFIG_HOME.
  EXPECT_EQ(ConfigPath(FakeEnv({{"XDG_CONFIG_HOME", "xdg"}, {"HOME", "/home/li"}})),
            "/home/li/.config/preflight/config.yaml");
  EXPECT_EQ(ConfigPath(FakeEnv({{"XDG_CONFIG_HOME", ""}, {"HOME", "/home/li"}})),
            "/home/li/.config/preflight/config.yaml");
  EXPECT_EQ(ConfigPath(FakeEnv({{"HOME", "/home/li"}})), "/home/li/.config/preflight/config.yaml");
  EXPECT_EQ(ConfigPath(FakeEnv({{"HOME", ""}})), "");
  EXPECT_EQ(ConfigPath(FakeEnv({})), "");
}

TEST(ConfigPathTest, ProcessEnvironmentReadsTheEnvironment) {
  ASSERT_EQ(setenv("PREFLIGHT_CONFIG_TEST_VALUE", "x", 1), 0);
  EXPECT_EQ(ProcessEnvironment()("PREFLIGHT_CONFIG_TEST_VALUE"), "x");
  unsetenv("PREFLIGHT_CONFIG_TEST_VALUE");
  EXPECT_EQ(ProcessEnvironment()("PREFLIGHT_CONFIG_TEST_VALUE"), std::nullopt);
}

TEST(ExpandHomeTest, ExpandsALeadingTildeOnly) {
  const Getenv env = FakeEnv({{"HOME", "/home/li"}});
  EXPECT_EQ(ExpandHome("~/.config/p.token", env), "/home/li/.config/p.token");
  EXPECT_EQ(ExpandHome("~", env), "/home/li");
  EXPECT_EQ(ExpandHome("/etc/ca.pem", env), "/etc/ca.pem");
  EXPECT_EQ(ExpandHome("~li/x", env), "~li/x");
  EXPECT_EQ(ExpandHome("a/~/b", env), "a/~/b");
  EXPECT_EQ(ExpandHome("~/x", FakeEnv({})), "~/x");
}

TEST(ExpandHomeTest, ExpandPathsTouchesPathKeysOnly) {
  Context context{"prod",
                  {{"token_file", "~/t"},
                   {"tls_ca", "~/ca.pem"},
                   {"tls_cert", "~/c.pem"},
                   {"tls_key", "~/k.pem"},
                   {"tenant", "~/not-a-path"}}};
  const Context expanded = ExpandPaths(context, FakeEnv({{"HOME", "/h"}}));
  EXPECT_EQ(expanded.settings.at("token_file"), "/h/t");
  EXPECT_EQ(expanded.settings.at("tls_ca"), "/h/ca.pem");
  EXPECT_EQ(expanded.settings.at("tls_cert"), "/h/c.pem");
  EXPECT_EQ(expanded.settings.at("tls_key"), "/h/k.pem");
  EXPECT_EQ(expanded.settings.at("tenant"), "~/not-a-path");
  EXPECT_THAT(expanded, Not(context));
}

}  // namespace
}  // namespace preflight::cli

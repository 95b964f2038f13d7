#include "cli/cli.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/admin_backup.h"
#include "cli/auth_commands.h"
#include "cli/calendar_feed_commands.h"
#include "cli/completion.h"
#include "cli/config_commands.h"
#include "cli/cross_launch.h"
#include "cli/notifier_render.h"
#include "cli/notifier_requests.h"
#include "cli/output.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "cli/suggest.h"
#include "cli/timeline.h"
#include "common/build_info.h"
#include "common/civil_date.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace preflight::cli {
namespace {

// "connection refused" from gRPC's "failed to connect to all addresses; last error: UNKNOWN:
// ipv4:127.0.0.1:1: Failed to connect to remote host: Connection refused".
std::string ConnectFailure(absl::string_view message) {
  const size_t colon = message.rfind(": ");
  std::string reason(colon == absl::string_view::npos ? message : message.substr(colon + 2));
  if (!reason.empty()) reason[0] = absl::ascii_tolower(reason[0]);
  if (reason.size() > 120) reason = absl::StrCat(reason.substr(0, 119), "\u2026");
  return reason;
}

// Whether gRPC's UNAVAILABLE says no connection could be made (rather than the service saying it
// cannot serve): the client library's own wording.
bool IsConnectFailure(absl::string_view message) {
  for (absl::string_view sign :
       {"failed to connect", "Failed to connect", "DNS resolution failed", "Connection refused",
        "connections to all backends failing", "Socket closed", "Connection reset",
        "connection reset", "Handshake failed", "handshake failed", "Broken pipe",
        "Network is unreachable"}) {
    if (absl::StrContains(message, sign)) return true;
  }
  return message.empty();
}

// "(from --server)", or for the default how to change it.
std::string OriginText(absl::string_view origin, absl::string_view flag,
                       absl::string_view variable) {
  if (origin == "the default") {
    return absl::StrCat("(the default; --", flag, ", $", variable, " or a context sets it)");
  }
  return absl::StrCat("(from ", origin, ")");
}

// Runs one parsed command: connects to the service it needs (on first use), calls it and prints
// the answer or the error.
class Runner {
 public:
  Runner(const Invocation& invocation, const GlobalOptions& options, const Connectors& connect,
         std::ostream& out, std::ostream& err)
      : invocation_(invocation), options_(options), connect_(connect), out_(out), err_(err) {}

  int UsageError(const absl::Status& status) const {
    return PrintUsageError(invocation_, status, err_);
  }

  static int PrintUsageError(const Invocation& invocation, const absl::Status& status,
                             std::ostream& err) {
    err << "error: " << status.message() << "\n";
    // A message that already says where to look stands alone; else the command's usage line.
    if (!absl::StrContains(status.message(), "--help'") && invocation.command != nullptr) {
      err << "Run '"
          << (invocation.help_path.empty() ? "preflight" : "preflight " + invocation.help_path)
          << " --help' for its usage.\n";
    }
    return kExitUsage;
  }

  // One line: the code, and for a service that cannot be reached which address was tried and
  // what chose it.
  int RpcError(const grpc::Status& status) const {
    const std::string code =
        absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
    const bool notifier = last_service_ == Service::kNotifier;
    const std::string name = notifier ? "notifier" : "checklist";
    const std::string& address = notifier ? options_.notifier : options_.server;
    const std::string origin =
        notifier ? OriginText(options_.notifier_origin, "notifier", "PREFLIGHT_NOTIFIER")
                 : OriginText(options_.server_origin, "server", "PREFLIGHT_SERVER");
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
        IsConnectFailure(status.error_message())) {
      err_ << "error: " << code << ": cannot reach the " << name << " service at " << address << " "
           << origin << ": " << ConnectFailure(status.error_message()) << "\n";
    } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // The service answered, but cannot serve now (busy, stopping): its own words, and where.
      err_ << "error: " << code << ": " << status.error_message() << " (the " << name
           << " service at " << address << ")\n";
    } else if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      err_ << "error: " << code << ": no answer from the " << name << " service at " << address
           << " " << origin << " within " << absl::FormatDuration(options_.timeout)
           << " (--timeout)\n";
    } else {
      err_ << "error: " << code << ": " << status.error_message() << "\n";
    }
    return kExitRpcError;
  }

  // A line after an error that helps to fix it.
  void Hint(absl::string_view text) const { err_ << text << "\n"; }

  const GlobalOptions& options() const { return options_; }

  bool table() const {
    return options_.output == OutputFormat::kTable || options_.output == OutputFormat::kWide;
  }

  template <typename Client>
  Client& client() {
    if constexpr (std::is_same_v<Client, ChecklistClient>) {
      last_service_ = Service::kChecklist;
      if (checklist_ == nullptr) checklist_ = connect_.checklist(options_);
      return *checklist_;
    } else if constexpr (std::is_same_v<Client, AuthClient>) {
      last_service_ = Service::kAuth;
      if (auth_ == nullptr) auth_ = connect_.auth(options_);
      return *auth_;
    } else {
      static_assert(std::is_same_v<Client, NotifierClient>);
      last_service_ = Service::kNotifier;
      if (notifier_ == nullptr) notifier_ = connect_.notifier(options_);
      return *notifier_;
    }
  }

  // How tables are drawn for this run; `launches` are the launches whose zones the answer's
  // times are shown in.
  RenderOptions Options(const std::set<std::string>& launches = {}) {
    RenderOptions options;
    options.wide = options_.output == OutputFormat::kWide;
    options.headers = !options_.no_headers;
    options.width = options_.width;
    options.utc = options_.utc;
    options.all_items = invocation_.command->path == "launch show" && invocation_.GetBool("all");
    if (!options.utc) options.zones = LookUpZones(launches);
    return options;
  }

  // Prints `message` in the format -o asked for; tables as `render` draws them.
  template <typename Message, typename Render>
  int Show(const Message& message, const Render& render,
           const std::set<std::string>& launches = {}) {
    absl::StatusOr<std::string> text;
    switch (options_.output) {
      case OutputFormat::kJson:
        text = ToJson(message);
        break;
      case OutputFormat::kYaml:
        text = ToYaml(message);
        break;
      case OutputFormat::kName:
        text = ResourceNames(message);
        if (!text.ok()) return UsageError(text.status());
        break;
      case OutputFormat::kJsonPath:
        text = ToJsonPath(message, options_.output_template);
        if (!text.ok()) return UsageError(text.status());
        break;
      case OutputFormat::kCustomColumns: {
        absl::StatusOr<std::vector<std::vector<std::string>>> rows =
            ToCustomColumns(message, options_.output_template);
        if (!rows.ok()) return UsageError(rows.status());
        Table table(rows->front());
        for (size_t i = 1; i < rows->size(); ++i) table.AddRow((*rows)[i]);
        // Chosen columns are shown whole, as kubectl does.
        RenderOptions options = Options();
        options.wide = true;
        text = table.Render(options);
        break;
      }
      case OutputFormat::kTable:
      case OutputFormat::kWide:
        text = render(message, Options(launches));
        break;
    }
    if (!text.ok()) {
      err_ << "error: " << text.status().message() << "\n";
      return kExitRpcError;
    }
    out_ << *text;
    return kExitOk;
  }

  // Calls `method` with `request` (made from the command line); the answer, or an error.
  template <typename Client, typename Request, typename Response>
  int Fetch(absl::StatusOr<Request> request,
            grpc::Status (Client::*method)(const Request&, Response*), Response* response) {
    if (!request.ok()) return UsageError(request.status());
    const grpc::Status status = (client<Client>().*method)(*request, response);
    if (!status.ok()) return RpcError(status);
    return kExitOk;
  }

  // Calls `method` with `request` and shows the answer.
  template <typename Client, typename Request, typename Response, typename Render>
  int Call(absl::StatusOr<Request> request,
           grpc::Status (Client::*method)(const Request&, Response*), const Render& render) {
    Response response;
    if (const int code = Fetch(std::move(request), method, &response); code != kExitOk) {
      return code;
    }
    return Show(response, render);
  }

  // Calls the list `method` once, or with `all` page after page, gathering the entries that
  // `entries` points into one response without a next page token.
  template <typename Client, typename Request, typename Response, typename Entries>
  grpc::Status FetchPages(Request request,
                          grpc::Status (Client::*method)(const Request&, Response*),
                          const Entries& entries, bool all, Response* result) {
    Client& service = client<Client>();
    if (!all) return (service.*method)(request, result);
    while (true) {
      Response page;
      const grpc::Status status = (service.*method)(request, &page);
      if (!status.ok()) return status;
      for (auto& entry : *entries(page)) *entries(*result)->Add() = std::move(entry);
      if (page.next_page_token().empty()) return grpc::Status::OK;
      request.set_page_token(page.next_page_token());
    }
  }

  // A list command: one page, or every page with --all (or `all`). `launches` tells which
  // launches the entries are about, for their time zones.
  template <typename Client, typename Request, typename Response, typename Entries, typename Render,
            typename Launches>
  int List(absl::StatusOr<Request> request,
           grpc::Status (Client::*method)(const Request&, Response*), const Entries& entries,
           const Render& render, const Launches& launches, bool all) {
    if (!request.ok()) return UsageError(request.status());
    Response response;
    const grpc::Status status = FetchPages(*std::move(request), method, entries, all, &response);
    if (!status.ok()) return RpcError(status);
    std::set<std::string> about;
    if (table()) {
      for (const auto& entry : *entries(response)) about.insert(launches(entry));
    }
    return Show(response, render, about);
  }

  template <typename Client, typename Request, typename Response, typename Entries, typename Render>
  int List(absl::StatusOr<Request> request,
           grpc::Status (Client::*method)(const Request&, Response*), const Entries& entries,
           const Render& render) {
    return List(
        std::move(request), method, entries, render, [](const auto&) { return std::string(); },
        invocation_.GetBool("all"));
  }

 private:
  // Asks the checklist service for the time zone of each launch. Best effort: a launch it cannot
  // answer for is shown in UTC, and once the service is unreachable it is not asked again (each
  // try could take the whole timeout).
  LaunchZones LookUpZones(const std::set<std::string>& launches) {
    LaunchZones zones;
    const Service service = last_service_;
    for (const std::string& launch : launches) {
      if (launch.empty()) continue;
      v1::GetLaunchRequest request;
      request.set_name(launch);
      request.set_view(v1::LAUNCH_VIEW_BASIC);
      v1::Launch found;
      const grpc::Status status = client<ChecklistClient>().GetLaunch(request, &found);
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
          status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        break;
      }
      absl::TimeZone zone;
      if (status.ok() && !found.time_zone().empty() &&
          absl::LoadTimeZone(found.time_zone(), &zone)) {
        zones.emplace(launch, zone);
      }
    }
    last_service_ = service;
    return zones;
  }

  const Invocation& invocation_;
  const GlobalOptions& options_;
  const Connectors& connect_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<ChecklistClient> checklist_;
  std::unique_ptr<NotifierClient> notifier_;
  std::unique_ptr<AuthClient> auth_;
  Service last_service_ = Service::kChecklist;
};

template <typename Message>
absl::StatusOr<Message> Built(Message message) {
  return message;
}

// A renderer that needs no RenderOptions, for Runner::Show.
template <typename Message>
auto Plain(std::string (*render)(const Message&)) {
  return [render](const Message& message, const RenderOptions&) { return render(message); };
}

int DispatchAuth(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using A = AuthClient;
  if (command == "tokens create") {
    return runner.Call(BuildCreateTokenRequest(invocation), &A::CreateToken,
                       Plain(&RenderCreatedToken));
  }
  if (command == "tokens list") {
    return runner.List(
        BuildListTokensRequest(invocation), &A::ListTokens,
        [](v1::ListTokensResponse& r) { return r.mutable_tokens(); }, Plain(&RenderTokens));
  }
  if (command == "tokens revoke") {
    return runner.Call(absl::StatusOr<v1::RevokeTokenRequest>(BuildRevokeTokenRequest(invocation)),
                       &A::RevokeToken, Plain(&RenderToken));
  }
  if (command == "whoami") {
    return runner.Call(absl::StatusOr<v1::GetCallerIdentityRequest>(v1::GetCallerIdentityRequest()),
                       &A::GetCallerIdentity, Plain(&RenderToken));
  }
  return runner.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

// `admin backup DIR`: the notifier first, then the checklist, so the notifier's applied sequence
// in the backup is never past the checklist's last one.
int DispatchAdmin(const Invocation& invocation, const GlobalOptions& options,
                  const Connectors& connect, std::ostream& out, std::ostream& err) {
  const std::string dir = invocation.arguments.at(0);
  const std::set<std::string> wanted =
      absl::StrSplit(invocation.Get("services", "notifier,checklist"), ',', absl::SkipEmpty());
  for (const std::string& name : wanted) {
    if (name != "notifier" && name != "checklist") {
      return Runner::PrintUsageError(
          invocation,
          absl::InvalidArgumentError(
              absl::StrCat("--services: unknown service '", name, "' (notifier, checklist)")),
          err);
    }
  }
  std::error_code created;
  std::filesystem::create_directories(dir, created);
  if (created) {
    err << "error: cannot create " << dir << ": " << created.message() << "\n";
    return kExitRpcError;
  }
  for (const auto& [name, address] : {std::make_pair(std::string("notifier"), options.notifier),
                                      std::make_pair(std::string("checklist"), options.server)}) {
    if (wanted.count(name) == 0) continue;
    std::unique_ptr<AdminClient> client = connect.admin(options, address);
    const std::string folder = absl::StrCat(dir, "/", name);
    absl::StatusOr<v1::BackupManifest> manifest = ReceiveBackup(*client, folder);
    if (!manifest.ok()) {
      err << "error: " << absl::StatusCodeToString(manifest.status().code()) << ": " << name
          << " backup: " << manifest.status().message() << "\n";
      return kExitRpcError;
    }
    out << RenderBackup(folder, *manifest);
  }
  return kExitOk;
}

int ShowLaunch(const Invocation& invocation, Runner& runner) {
  v1::Launch launch;
  const int code =
      runner.Fetch(Built(BuildGetLaunchRequest(invocation)), &ChecklistClient::GetLaunch, &launch);
  if (code != kExitOk) return code;
  // The table's blockers count is readiness's, so both commands say the same number.
  std::optional<v1::Readiness> readiness;
  if (runner.table()) {
    v1::GetReadinessRequest request;
    request.set_name(launch.name());
    v1::Readiness answer;
    if (runner.Fetch(absl::StatusOr<v1::GetReadinessRequest>(request),
                     &ChecklistClient::GetReadiness, &answer) != kExitOk) {
      return kExitRpcError;
    }
    readiness = std::move(answer);
  }
  return runner.Show(launch, [&](const v1::Launch& l, const RenderOptions& options) {
    return RenderLaunch(l, readiness.has_value() ? &*readiness : nullptr, options);
  });
}

// `launch what-if`: the launch now, then the change previewed (validate_only), then the difference.
int WhatIf(const Invocation& invocation, Runner& runner) {
  v1::GetLaunchRequest get;
  get.set_name(LaunchName(invocation.arguments[0]));
  get.set_view(v1::LAUNCH_VIEW_FULL);
  v1::Launch before;
  if (const int code = runner.Fetch(absl::StatusOr<v1::GetLaunchRequest>(get),
                                    &ChecklistClient::GetLaunch, &before);
      code != kExitOk) {
    return code;
  }
  v1::Launch after;
  if (const int code = runner.Fetch(BuildWhatIfRequest(invocation, before),
                                    &ChecklistClient::UpdateLaunch, &after);
      code != kExitOk) {
    return code;
  }
  return runner.Show(after, [&](const v1::Launch& previewed, const RenderOptions& options) {
    return RenderWhatIf(before, previewed, options);
  });
}

// `launch timeline`: the launch with its items, the working calendar over the chart's span, then
// the chart in the --format asked for.
int DrawTimeline(const Invocation& invocation, Runner& runner) {
  const GlobalOptions& options = runner.options();
  const std::string format = invocation.Get("format", "text");
  if (format != "text" && format != "svg" && format != "html" && format != "mermaid") {
    return runner.UsageError(absl::InvalidArgumentError(
        absl::StrCat("--format: unknown format '", format, "' (text, svg, html or mermaid)")));
  }
  const std::string color = invocation.Get("color", "auto");
  if (color != "auto" && color != "always" && color != "never") {
    return runner.UsageError(absl::InvalidArgumentError(
        absl::StrCat("--color: unknown value '", color, "' (auto, always or never)")));
  }
  if (invocation.GetBool("fence") && format != "mermaid") {
    return runner.UsageError(absl::InvalidArgumentError("--fence goes with --format=mermaid"));
  }
  v1::GetLaunchRequest get;
  get.set_name(LaunchName(invocation.arguments[0]));
  get.set_view(v1::LAUNCH_VIEW_FULL);
  v1::Launch launch;
  if (const int code = runner.Fetch(absl::StatusOr<v1::GetLaunchRequest>(get),
                                    &ChecklistClient::GetLaunch, &launch);
      code != kExitOk) {
    return code;
  }
  absl::StatusOr<DaySpan> span = TimelineSpan(launch);
  if (!span.ok()) return runner.UsageError(span.status());
  // The service answers at most kMaxCalendarDays; a longer plan is shaded over its first part.
  constexpr int kMaxCalendarDays = 1096;
  v1::GetWorkingCalendarRequest ask;
  ask.set_start_date(FormatCivilDay(span->first));
  ask.set_end_date(FormatCivilDay(std::min(span->last, span->first + (kMaxCalendarDays - 1))));
  v1::WorkingCalendar calendar;
  if (const int code = runner.Fetch(absl::StatusOr<v1::GetWorkingCalendarRequest>(ask),
                                    &ChecklistClient::GetWorkingCalendar, &calendar);
      code != kExitOk) {
    return code;
  }
  absl::StatusOr<Timeline> timeline = BuildTimeline(launch, calendar);
  if (!timeline.ok()) return runner.UsageError(timeline.status());
  return runner.Show(launch, [&](const v1::Launch&, const RenderOptions&) -> std::string {
    if (format == "svg") return RenderTimelineSvg(*timeline);
    if (format == "html") return RenderTimelineHtml(*timeline);
    if (format == "mermaid") return RenderTimelineMermaid(*timeline, invocation.GetBool("fence"));
    TextChartOptions text;
    text.width = options.width;
    text.color = color == "always" || (color == "auto" && options.terminal && !options.no_color);
    return RenderTimelineText(*timeline, text);
  });
}

// `item update`; a code the launch does not have gets the codes it may have meant.
int UpdateItem(const Invocation& invocation, Runner& runner) {
  absl::StatusOr<v1::UpdateItemRequest> request = BuildUpdateItemRequest(invocation);
  if (!request.ok()) return runner.UsageError(request.status());
  v1::Item item;
  const grpc::Status status = runner.client<ChecklistClient>().UpdateItem(*request, &item);
  if (status.ok()) return runner.Show(item, &RenderItem);
  const int code = runner.RpcError(status);
  if (status.error_code() != grpc::StatusCode::NOT_FOUND) return code;
  v1::GetLaunchRequest get;
  get.set_name(LaunchName(invocation.arguments[0]));
  get.set_view(v1::LAUNCH_VIEW_FULL);
  v1::Launch launch;
  if (!runner.client<ChecklistClient>().GetLaunch(get, &launch).ok()) return code;
  std::vector<std::string> codes;
  for (const v1::Item& known : launch.items()) codes.push_back(known.code());
  const std::vector<std::string> close = Suggest(ItemCode(invocation.arguments[1]), codes);
  if (!close.empty()) {
    runner.Hint(absl::StrCat("did you mean ", absl::StrJoin(close, " or "), "?"));
  }
  return code;
}

int Readiness(const Invocation& invocation, Runner& runner) {
  v1::Readiness readiness;
  const int code = runner.Fetch(Built(BuildGetReadinessRequest(invocation)),
                                &ChecklistClient::GetReadiness, &readiness);
  if (code != kExitOk) return code;
  const int shown = runner.Show(readiness, &RenderReadiness);
  if (shown != kExitOk) return shown;
  return invocation.GetBool("exit_code") && !readiness.ready() ? kExitNo : kExitOk;
}

// `launch ics`: the .ics text itself as the table form (for `> plan.ics`); -o json etc. the
// response message.
int ExportCalendar(const Invocation& invocation, Runner& runner) {
  return runner.Call(Built(BuildExportLaunchCalendarRequest(invocation)),
                     &ChecklistClient::ExportLaunchCalendar,
                     [](const v1::ExportLaunchCalendarResponse& calendar, const RenderOptions&) {
                       return calendar.data();
                     });
}

int DispatchCalendarFeeds(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using C = ChecklistClient;
  if (command == "feed create") {
    return runner.Call(BuildCreateCalendarFeedRequest(invocation), &C::CreateCalendarFeed,
                       Plain(&RenderCreatedCalendarFeed));
  }
  if (command == "feed list") {
    return runner.List(
        BuildListCalendarFeedsRequest(invocation), &C::ListCalendarFeeds,
        [](v1::ListCalendarFeedsResponse& r) { return r.mutable_calendar_feeds(); },
        Plain(&RenderCalendarFeeds));
  }
  const v1::DeleteCalendarFeedRequest request = BuildDeleteCalendarFeedRequest(invocation);
  return runner.Call(Built(request), &C::DeleteCalendarFeed,
                     [&](const google::protobuf::Empty&, const RenderOptions&) {
                       return absl::StrCat("deleted ", request.name(),
                                           " (its URL answers 404 from now on)\n");
                     });
}

// Every page of `request`, or just the one asked for (`all` false).
int FetchItemPages(Runner& runner, v1::ListItemsRequest request, bool all,
                   std::vector<v1::ListItemsResponse>* pages) {
  while (true) {
    v1::ListItemsResponse page;
    const grpc::Status status = runner.client<ChecklistClient>().ListItems(request, &page);
    if (!status.ok()) return runner.RpcError(status);
    const std::string token = page.next_page_token();
    pages->push_back(std::move(page));
    if (!all || token.empty()) return kExitOk;
    request.set_page_token(token);
  }
}

int ListItems(const Invocation& invocation, Runner& runner) {
  absl::StatusOr<v1::ListItemsRequest> request = BuildListItemsRequest(invocation);
  if (!request.ok()) return runner.UsageError(request.status());
  const bool all = invocation.GetBool("all");
  std::vector<v1::ListItemsResponse> pages;
  if (const int code = FetchItemPages(runner, *request, all, &pages); code != kExitOk) return code;
  v1::ListItemsResponse shown = all ? MergeItemPages(pages) : pages.front();
  return runner.Show(shown, &RenderItemList);
}

// Who "me" is: the token's display name (what the service records as the actor of its changes),
// else the actor this CLI sends (--actor, the context's, or $USER).
absl::StatusOr<std::string> Me(Runner& runner) {
  if (runner.options().bearer_token.empty()) return runner.options().actor;
  v1::Token identity;
  const grpc::Status status =
      runner.client<AuthClient>().GetCallerIdentity(v1::GetCallerIdentityRequest(), &identity);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot tell who 'me' is (GetCallerIdentity: ",
                                               status.error_message(), "); pass --assignee=NAME"));
  }
  return identity.display_name();
}

// `my-week`: this week's must-starts (and so everything overdue) and anything at risk.
int MyWeek(const Invocation& invocation, Runner& runner) {
  std::string assignee = invocation.Get("assignee", "me");
  if (assignee == "me") {
    absl::StatusOr<std::string> me = Me(runner);
    if (!me.ok()) return runner.UsageError(me.status());
    assignee = *me;
  }
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  const absl::CivilDay end = EndOfWeek(absl::ToCivilDay(absl::Now(), zone));
  std::vector<v1::ListItemsResponse> pages;
  for (const v1::ListItemsRequest& request :
       MyWeekRequests(invocation.Get("tenant"), assignee, end)) {
    if (const int code = FetchItemPages(runner, request, /*all=*/true, &pages); code != kExitOk) {
      return code;
    }
  }
  return runner.Show(MergeItemPages(pages), &RenderMyWeek);
}

// `portfolio`: every launch of the tenant, worst first.
int Portfolio(const Invocation& invocation, Runner& runner) {
  v1::ListLaunchesRequest request;
  request.set_tenant(invocation.Get("tenant"));
  request.set_page_size(200);
  request.set_view(v1::LAUNCH_VIEW_BASIC);
  v1::ListLaunchesResponse all;
  while (true) {
    v1::ListLaunchesResponse page;
    const grpc::Status status = runner.client<ChecklistClient>().ListLaunches(request, &page);
    if (!status.ok()) return runner.RpcError(status);
    for (v1::Launch& launch : *page.mutable_launches()) *all.add_launches() = std::move(launch);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  SortWorstFirst(&all);
  return runner.Show(all, &RenderPortfolio);
}

int DispatchChecklist(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using C = ChecklistClient;
  if (command == "launch create") {
    return runner.Call(
        BuildCreateLaunchRequest(invocation), &C::CreateLaunch,
        [](const v1::Launch& l, const RenderOptions& o) { return RenderLaunch(l, nullptr, o); });
  }
  if (command == "launch list") {
    return runner.Call(BuildListLaunchesRequest(invocation), &C::ListLaunches, &RenderLaunchList);
  }
  if (command == "launch show") return ShowLaunch(invocation, runner);
  if (command == "launch update") {
    return runner.Call(
        BuildUpdateLaunchRequest(invocation), &C::UpdateLaunch,
        [](const v1::Launch& l, const RenderOptions& o) { return RenderLaunch(l, nullptr, o); });
  }
  if (command == "launch what-if") return WhatIf(invocation, runner);
  if (command == "launch timeline") return DrawTimeline(invocation, runner);
  if (command == "launch ics") return ExportCalendar(invocation, runner);
  if (absl::StartsWith(command, "feed ")) return DispatchCalendarFeeds(invocation, runner);
  if (command == "item update") return UpdateItem(invocation, runner);
  if (command == "item add") {
    return runner.Call(BuildAddItemRequest(invocation), &C::AddItem, &RenderItem);
  }
  if (command == "readiness") return Readiness(invocation, runner);
  if (command == "item list") return ListItems(invocation, runner);
  if (command == "my-week") return MyWeek(invocation, runner);
  if (command == "portfolio") return Portfolio(invocation, runner);
  if (command == "events") {
    return runner.List(
        BuildListEventsRequest(invocation), &C::ListEvents,
        [](v1::ListEventsResponse& r) { return r.mutable_events(); }, &RenderEvents,
        [](const v1::Event& e) { return e.launch(); }, invocation.GetBool("all"));
  }
  if (command == "templates") {
    return runner.Call(BuildListTemplatesRequest(invocation), &C::ListTemplates, &RenderTemplates);
  }
  return runner.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

std::string LaunchOfReminder(const v1::Reminder& reminder) { return LaunchOfItem(reminder.item()); }

int DispatchNotifier(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using N = NotifierClient;
  const auto reminders = [](v1::ListRemindersResponse& r) { return r.mutable_reminders(); };
  if (command == "reminders list") {
    return runner.List(BuildListRemindersRequest(invocation), &N::ListReminders, reminders,
                       &RenderReminders, &LaunchOfReminder, invocation.GetBool("all"));
  }
  if (command == "reminders dry-run") {
    // A dry run is the launch's whole forecast, however many pages it takes.
    return runner.List(BuildDryRunRequest(invocation), &N::ListReminders, reminders,
                       &RenderReminders, &LaunchOfReminder, /*all=*/true);
  }
  if (command == "reminders snooze" || command == "reminders ack") {
    v1::ItemReminderState state;
    const int code =
        command == "reminders snooze"
            ? runner.Fetch(BuildSnoozeReminderRequest(invocation), &N::SnoozeReminder, &state)
            : runner.Fetch(BuildAcknowledgeReminderRequest(invocation), &N::AcknowledgeReminder,
                           &state);
    if (code != kExitOk) return code;
    return runner.Show(state, &RenderItemReminderState, {LaunchOfItem(state.item())});
  }
  if (command == "deliveries list") {
    return runner.List(
        BuildListDeliveriesRequest(invocation), &N::ListDeliveries,
        [](v1::ListDeliveriesResponse& r) { return r.mutable_deliveries(); }, &RenderDeliveries,
        [](const v1::Delivery& d) { return LaunchOfItem(d.item()); }, invocation.GetBool("all"));
  }
  if (command == "recipients create") {
    return runner.Call(BuildCreateRecipientRequest(invocation), &N::CreateRecipient,
                       &RenderRecipient);
  }
  if (command == "recipients list") {
    return runner.List(
        BuildListRecipientsRequest(invocation), &N::ListRecipients,
        [](v1::ListRecipientsResponse& r) { return r.mutable_recipients(); }, &RenderRecipientList);
  }
  if (command == "recipients show") {
    return runner.Call(Built(BuildGetRecipientRequest(invocation)), &N::GetRecipient,
                       &RenderRecipient);
  }
  if (command == "recipients update") {
    return runner.Call(BuildUpdateRecipientRequest(invocation), &N::UpdateRecipient,
                       &RenderRecipient);
  }
  if (command == "recipients delete") {
    const v1::DeleteRecipientRequest request = BuildDeleteRecipientRequest(invocation);
    return runner.Call(Built(request), &N::DeleteRecipient,
                       [&](const v1::DeleteRecipientResponse&, const RenderOptions&) {
                         return RenderDeletedRecipient(request.name());
                       });
  }
  if (command == "notify test") {
    v1::SendTestNotificationResponse response;
    const int code = runner.Fetch(BuildSendTestNotificationRequest(invocation),
                                  &N::SendTestNotification, &response);
    if (code != kExitOk) return code;
    const int shown = runner.Show(response, &RenderTestNotification);
    if (shown != kExitOk) return shown;
    // A test is for seeing the message arrive: one still waiting for a retry is a "no".
    for (const v1::Delivery& delivery : response.deliveries()) {
      if (delivery.state() != v1::DELIVERY_STATE_DELIVERED) return kExitNo;
    }
    return response.deliveries().empty() ? kExitNo : kExitOk;
  }
  if (command == "inbox") {
    return runner.List(
        BuildListInboxMessagesRequest(invocation), &N::ListInboxMessages,
        [](v1::ListInboxMessagesResponse& r) { return r.mutable_messages(); }, &RenderInbox,
        [](const v1::InboxMessage& m) { return LaunchOfItem(m.item()); },
        invocation.GetBool("all"));
  }
  if (command == "subscription") {
    return runner.Call(Built(v1::GetSubscriptionStatusRequest()), &N::GetSubscriptionStatus,
                       &RenderSubscriptionStatus);
  }
  return runner.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

// Reads are retried by gRPC itself on UNAVAILABLE (a connection that failed or dropped, a
// service that was briefly busy): three tries within a second, so a service that is down still
// fails fast. Writes are not: a lost answer must not become a second change.
constexpr char kRetryReads[] = R"json({"methodConfig": [{
  "name": [
    {"service": "preflight.v1.ChecklistService", "method": "GetLaunch"},
    {"service": "preflight.v1.ChecklistService", "method": "ListLaunches"},
    {"service": "preflight.v1.ChecklistService", "method": "GetReadiness"},
    {"service": "preflight.v1.ChecklistService", "method": "ListEvents"},
    {"service": "preflight.v1.ChecklistService", "method": "ListTemplates"},
    {"service": "preflight.v1.ChecklistService", "method": "ListItems"},
    {"service": "preflight.v1.NotifierService", "method": "ListReminders"},
    {"service": "preflight.v1.NotifierService", "method": "ListDeliveries"},
    {"service": "preflight.v1.NotifierService", "method": "ListRecipients"},
    {"service": "preflight.v1.NotifierService", "method": "GetRecipient"},
    {"service": "preflight.v1.NotifierService", "method": "ListInboxMessages"},
    {"service": "preflight.v1.NotifierService", "method": "GetSubscriptionStatus"},
    {"service": "preflight.v1.AuthService", "method": "ListTokens"},
    {"service": "preflight.v1.AuthService", "method": "GetCallerIdentity"}
  ],
  "retryPolicy": {
    "maxAttempts": 3,
    "initialBackoff": "0.1s",
    "maxBackoff": "0.4s",
    "backoffMultiplier": 2,
    "retryableStatusCodes": ["UNAVAILABLE"]
  }
}]})json";

// A channel to `address`, over TLS when `tls` says so.
std::shared_ptr<grpc::Channel> ConnectTo(const std::string& address, const ClientTls& tls) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(kRetryReads);
  tls.Apply(args);
  return grpc::CreateCustomChannel(address, tls.credentials, args);
}

}  // namespace

std::unique_ptr<ChecklistClient> ConnectToServer(const GlobalOptions& options) {
  return NewGrpcChecklistClient(ConnectTo(options.server, options.tls), options.actor,
                                options.timeout, options.bearer_token);
}

std::unique_ptr<AuthClient> ConnectToAuth(const GlobalOptions& options) {
  return NewGrpcAuthClient(ConnectTo(options.server, options.tls), options.actor, options.timeout,
                           options.bearer_token);
}

std::unique_ptr<AdminClient> ConnectToAdmin(const GlobalOptions& options,
                                            const std::string& address) {
  // A backup of a big database takes a while: --timeout bounds each chunk's wait, not the
  // whole copy, so give the call at least half an hour.
  return NewGrpcAdminClient(ConnectTo(address, options.tls), options.actor,
                            std::max(options.timeout, absl::Minutes(30)), options.bearer_token);
}

std::unique_ptr<NotifierClient> ConnectToNotifier(const GlobalOptions& options) {
  return NewGrpcNotifierClient(ConnectTo(options.notifier, options.tls), options.actor,
                               options.timeout, options.bearer_token);
}

Connectors DefaultConnectors() {
  return Connectors{&ConnectToServer, &ConnectToNotifier, &ConnectToAuth, &ConnectToAdmin};
}

int RunCli(const std::vector<std::string>& args, const Environment& env, const Connectors& connect,
           std::ostream& out, std::ostream& err) {
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "version")) {
    out << VersionLine("preflight") << "\n";
    return kExitOk;
  }
  if (!args.empty() && args[0] == "__complete") {
    out << CompletionCandidates(std::vector<std::string>(args.begin() + 1, args.end()), env);
    return kExitOk;
  }
  Invocation invocation;
  const absl::Status parsed = ParseCommandLine(args, &invocation);
  if (!parsed.ok()) return Runner::PrintUsageError(invocation, parsed, err);
  if (invocation.help) {
    out << HelpText(invocation.help_path);
    return kExitOk;
  }
  if (invocation.command->path == "completion") {
    absl::StatusOr<std::string> script = CompletionScript(invocation.arguments.at(0));
    if (!script.ok()) return Runner::PrintUsageError(invocation, script.status(), err);
    out << *script;
    return kExitOk;
  }
  if (invocation.command->path == "version") {
    out << VersionLine("preflight") << "\n";
    return kExitOk;
  }
  if (invocation.command->service == Service::kLocal) {
    return RunConfigCommand(invocation, env, out, err);
  }
  const absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, env);
  if (!options.ok()) return Runner::PrintUsageError(invocation, options.status(), err);
  ApplyContextDefaults(*options, &invocation);
  if (absl::Status given = CheckRequiredFlags(invocation); !given.ok()) {
    return Runner::PrintUsageError(invocation, given, err);
  }
  Runner runner(invocation, *options, connect, out, err);
  switch (invocation.command->service) {
    case Service::kNotifier:
      return DispatchNotifier(invocation, runner);
    case Service::kAuth:
      return DispatchAuth(invocation, runner);
    case Service::kAdmin:
      return DispatchAdmin(invocation, *options, connect, out, err);
    case Service::kChecklist:
    case Service::kLocal:
      break;
  }
  return DispatchChecklist(invocation, runner);
}

int RunCli(const std::vector<std::string>& args, absl::string_view default_actor,
           const Connectors& connect, std::ostream& out, std::ostream& err) {
  Environment env;
  env.default_actor = std::string(default_actor);
  return RunCli(args, env, connect, out, err);
}

}  // namespace preflight::cli

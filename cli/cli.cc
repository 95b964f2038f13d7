#include "cli/cli.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/admin_backup.h"
#include "cli/auth_commands.h"
#include "cli/notifier_render.h"
#include "cli/notifier_requests.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "common/build_info.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace preflight::cli {
namespace {

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
    err << "error: " << status.message() << "\n\n"
        << (invocation.command != nullptr ? CommandUsage(*invocation.command) : UsageText());
    return kExitUsage;
  }

  int RpcError(const grpc::Status& status) const {
    err_ << "error: "
         << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())) << ": "
         << status.error_message() << "\n";
    return kExitRpcError;
  }

  bool json() const { return options_.json; }

  template <typename Client>
  Client& client() {
    if constexpr (std::is_same_v<Client, ChecklistClient>) {
      if (checklist_ == nullptr) checklist_ = connect_.checklist(options_);
      return *checklist_;
    } else if constexpr (std::is_same_v<Client, AuthClient>) {
      if (auth_ == nullptr) auth_ = connect_.auth(options_);
      return *auth_;
    } else {
      static_assert(std::is_same_v<Client, NotifierClient>);
      if (notifier_ == nullptr) notifier_ = connect_.notifier(options_);
      return *notifier_;
    }
  }

  // Prints `message` as JSON with --json, else as `render` draws it.
  template <typename Message, typename Render>
  int Show(const Message& message, const Render& render) const {
    if (!json()) {
      out_ << render(message);
      return kExitOk;
    }
    absl::StatusOr<std::string> json = ToJson(message);
    if (!json.ok()) {
      err_ << "error: " << json.status().message() << "\n";
      return kExitRpcError;
    }
    out_ << *json;
    return kExitOk;
  }

  // Calls `method` with `request` (made from the command line) and shows the answer.
  template <typename Client, typename Request, typename Response, typename Render>
  int Call(absl::StatusOr<Request> request,
           grpc::Status (Client::*method)(const Request&, Response*), const Render& render) {
    if (!request.ok()) return UsageError(request.status());
    Response response;
    const grpc::Status status = (client<Client>().*method)(*request, &response);
    if (!status.ok()) return RpcError(status);
    return Show(response, render);
  }

  // Calls the list `method` once, or with `all` page after page, gathering the entries that
  // `entries` points into one response without a next page token.
  template <typename Client, typename Request, typename Response, typename Entries>
  grpc::Status Fetch(Request request, grpc::Status (Client::*method)(const Request&, Response*),
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

  // A list command: one page, or every page with --all.
  template <typename Client, typename Request, typename Response, typename Entries, typename Render>
  int List(absl::StatusOr<Request> request,
           grpc::Status (Client::*method)(const Request&, Response*), const Entries& entries,
           const Render& render) {
    if (!request.ok()) return UsageError(request.status());
    Response response;
    const grpc::Status status =
        Fetch(*std::move(request), method, entries, invocation_.GetBool("all"), &response);
    if (!status.ok()) return RpcError(status);
    return Show(response, render);
  }

  // `reminders list` and `reminders dry-run`: the table shows send times in each launch's zone,
  // which the checklist service knows.
  int Reminders(absl::StatusOr<v1::ListRemindersRequest> request, bool all) {
    if (!request.ok()) return UsageError(request.status());
    v1::ListRemindersResponse response;
    const grpc::Status status = Fetch(
        *std::move(request), &NotifierClient::ListReminders,
        [](v1::ListRemindersResponse& r) { return r.mutable_reminders(); }, all, &response);
    if (!status.ok()) return RpcError(status);
    const LaunchZones zones = json() ? LaunchZones() : LookUpZones(response);
    return Show(response,
                [&](const v1::ListRemindersResponse& r) { return RenderReminders(r, zones); });
  }

 private:
  // Asks the checklist service for the time zone of each launch the reminders are about. Best
  // effort: a launch it cannot answer for is shown in UTC, and once the service is unreachable it
  // is not asked again (each try could take the whole timeout).
  LaunchZones LookUpZones(const v1::ListRemindersResponse& response) {
    LaunchZones zones;
    std::set<std::string> asked;
    for (const v1::Reminder& reminder : response.reminders()) {
      const std::string launch = LaunchOfItem(reminder.item());
      if (launch.empty() || !asked.insert(launch).second) continue;
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
};

template <typename Message>
absl::StatusOr<Message> Built(Message message) {
  return message;
}

int DispatchAuth(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using A = AuthClient;
  if (command == "tokens create") {
    return runner.Call(BuildCreateTokenRequest(invocation), &A::CreateToken, &RenderCreatedToken);
  }
  if (command == "tokens list") {
    return runner.List(
        BuildListTokensRequest(invocation), &A::ListTokens,
        [](v1::ListTokensResponse& r) { return r.mutable_tokens(); }, &RenderTokens);
  }
  if (command == "tokens revoke") {
    return runner.Call(absl::StatusOr<v1::RevokeTokenRequest>(BuildRevokeTokenRequest(invocation)),
                       &A::RevokeToken, &RenderToken);
  }
  if (command == "whoami") {
    return runner.Call(absl::StatusOr<v1::GetCallerIdentityRequest>(v1::GetCallerIdentityRequest()),
                       &A::GetCallerIdentity, &RenderToken);
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

int DispatchChecklist(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using C = ChecklistClient;
  if (command == "launch create") {
    return runner.Call(BuildCreateLaunchRequest(invocation), &C::CreateLaunch, &RenderLaunch);
  }
  if (command == "launch list") {
    return runner.Call(BuildListLaunchesRequest(invocation), &C::ListLaunches, &RenderLaunchList);
  }
  if (command == "launch show") {
    return runner.Call(Built(BuildGetLaunchRequest(invocation)), &C::GetLaunch, &RenderLaunch);
  }
  if (command == "launch update") {
    return runner.Call(BuildUpdateLaunchRequest(invocation), &C::UpdateLaunch, &RenderLaunch);
  }
  if (command == "item update") {
    return runner.Call(BuildUpdateItemRequest(invocation), &C::UpdateItem, &RenderItem);
  }
  if (command == "item add") {
    return runner.Call(BuildAddItemRequest(invocation), &C::AddItem, &RenderItem);
  }
  if (command == "readiness") {
    return runner.Call(Built(BuildGetReadinessRequest(invocation)), &C::GetReadiness,
                       &RenderReadiness);
  }
  if (command == "events") {
    return runner.List(
        BuildListEventsRequest(invocation), &C::ListEvents,
        [](v1::ListEventsResponse& r) { return r.mutable_events(); }, &RenderEvents);
  }
  if (command == "templates") {
    return runner.Call(BuildListTemplatesRequest(invocation), &C::ListTemplates, &RenderTemplates);
  }
  return runner.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

int DispatchNotifier(const Invocation& invocation, Runner& runner) {
  const absl::string_view command = invocation.command->path;
  using N = NotifierClient;
  if (command == "reminders list") {
    return runner.Reminders(BuildListRemindersRequest(invocation), invocation.GetBool("all"));
  }
  if (command == "reminders dry-run") {
    // A dry run is the launch's whole forecast, however many pages it takes.
    return runner.Reminders(BuildDryRunRequest(invocation), /*all=*/true);
  }
  if (command == "reminders snooze") {
    return runner.Call(BuildSnoozeReminderRequest(invocation), &N::SnoozeReminder,
                       &RenderItemReminderState);
  }
  if (command == "reminders ack") {
    return runner.Call(BuildAcknowledgeReminderRequest(invocation), &N::AcknowledgeReminder,
                       &RenderItemReminderState);
  }
  if (command == "deliveries list") {
    return runner.List(
        BuildListDeliveriesRequest(invocation), &N::ListDeliveries,
        [](v1::ListDeliveriesResponse& r) { return r.mutable_deliveries(); }, &RenderDeliveries);
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
    return runner.Call(
        Built(request), &N::DeleteRecipient,
        [&](const v1::DeleteRecipientResponse&) { return RenderDeletedRecipient(request.name()); });
  }
  if (command == "notify test") {
    return runner.Call(BuildSendTestNotificationRequest(invocation), &N::SendTestNotification,
                       &RenderTestNotification);
  }
  if (command == "inbox") {
    return runner.List(
        BuildListInboxMessagesRequest(invocation), &N::ListInboxMessages,
        [](v1::ListInboxMessagesResponse& r) { return r.mutable_messages(); }, &RenderInbox);
  }
  if (command == "subscription") {
    return runner.Call(Built(v1::GetSubscriptionStatusRequest()), &N::GetSubscriptionStatus,
                       &RenderSubscriptionStatus);
  }
  return runner.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

}  // namespace

namespace {

// A channel to `address`, over TLS when `tls` says so.
std::shared_ptr<grpc::Channel> ConnectTo(const std::string& address, const ClientTls& tls) {
  grpc::ChannelArguments args;
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

int RunCli(const std::vector<std::string>& args, absl::string_view default_actor,
           const Connectors& connect, std::ostream& out, std::ostream& err) {
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "version")) {
    out << VersionLine("preflight") << "\n";
    return kExitOk;
  }
  Invocation invocation;
  const absl::Status parsed = ParseCommandLine(args, &invocation);
  if (parsed.ok() && invocation.help) {
    out << (invocation.command != nullptr ? CommandUsage(*invocation.command) : UsageText());
    return kExitOk;
  }
  if (!parsed.ok()) return Runner::PrintUsageError(invocation, parsed, err);
  const absl::StatusOr<GlobalOptions> options = ReadGlobalOptions(invocation, default_actor);
  if (!options.ok()) return Runner::PrintUsageError(invocation, options.status(), err);
  Runner runner(invocation, *options, connect, out, err);
  switch (invocation.command->service) {
    case Service::kNotifier:
      return DispatchNotifier(invocation, runner);
    case Service::kAuth:
      return DispatchAuth(invocation, runner);
    case Service::kAdmin:
      return DispatchAdmin(invocation, *options, connect, out, err);
    case Service::kChecklist:
      break;
  }
  return DispatchChecklist(invocation, runner);
}

}  // namespace preflight::cli

#include "cli/cli.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cli/render.h"
#include "cli/requests.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace preflight::cli {
namespace {

// Where a command's results and errors go, and in which form.
class Printer {
 public:
  Printer(const Invocation& invocation, bool json, std::ostream& out, std::ostream& err)
      : invocation_(invocation), json_(json), out_(out), err_(err) {}

  int UsageError(const absl::Status& status) const {
    err_ << "error: " << status.message() << "\n\n"
         << (invocation_.command != nullptr ? CommandUsage(*invocation_.command) : UsageText());
    return kExitUsage;
  }

  int RpcError(const grpc::Status& status) const {
    err_ << "error: "
         << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())) << ": "
         << status.error_message() << "\n";
    return kExitRpcError;
  }

  // Prints `message` as JSON with --json, else as `render` draws it.
  template <typename Message>
  int Show(const Message& message, std::string (*render)(const Message&)) const {
    if (!json_) {
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

  // Calls `method` with the request `build` made from the command line, and shows the answer.
  template <typename Request, typename Response>
  int Call(absl::StatusOr<Request> request,
           grpc::Status (ChecklistClient::*method)(const Request&, Response*),
           ChecklistClient& client, std::string (*render)(const Response&)) const {
    if (!request.ok()) return UsageError(request.status());
    Response response;
    const grpc::Status status = (client.*method)(*request, &response);
    if (!status.ok()) return RpcError(status);
    return Show(response, render);
  }

 private:
  const Invocation& invocation_;
  const bool json_;
  std::ostream& out_;
  std::ostream& err_;
};

// `events --all`: follows the page tokens and shows every event as one response.
int ListAllEvents(v1::ListEventsRequest request, ChecklistClient& client, const Printer& printer) {
  v1::ListEventsResponse all;
  while (true) {
    v1::ListEventsResponse page;
    const grpc::Status status = client.ListEvents(request, &page);
    if (!status.ok()) return printer.RpcError(status);
    for (v1::Event& event : *page.mutable_events()) *all.add_events() = std::move(event);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return printer.Show(all, &RenderEvents);
}

int Dispatch(const Invocation& invocation, ChecklistClient& client, const Printer& printer) {
  const absl::string_view command = invocation.command->path;
  if (command == "launch create") {
    return printer.Call(BuildCreateLaunchRequest(invocation), &ChecklistClient::CreateLaunch,
                        client, &RenderLaunch);
  }
  if (command == "launch list") {
    return printer.Call(BuildListLaunchesRequest(invocation), &ChecklistClient::ListLaunches,
                        client, &RenderLaunchList);
  }
  if (command == "launch show") {
    return printer.Call(absl::StatusOr<v1::GetLaunchRequest>(BuildGetLaunchRequest(invocation)),
                        &ChecklistClient::GetLaunch, client, &RenderLaunch);
  }
  if (command == "launch update") {
    return printer.Call(BuildUpdateLaunchRequest(invocation), &ChecklistClient::UpdateLaunch,
                        client, &RenderLaunch);
  }
  if (command == "item update") {
    return printer.Call(BuildUpdateItemRequest(invocation), &ChecklistClient::UpdateItem, client,
                        &RenderItem);
  }
  if (command == "item add") {
    return printer.Call(BuildAddItemRequest(invocation), &ChecklistClient::AddItem, client,
                        &RenderItem);
  }
  if (command == "readiness") {
    return printer.Call(
        absl::StatusOr<v1::GetReadinessRequest>(BuildGetReadinessRequest(invocation)),
        &ChecklistClient::GetReadiness, client, &RenderReadiness);
  }
  if (command == "events") {
    absl::StatusOr<v1::ListEventsRequest> request = BuildListEventsRequest(invocation);
    if (request.ok() && invocation.GetBool("all")) {
      return ListAllEvents(*std::move(request), client, printer);
    }
    return printer.Call(std::move(request), &ChecklistClient::ListEvents, client, &RenderEvents);
  }
  if (command == "templates") {
    return printer.Call(BuildListTemplatesRequest(invocation), &ChecklistClient::ListTemplates,
                        client, &RenderTemplates);
  }
  return printer.UsageError(absl::InvalidArgumentError(absl::StrCat("no handler for ", command)));
}

}  // namespace

std::unique_ptr<ChecklistClient> ConnectToServer(const GlobalOptions& options) {
  return NewGrpcChecklistClient(
      grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials()), options.actor,
      options.timeout);
}

int RunCli(const std::vector<std::string>& args, absl::string_view default_actor,
           const ClientFactory& connect, std::ostream& out, std::ostream& err) {
  Invocation invocation;
  const absl::Status parsed = ParseCommandLine(args, &invocation);
  if (parsed.ok() && invocation.help) {
    out << (invocation.command != nullptr ? CommandUsage(*invocation.command) : UsageText());
    return kExitOk;
  }
  absl::StatusOr<GlobalOptions> options =
      parsed.ok() ? ReadGlobalOptions(invocation, default_actor) : parsed;
  const Printer printer(invocation, options.ok() && options->json, out, err);
  if (!options.ok()) return printer.UsageError(options.status());
  std::unique_ptr<ChecklistClient> client = connect(*options);
  return Dispatch(invocation, *client, printer);
}

}  // namespace preflight::cli

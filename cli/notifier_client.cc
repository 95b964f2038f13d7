#include "cli/notifier_client.h"

#include <utility>

#include "absl/time/clock.h"
#include "cli/checklist_client.h"
#include "cli/rpc_call.h"
#include "grpcpp/client_context.h"
#include "preflight/v1/notifier.grpc.pb.h"

namespace preflight::cli {
namespace {

class GrpcNotifierClient : public NotifierClient {
 public:
  GrpcNotifierClient(std::shared_ptr<grpc::Channel> channel, std::string actor,
                     absl::Duration timeout, std::string bearer_token)
      : stub_(v1::NotifierService::NewStub(std::move(channel))),
        actor_(std::move(actor)),
        timeout_(timeout),
        bearer_token_(std::move(bearer_token)) {}

  grpc::Status ListReminders(const v1::ListRemindersRequest& request,
                             v1::ListRemindersResponse* response) override {
    return Call(&Stub::ListReminders, request, response);
  }
  grpc::Status ListDeliveries(const v1::ListDeliveriesRequest& request,
                              v1::ListDeliveriesResponse* response) override {
    return Call(&Stub::ListDeliveries, request, response);
  }
  grpc::Status CreateRecipient(const v1::CreateRecipientRequest& request,
                               v1::Recipient* response) override {
    return Call(&Stub::CreateRecipient, request, response);
  }
  grpc::Status GetRecipient(const v1::GetRecipientRequest& request,
                            v1::Recipient* response) override {
    return Call(&Stub::GetRecipient, request, response);
  }
  grpc::Status ListRecipients(const v1::ListRecipientsRequest& request,
                              v1::ListRecipientsResponse* response) override {
    return Call(&Stub::ListRecipients, request, response);
  }
  grpc::Status UpdateRecipient(const v1::UpdateRecipientRequest& request,
                               v1::Recipient* response) override {
    return Call(&Stub::UpdateRecipient, request, response);
  }
  grpc::Status DeleteRecipient(const v1::DeleteRecipientRequest& request,
                               v1::DeleteRecipientResponse* response) override {
    return Call(&Stub::DeleteRecipient, request, response);
  }
  grpc::Status SnoozeReminder(const v1::SnoozeReminderRequest& request,
                              v1::ItemReminderState* response) override {
    return Call(&Stub::SnoozeReminder, request, response);
  }
  grpc::Status AcknowledgeReminder(const v1::AcknowledgeReminderRequest& request,
                                   v1::ItemReminderState* response) override {
    return Call(&Stub::AcknowledgeReminder, request, response);
  }
  grpc::Status SendTestNotification(const v1::SendTestNotificationRequest& request,
                                    v1::SendTestNotificationResponse* response) override {
    return Call(&Stub::SendTestNotification, request, response);
  }
  grpc::Status ListInboxMessages(const v1::ListInboxMessagesRequest& request,
                                 v1::ListInboxMessagesResponse* response) override {
    return Call(&Stub::ListInboxMessages, request, response);
  }
  grpc::Status GetSubscriptionStatus(const v1::GetSubscriptionStatusRequest& request,
                                     v1::SubscriptionStatus* response) override {
    return Call(&Stub::GetSubscriptionStatus, request, response);
  }

 private:
  using Stub = v1::NotifierService::Stub;

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return CallUnary(stub_.get(), method, request, response, actor_, timeout_, bearer_token_);
  }

  std::unique_ptr<Stub> stub_;
  const std::string actor_;
  const absl::Duration timeout_;
  const std::string bearer_token_;
};

}  // namespace

std::unique_ptr<NotifierClient> NewGrpcNotifierClient(std::shared_ptr<grpc::Channel> channel,
                                                      std::string actor, absl::Duration timeout,
                                                      std::string bearer_token) {
  return std::make_unique<GrpcNotifierClient>(std::move(channel), std::move(actor), timeout,
                                              std::move(bearer_token));
}

}  // namespace preflight::cli

#pragma once

// The CLI's view of the notifier service: one method per RPC, like ChecklistClient, so that
// commands are tested without a server.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::cli {

class NotifierClient {
 public:
  virtual ~NotifierClient() = default;

  virtual grpc::Status ListReminders(const v1::ListRemindersRequest& request,
                                     v1::ListRemindersResponse* response) = 0;
  virtual grpc::Status ListDeliveries(const v1::ListDeliveriesRequest& request,
                                      v1::ListDeliveriesResponse* response) = 0;
  virtual grpc::Status CreateRecipient(const v1::CreateRecipientRequest& request,
                                       v1::Recipient* response) = 0;
  virtual grpc::Status GetRecipient(const v1::GetRecipientRequest& request,
                                    v1::Recipient* response) = 0;
  virtual grpc::Status ListRecipients(const v1::ListRecipientsRequest& request,
                                      v1::ListRecipientsResponse* response) = 0;
  virtual grpc::Status UpdateRecipient(const v1::UpdateRecipientRequest& request,
                                       v1::Recipient* response) = 0;
  virtual grpc::Status DeleteRecipient(const v1::DeleteRecipientRequest& request,
                                       v1::DeleteRecipientResponse* response) = 0;
  virtual grpc::Status SnoozeReminder(const v1::SnoozeReminderRequest& request,
                                      v1::ItemReminderState* response) = 0;
  virtual grpc::Status AcknowledgeReminder(const v1::AcknowledgeReminderRequest& request,
                                           v1::ItemReminderState* response) = 0;
  virtual grpc::Status SendTestNotification(const v1::SendTestNotificationRequest& request,
                                            v1::SendTestNotificationResponse* response) = 0;
  virtual grpc::Status ListInboxMessages(const v1::ListInboxMessagesRequest& request,
                                         v1::ListInboxMessagesResponse* response) = 0;
  virtual grpc::Status GetSubscriptionStatus(const v1::GetSubscriptionStatusRequest& request,
                                             v1::SubscriptionStatus* response) = 0;
};

// A client over `channel`: every call carries `actor` (when not empty) as x-preflight-actor
// metadata, `bearer_token` (when not empty) as authorization metadata, and a deadline of
// `timeout` from the moment it starts.
std::unique_ptr<NotifierClient> NewGrpcNotifierClient(std::shared_ptr<grpc::Channel> channel,
                                                      std::string actor, absl::Duration timeout,
                                                      std::string bearer_token = "");

}  // namespace preflight::cli

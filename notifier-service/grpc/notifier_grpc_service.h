#pragma once

#include <functional>

#include "common/auth/call_authorizer.h"
#include "common/page_token.h"
#include "notifier-service/engine/notifier_engine.h"
#include "notifier-service/engine/notifier_limits.h"
#include "notifier-service/grpc/notifier_proto_mapping.h"
#include "preflight/v1/notifier.grpc.pb.h"

namespace preflight::notifier {

// preflight.v1.NotifierService over gRPC: validates each request, maps it onto NotifierEngine and
// answers with the engine's result or status. Holds no state of its own beyond the page-token
// key.
class NotifierGrpcService final : public v1::NotifierService::Service {
 public:
  // Page sizes: the proto's bounds and defaults (all limits live in notifier_limits.h).
  static constexpr int kMaxReminderPageSize = limits::kMaxReminderPageSize;
  static constexpr int kDefaultReminderPageSize = limits::kDefaultReminderPageSize;
  static constexpr int kMaxDeliveryPageSize = limits::kMaxDeliveryPageSize;
  static constexpr int kDefaultDeliveryPageSize = limits::kDefaultDeliveryPageSize;
  static constexpr int kMaxRecipientPageSize = limits::kMaxRecipientPageSize;
  static constexpr int kDefaultRecipientPageSize = limits::kDefaultRecipientPageSize;
  static constexpr int kMaxInboxPageSize = limits::kMaxInboxPageSize;
  static constexpr int kDefaultInboxPageSize = limits::kDefaultInboxPageSize;
  // ListReminders horizon in days.
  static constexpr int kMaxForecastDays = limits::kMaxForecastDays;
  static constexpr int kDefaultForecastDays = 14;
  static constexpr int kMaxSnoozeDays = limits::kMaxSnoozeDays;

  // `engine` must outlive the service. `subscription_status` answers GetSubscriptionStatus (the
  // event subscriber's Status()); when empty that RPC is UNAVAILABLE. `authorizer` checks each
  // call's token, role and tenant; nullptr serves without authentication.
  NotifierGrpcService(NotifierEngine* engine, PageTokenCodec page_tokens,
                      std::function<v1::SubscriptionStatus()> subscription_status,
                      const auth::CallAuthorizer* authorizer = nullptr);

  grpc::Status ListReminders(grpc::ServerContext* context, const v1::ListRemindersRequest* request,
                             v1::ListRemindersResponse* response) override;
  grpc::Status ListDeliveries(grpc::ServerContext* context,
                              const v1::ListDeliveriesRequest* request,
                              v1::ListDeliveriesResponse* response) override;
  grpc::Status CreateRecipient(grpc::ServerContext* context,
                               const v1::CreateRecipientRequest* request,
                               v1::Recipient* response) override;
  grpc::Status GetRecipient(grpc::ServerContext* context, const v1::GetRecipientRequest* request,
                            v1::Recipient* response) override;
  grpc::Status ListRecipients(grpc::ServerContext* context,
                              const v1::ListRecipientsRequest* request,
                              v1::ListRecipientsResponse* response) override;
  grpc::Status UpdateRecipient(grpc::ServerContext* context,
                               const v1::UpdateRecipientRequest* request,
                               v1::Recipient* response) override;
  grpc::Status DeleteRecipient(grpc::ServerContext* context,
                               const v1::DeleteRecipientRequest* request,
                               v1::DeleteRecipientResponse* response) override;
  grpc::Status SnoozeReminder(grpc::ServerContext* context,
                              const v1::SnoozeReminderRequest* request,
                              v1::ItemReminderState* response) override;
  grpc::Status AcknowledgeReminder(grpc::ServerContext* context,
                                   const v1::AcknowledgeReminderRequest* request,
                                   v1::ItemReminderState* response) override;
  grpc::Status SendTestNotification(grpc::ServerContext* context,
                                    const v1::SendTestNotificationRequest* request,
                                    v1::SendTestNotificationResponse* response) override;
  grpc::Status ListInboxMessages(grpc::ServerContext* context,
                                 const v1::ListInboxMessagesRequest* request,
                                 v1::ListInboxMessagesResponse* response) override;
  grpc::Status GetSubscriptionStatus(grpc::ServerContext* context,
                                     const v1::GetSubscriptionStatusRequest* request,
                                     v1::SubscriptionStatus* response) override;

 private:
  // NOT_FOUND, worded as for a missing one, when the launch or recipient is another tenant's
  // (or, for a scoped caller, a tenant-less recipient).
  absl::Status CheckLaunchVisible(const auth::Principal& principal,
                                  const std::string& launch_id) const;
  absl::Status CheckRecipientVisible(const auth::Principal& principal,
                                     const api::RecipientKey& name) const;
  // A recipient's subscriptions stay in its tenant: "tenants/{other}" is PERMISSION_DENIED for a
  // caller scoped to one tenant (INVALID_ARGUMENT from the validation otherwise), and a tenant
  // recipient's "launches/{launch}" must be a launch of its tenant the notifier knows
  // (INVALID_ARGUMENT, worded alike for unknown and other tenants' launches). Names the entry.
  absl::Status CheckSubscriptions(const auth::Principal& principal,
                                  const Recipient& recipient) const;

  static const auth::CallAuthorizer kNoAuthentication;
  const auth::CallAuthorizer* const authorizer_;
  NotifierEngine* const engine_;
  const PageTokenCodec page_tokens_;
  const std::function<v1::SubscriptionStatus()> subscription_status_;
};

}  // namespace preflight::notifier

#include "notifier-service/grpc/recipients_file.h"

#include "absl/strings/str_cat.h"
#include "common/error_text.h"
#include "common/request_text.h"
#include "common/text_proto.h"
#include "notifier-service/grpc/notifier_proto_mapping.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight::notifier {
namespace {

bool SameSettings(const Recipient& a, const Recipient& b) {
  return a.tenant == b.tenant && a.display_name == b.display_name && a.language == b.language &&
         a.channels == b.channels && a.digest == b.digest && a.subscriptions == b.subscriptions &&
         a.roles == b.roles;
}

}  // namespace

absl::Status ApplyRecipientsFile(const std::string& path, NotifierEngine& engine) {
  v1::RecipientsFile file;
  absl::Status parsed = ParseTextProtoFile(path, &file);
  if (!parsed.ok()) return parsed;
  for (const v1::Recipient& proto : file.recipients()) {
    absl::Status text = CheckRequestText(proto);
    absl::StatusOr<Recipient> wanted =
        text.ok() ? NewRecipientFromProto(proto) : absl::StatusOr<Recipient>(text);
    if (!wanted.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", QuoteForError(proto.name()), ": ", wanted.status().message()));
    }
    absl::StatusOr<Recipient> current = engine.GetRecipient(wanted->tenant, wanted->id);
    absl::Status written;
    if (absl::IsNotFound(current.status())) {
      written = engine.CreateRecipient(*wanted).status();
    } else if (!current.ok()) {
      written = current.status();
    } else if (!SameSettings(*current, *wanted)) {
      wanted->version = current->version + 1;
      wanted->create_time = current->create_time;
      written = engine.UpdateRecipient(*wanted).status();
    }
    if (!written.ok()) {
      return absl::Status(written.code(),
                          absl::StrCat(path, ": ", proto.name(), ": ", written.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace preflight::notifier

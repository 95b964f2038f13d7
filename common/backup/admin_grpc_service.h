#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/call_authorizer.h"
#include "preflight/v1/admin.grpc.pb.h"

namespace preflight::backup {

// One database a backup copies.
struct BackupSource {
  // Its name in the backup, e.g. "checklist.db".
  std::string name;
  // The live database file.
  std::string path;
};

// preflight.v1.AdminService: Backup copies every source with SQLite's backup API into a scratch
// folder, describes the copies in a manifest, and streams the manifest and the copies; the
// copies are deleted when the call ends. Needs an all-tenant admin when authentication is on.
class AdminGrpcService final : public v1::AdminService::Service {
 public:
  struct Options {
    // "checklist-service" or "notifier-service".
    std::string service_name;
    std::vector<BackupSource> sources;
    // Where the copies are made: the service's data folder (writable, and on the same disk).
    std::string scratch_dir;
    // Fills the manifest's event_sequence and log_epoch from the copies (name -> path).
    std::function<absl::Status(const std::map<std::string, std::string>& copies,
                               v1::BackupManifest* manifest)>
        describe;
    size_t chunk_bytes = 256 * 1024;
    // When set, the state is not in files this service can copy (it is in PostgreSQL): Backup
    // answers FAILED_PRECONDITION with this text, which says how to back it up instead.
    std::string not_here;
  };

  // `authorizer` must outlive the service; nullptr serves without authentication.
  AdminGrpcService(Options options, const auth::CallAuthorizer* authorizer);

  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest* request,
                      grpc::ServerWriter<v1::BackupResponse>* writer) override;

 private:
  absl::Status CopyAndDescribe(const std::string& folder, v1::BackupManifest* manifest,
                               std::map<std::string, std::string>* copies) const;

  static const auth::CallAuthorizer kNoAuthentication;
  const Options options_;
  const auth::CallAuthorizer* const authorizer_;
  // One backup at a time: held for the whole call.
  absl::Mutex running_;
};

}  // namespace preflight::backup

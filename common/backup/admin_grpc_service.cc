#include "common/backup/admin_grpc_service.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/backup/backup_files.h"
#include "common/build_info.h"
#include "common/grpc_status.h"

namespace preflight::backup {
namespace {

// Removes the scratch folder of one backup when the call ends, however it ends.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::string path) : path_(std::move(path)) {}
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
};

}  // namespace

const auth::CallAuthorizer AdminGrpcService::kNoAuthentication(nullptr);

AdminGrpcService::AdminGrpcService(Options options, const auth::CallAuthorizer* authorizer)
    : options_(std::move(options)),
      authorizer_(authorizer != nullptr ? authorizer : &kNoAuthentication) {}

absl::Status AdminGrpcService::CopyAndDescribe(const std::string& folder,
                                               v1::BackupManifest* manifest,
                                               std::map<std::string, std::string>* copies) const {
  for (const BackupSource& source : options_.sources) {
    const std::string copy = absl::StrCat(folder, "/", source.name);
    if (absl::Status s = CopySqliteDatabase(source.path, copy); !s.ok()) return s;
    (*copies)[source.name] = copy;
  }
  manifest->set_service(options_.service_name);
  manifest->set_version(std::string(GetBuildInfo().version));
  manifest->set_revision(std::string(GetBuildInfo().git_revision));
  const absl::Time now = absl::Now();
  manifest->mutable_create_time()->set_seconds(absl::ToUnixSeconds(now));
  manifest->mutable_create_time()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(now - absl::FromUnixSeconds(absl::ToUnixSeconds(now)))));
  for (const BackupSource& source : options_.sources) {
    absl::StatusOr<v1::BackupFile> file =
        DescribeDatabaseFile(copies->at(source.name), source.name);
    if (!file.ok()) return file.status();
    *manifest->add_files() = *std::move(file);
  }
  if (options_.describe) return options_.describe(*copies, manifest);
  return absl::OkStatus();
}

grpc::Status AdminGrpcService::Backup(grpc::ServerContext* context,
                                      const v1::BackupRequest* request,
                                      grpc::ServerWriter<v1::BackupResponse>* writer) {
  absl::StatusOr<auth::Principal> principal =
      authorizer_->Authorize(*context, auth::Permission::kAdmin);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (!principal->AllTenants()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "a backup holds every tenant's data: it needs a token for all tenants");
  }
  if (!options_.not_here.empty()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, options_.not_here);
  }
  if (!running_.TryLock()) {
    return grpc::Status(grpc::StatusCode::ABORTED, "another backup is running; try again later");
  }
  struct Unlock {
    absl::Mutex* mu;
    ~Unlock() { mu->Unlock(); }
  } unlock{&running_};

  std::string folder = absl::StrCat(options_.scratch_dir, "/.backup-XXXXXX");
  if (mkdtemp(folder.data()) == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        absl::StrCat("cannot make a scratch folder in ", options_.scratch_dir));
  }
  const ScratchFolder scratch(folder);
  v1::BackupResponse first;
  std::map<std::string, std::string> copies;
  if (absl::Status s = CopyAndDescribe(scratch.path(), first.mutable_manifest(), &copies);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (!writer->Write(first)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  std::string buffer(options_.chunk_bytes, '\0');
  for (const BackupSource& source : options_.sources) {
    std::ifstream in(copies.at(source.name), std::ios::binary);
    if (!in) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          absl::StrCat("cannot read the copy of ", source.name));
    }
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      v1::BackupResponse chunk;
      chunk.set_file(source.name);
      chunk.set_data(buffer.data(), static_cast<size_t>(in.gcount()));
      if (context->IsCancelled() || !writer->Write(chunk)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      }
    }
  }
  return grpc::Status::OK;
}

}  // namespace preflight::backup

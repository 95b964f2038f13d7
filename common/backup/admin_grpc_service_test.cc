#include "common/backup/admin_grpc_service.h"

#include <filesystem>
#include <map>

#include "SQLiteCpp/Database.h"
#include "absl/strings/str_cat.h"
#include "common/server_runner.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::backup {
namespace {

using ::testing::HasSubstr;

// Vouches for two tokens: an admin of every tenant and an admin of tenant acme.
class TwoAdmins final : public auth::Authenticator {
 public:
  TwoAdmins() : all_(*auth::GenerateBearerToken()), acme_(*auth::GenerateBearerToken()) {}
  absl::StatusOr<auth::Principal> Authenticate(const auth::BearerToken& token) override {
    if (token.id == all_.id) return auth::Principal{"tokens/all", "*", auth::Role::kAdmin, "root"};
    if (token.id == acme_.id) {
      return auth::Principal{"tokens/acme", "acme", auth::Role::kAdmin, "acme admin"};
    }
    return absl::UnauthenticatedError("unknown token");
  }
  const auth::BearerToken all_;
  const auth::BearerToken acme_;
};

class AdminGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      SQLite::Database db(dir_.Join("one.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db.exec("PRAGMA journal_mode=WAL");
      db.exec("CREATE TABLE t (x)");
      db.exec("INSERT INTO t VALUES (1), (2)");
    }
    AdminGrpcService::Options options;
    options.service_name = "test-service";
    options.sources = {{"one.db", dir_.Join("one.db")}};
    options.scratch_dir = dir_.path();
    options.chunk_bytes = 1000;  // several chunks
    options.describe = [](const std::map<std::string, std::string>& copies,
                          v1::BackupManifest* manifest) {
      SQLite::Database copy(copies.at("one.db"), SQLite::OPEN_READONLY);
      manifest->set_event_sequence(copy.execAndGet("SELECT COUNT(*) FROM t").getInt64());
      return absl::OkStatus();
    };
    service_ = std::make_unique<AdminGrpcService>(std::move(options), &authorizer_);
    absl::StatusOr<StartedServer> started =
        StartServer(ServerOptions{"127.0.0.1:0", "test"}, {service_.get()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    stub_ = v1::AdminService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_.port),
                                                          grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_.server->Shutdown(); }

  grpc::Status Backup(const std::string& token, std::vector<v1::BackupResponse>* messages) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    auto reader = stub_->Backup(&context, v1::BackupRequest());
    v1::BackupResponse message;
    while (reader->Read(&message)) messages->push_back(message);
    return reader->Finish();
  }

  std::string Token(char c) const {
    return (c == 'a' ? authenticator_.all_ : authenticator_.acme_).Text();
  }

  testing::TempDir dir_;
  TwoAdmins authenticator_;
  auth::CallAuthorizer authorizer_{&authenticator_};
  std::unique_ptr<AdminGrpcService> service_;
  StartedServer server_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

TEST_F(AdminGrpcServiceTest, StreamsTheManifestThenTheFileAndLeavesNoScratchBehind) {
  std::vector<v1::BackupResponse> messages;
  const grpc::Status status = Backup(Token('a'), &messages);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(messages.size(), 3u);
  const v1::BackupManifest& manifest = messages[0].manifest();
  EXPECT_EQ(manifest.service(), "test-service");
  EXPECT_EQ(manifest.event_sequence(), 2);
  ASSERT_EQ(manifest.files_size(), 1);
  std::string bytes;
  for (size_t i = 1; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i].file(), "one.db");
    bytes += messages[i].data();
  }
  EXPECT_EQ(static_cast<int64_t>(bytes.size()), manifest.files(0).size_bytes());
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr(".backup-")));
  }
}

TEST_F(AdminGrpcServiceTest, OnlyAnAdminOfEveryTenantMayBackUp) {
  std::vector<v1::BackupResponse> messages;
  EXPECT_EQ(Backup("", &messages).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const grpc::Status scoped = Backup(Token('b'), &messages);
  EXPECT_EQ(scoped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(scoped.error_message(), HasSubstr("all tenants"));
  EXPECT_TRUE(messages.empty());
}

}  // namespace
}  // namespace preflight::backup

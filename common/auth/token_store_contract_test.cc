// What every TokenStore promises, run unchanged on SQLite and on PostgreSQL.

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/postgres_token_store.h"
#include "common/auth/sqlite_token_store.h"
#include "common/auth/token_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/store_backends.h"
#include "tests/testing/temp_dir.h"

namespace preflight::auth {
namespace {

using ::preflight::testing::Backend;
using ::preflight::testing::IsOkAndHolds;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Optional;

class TokenStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      absl::StatusOr<std::string> url = preflight::testing::NewPostgresDatabase();
      ASSERT_TRUE(url.ok()) << url.status();
      url_ = *url;
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  // A new handle on the same stored tokens (a restart, or another replica).
  std::unique_ptr<TokenStore> Open() {
    if (GetParam() == Backend::kSqlite) {
      absl::StatusOr<std::unique_ptr<SqliteTokenStore>> store =
          SqliteTokenStore::Open(dir_.Join("auth.db"));
      EXPECT_TRUE(store.ok()) << store.status();
      return store.ok() ? *std::move(store) : nullptr;
    }
    PostgresOptions options;
    options.url = url_;
    options.schema = "preflight_test";
    absl::StatusOr<std::unique_ptr<PostgresPool>> pool = PostgresPool::Open(options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    if (!pool.ok()) return nullptr;
    absl::StatusOr<std::unique_ptr<PostgresTokenStore>> store =
        PostgresTokenStore::Open(pool->get());
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return nullptr;
    pools_.push_back(*std::move(pool));
    return *std::move(store);
  }

  static TokenRecord Token(const std::string& id, const std::string& tenant = "acme") {
    TokenRecord record;
    record.id = id;
    record.secret_hash = "hash-of-" + id;
    record.tenant = tenant;
    record.role = Role::kEditor;
    record.display_name = "CI for " + id;
    record.creator = "tokens/admin";
    record.create_time = absl::FromUnixSeconds(1767225600) + absl::Microseconds(123456);
    return record;
  }

  std::vector<std::string> Ids(const absl::StatusOr<std::vector<TokenRecord>>& records) {
    std::vector<std::string> ids;
    if (!records.ok()) {
      ADD_FAILURE() << records.status();
      return ids;
    }
    for (const TokenRecord& record : *records) ids.push_back(record.id);
    return ids;
  }

  preflight::testing::TempDir dir_;
  std::string url_;
  std::vector<std::unique_ptr<PostgresPool>> pools_;  // outlive the stores below
  std::unique_ptr<TokenStore> store_;
};

TEST_P(TokenStoreContractTest, AnInsertedTokenReadsBackFieldByField) {
  absl::StatusOr<TokenRecord> inserted = store_->Insert(Token("t1"));
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  EXPECT_GT(inserted->sequence, 0);
  absl::StatusOr<std::optional<TokenRecord>> found = store_->Find("t1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  const TokenRecord& token = **found;
  EXPECT_EQ(token.id, "t1");
  EXPECT_EQ(token.secret_hash, "hash-of-t1");
  EXPECT_EQ(token.tenant, "acme");
  EXPECT_EQ(token.role, Role::kEditor);
  EXPECT_EQ(token.display_name, "CI for t1");
  EXPECT_EQ(token.creator, "tokens/admin");
  EXPECT_EQ(token.create_time, Token("t1").create_time);
  EXPECT_EQ(token.revoke_time, std::nullopt);
  EXPECT_EQ(token.sequence, inserted->sequence);
}

TEST_P(TokenStoreContractTest, ATakenIdIsAlreadyExistsAndWritesNothing) {
  ASSERT_OK(store_->Insert(Token("t1")).status());
  TokenRecord again = Token("t1", "other");
  EXPECT_STATUS(store_->Insert(again), ALREADY_EXISTS, "t1");
  EXPECT_THAT(store_->Find("t1"), IsOkAndHolds(Optional(Field(&TokenRecord::tenant, "acme"))));
  EXPECT_THAT(store_->CountActive("other"), IsOkAndHolds(0));
}

TEST_P(TokenStoreContractTest, AnUnknownTokenIsAbsentAndCannotBeRevoked) {
  EXPECT_THAT(store_->Find("nope"), IsOkAndHolds(::testing::Eq(std::nullopt)));
  EXPECT_STATUS(store_->Revoke("nope", absl::FromUnixSeconds(1767312000)), NOT_FOUND,
                "tokens/nope");
}

TEST_P(TokenStoreContractTest, ListingIsNewestFirstPagedBySequenceAndFiltered) {
  for (const char* id : {"a1", "a2", "a3"}) ASSERT_OK(store_->Insert(Token(id)).status());
  ASSERT_OK(store_->Insert(Token("b1", "bravo")).status());
  ASSERT_OK(store_->Revoke("a2", absl::FromUnixSeconds(1767312000)).status());

  EXPECT_THAT(Ids(store_->List({}, 0, 10)), ElementsAre("b1", "a3", "a1"));
  TokenFilter acme{"acme", /*include_revoked=*/true};
  absl::StatusOr<std::vector<TokenRecord>> first = store_->List(acme, 0, 2);
  EXPECT_THAT(Ids(first), ElementsAre("a3", "a2"));
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(Ids(store_->List(acme, first->back().sequence, 2)), ElementsAre("a1"));
  EXPECT_THAT(Ids(store_->List({"bravo", false}, 0, 10)), ElementsAre("b1"));
}

TEST_P(TokenStoreContractTest, RevokingSetsTheTimeOnceAndTheTokenStopsCounting) {
  ASSERT_OK(store_->Insert(Token("t1")).status());
  ASSERT_OK(store_->Insert(Token("t2")).status());
  EXPECT_THAT(store_->CountActive("acme"), IsOkAndHolds(2));
  const absl::Time first = absl::FromUnixSeconds(1767312000);
  EXPECT_THAT(store_->Revoke("t1", first),
              IsOkAndHolds(Field(&TokenRecord::revoke_time, Optional(first))));
  EXPECT_THAT(store_->Revoke("t1", first + absl::Hours(1)),
              IsOkAndHolds(Field(&TokenRecord::revoke_time, Optional(first))));
  EXPECT_THAT(store_->CountActive("acme"), IsOkAndHolds(1));
}

TEST_P(TokenStoreContractTest, TokensAndTheirOrderSurviveReopening) {
  ASSERT_OK(store_->Insert(Token("t1")).status());
  ASSERT_OK(store_->Insert(Token("t2")).status());
  std::unique_ptr<TokenStore> reopened = Open();
  ASSERT_NE(reopened, nullptr);
  ASSERT_OK(reopened->Insert(Token("t3")).status());
  EXPECT_THAT(Ids(reopened->List({}, 0, 10)), ElementsAre("t3", "t2", "t1"));
}

TEST_P(TokenStoreContractTest, ConcurrentInsertsThroughTwoHandlesGetDistinctSequences) {
  std::unique_ptr<TokenStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kEach = 20;
  std::vector<std::thread> writers;
  for (TokenStore* store : {store_.get(), other.get()}) {
    writers.emplace_back([store, tag = store == store_.get() ? "x" : "y"] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_OK(store->Insert(Token(absl::StrCat(tag, i))).status());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  absl::StatusOr<std::vector<TokenRecord>> all = store_->List({}, 0, 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u * kEach);
  std::set<int64_t> sequences;
  for (const TokenRecord& record : *all) sequences.insert(record.sequence);
  EXPECT_EQ(sequences.size(), 2u * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenStoreContractTest, preflight::testing::AllBackends(),
                         preflight::testing::BackendName);

}  // namespace
}  // namespace preflight::auth

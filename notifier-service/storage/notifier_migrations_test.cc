// Migration 2 (recipients per tenant) on a database written by the schema of migration 1: every
// recipient keeps its tenant and subscriptions, and every delivery and inbox message is tied to
// the recipient record it actually went to.

#include "notifier-service/storage/notifier_migrations.h"

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notifier-service/storage/sqlite_notifier_store.h"
#include "tests/testing/temp_dir.h"

namespace preflight::notifier {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kT0 = 1767225600000000;  // 2026-01-01T00:00:00Z in unix microseconds

class NotifierMigrationsTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("notifier.db"); }

  // A database at schema version 1, as the previous release left it.
  void WriteVersionOneDatabase() {
    const std::vector<SqliteMigration> first = {NotifierMigrations().at(0)};
    absl::StatusOr<std::unique_ptr<SQLite::Database>> db =
        OpenSqliteDatabase(Path(), SqliteOptions{}, first);
    ASSERT_TRUE(db.ok()) << db.status();
    SQLite::Database& raw = **db;
    // acme's li.na (subscribed to its tenant and a launch), a tenant-less ops, globex's zhang.
    for (const auto& [id, tenant, subscriptions] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"li.na", "acme", R"(["tenants/acme","launches/L1"])"},
             {"ops", "", R"(["tenants/globex"])"},
             {"zhang", "globex", "[]"}}) {
      SQLite::Statement insert(
          raw,
          "INSERT INTO recipients (id, tenant, display_name, language, channels, digest, "
          "subscriptions, version, create_time, update_time) VALUES (?, ?, ?, 'zh', "
          "'[{\"type\":\"inbox\",\"target\":\"\",\"secret_ref\":\"\"}]', 0, ?, 3, ?, ?)");
      insert.bind(1, id);
      insert.bind(2, tenant);
      insert.bind(3, absl::StrCat("Person ", id));
      insert.bind(4, subscriptions);
      insert.bind(5, kT0);
      insert.bind(6, kT0 + 1);
      insert.exec();
    }
    raw.exec(
        "INSERT INTO recipient_subscriptions (recipient_id, target) VALUES "
        "('li.na', 'tenants/acme'), ('li.na', 'launches/L1'), ('ops', 'tenants/globex')");
    // Deliveries of an acme launch to acme's li.na, to ops (tenant-less), and to wang (no
    // record: the default channels); and one of a globex launch to li.na, which acme's record
    // never served (the default channels did).
    int64_t id = 0;
    for (const auto& [tenant, recipient] : std::vector<std::pair<std::string, std::string>>{
             {"acme", "li.na"}, {"acme", "ops"}, {"acme", "wang"}, {"globex", "li.na"}}) {
      SQLite::Statement insert(
          raw,
          "INSERT INTO deliveries (id, dedup_key, tenant, launch_id, item_code, rung_id, kind, "
          "item_version, recipient_id, reason, channel, target, secret_ref, state, subject, text, "
          "markdown, data_json, urgent, late, digest, attempts, unit_key, create_time, "
          "next_attempt_time, update_time) VALUES (?, ?, ?, 'L1', 'ICP', 'due:2026-03-10:-3', "
          "'before_due', 1, ?, 'assignee', 'inbox', '', '', 'delivered', 's', 't', '', '{}', 0, "
          "0, 0, 1, '', ?, ?, ?)");
      insert.bind(1, ++id);
      insert.bind(2, absl::StrCat("key-", id));
      insert.bind(3, tenant);
      insert.bind(4, recipient);
      insert.bind(5, kT0);
      insert.bind(6, kT0);
      insert.bind(7, kT0);
      insert.exec();
      SQLite::Statement inbox(raw,
                              "INSERT INTO inbox (recipient_id, delivery_id, subject, body, "
                              "create_time) VALUES (?, ?, ?, 'b', ?)");
      inbox.bind(1, recipient);
      inbox.bind(2, id);
      inbox.bind(3, absl::StrCat("message ", id));
      inbox.bind(4, kT0);
      inbox.exec();
    }
  }

  testing::TempDir dir_;
};

std::vector<std::string> Subjects(const absl::StatusOr<std::vector<InboxMessage>>& messages) {
  EXPECT_TRUE(messages.ok()) << messages.status();
  std::vector<std::string> subjects;
  for (const InboxMessage& message : messages.value_or(std::vector<InboxMessage>{})) {
    subjects.push_back(message.subject);
  }
  return subjects;
}

TEST_F(NotifierMigrationsTest, RecipientsBecomePerTenantAndKeepEverything) {
  WriteVersionOneDatabase();
  absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> opened =
      SqliteNotifierStore::Open(Path(), SqliteOptions{});
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteNotifierStore& store = **opened;

  absl::StatusOr<std::optional<Recipient>> li = store.GetRecipient("acme", "li.na");
  ASSERT_TRUE(li.ok() && li->has_value()) << li.status();
  EXPECT_EQ((*li)->display_name, "Person li.na");
  EXPECT_EQ((*li)->version, 3);
  EXPECT_THAT((*li)->subscriptions, ElementsAre("tenants/acme", "launches/L1"));
  EXPECT_EQ((*li)->create_time, absl::FromUnixMicros(kT0));
  EXPECT_TRUE(store.GetRecipient("", "ops").value().has_value());
  EXPECT_TRUE(store.GetRecipient("globex", "zhang").value().has_value());
  EXPECT_FALSE(store.GetRecipient("", "li.na").value().has_value());

  // Subscriptions still route.
  const auto ids = [](absl::StatusOr<std::vector<Recipient>> recipients) {
    EXPECT_TRUE(recipients.ok()) << recipients.status();
    std::vector<std::string> out;
    for (const Recipient& r : recipients.value_or(std::vector<Recipient>{})) out.push_back(r.id);
    return out;
  };
  EXPECT_THAT(ids(store.SubscribersOf("acme", "L1")), ElementsAre("li.na"));
  EXPECT_THAT(ids(store.SubscribersOf("globex", "")), ElementsAre("ops"));

  // Each delivery names the record it went to.
  std::vector<std::string> routed;
  const std::vector<Delivery> deliveries = store.ListDeliveries({}, 0, 10).value();
  for (const Delivery& d : deliveries) {
    routed.push_back(absl::StrCat(d.tenant, " -> ", d.recipient_tenant, "/", d.recipient_id));
  }
  EXPECT_THAT(routed, ElementsAre("globex -> /li.na", "acme -> /wang", "acme -> /ops",
                                  "acme -> acme/li.na"));
  DeliveryFilter acme_li;
  acme_li.recipient_tenant = "acme";
  acme_li.recipient_id = "li.na";
  EXPECT_EQ(store.ListDeliveries(acme_li, 0, 10).value().size(), 1u);

  // And so does each inbox message.
  EXPECT_THAT(Subjects(store.ListInbox("acme", "li.na", 0, 10)), ElementsAre("message 1"));
  EXPECT_THAT(Subjects(store.ListInbox("", "li.na", 0, 10)), ElementsAre("message 4"));
  EXPECT_THAT(Subjects(store.ListInbox("", "wang", 0, 10)), ElementsAre("message 3"));

  // A tenant's li.na beside another's, and the cascade to subscriptions works on the new key.
  Recipient globex_li = **li;
  globex_li.tenant = "globex";
  globex_li.subscriptions = {"tenants/globex"};
  ASSERT_TRUE(store.CreateRecipient(globex_li).ok());
  ASSERT_TRUE(store.DeleteRecipient("acme", "li.na", std::nullopt).ok());
  EXPECT_THAT(store.SubscribersOf("acme", "L1").value(), IsEmpty());
  EXPECT_TRUE(store.GetRecipient("globex", "li.na").value().has_value());

  SQLite::Database raw(Path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt(),
            NotifierMigrations().back().version);
  SQLite::Statement check(raw, "PRAGMA foreign_key_check");
  EXPECT_FALSE(check.executeStep()) << "a foreign key is broken";
}

TEST_F(NotifierMigrationsTest, AFreshDatabaseGetsTheSameSchema) {
  absl::StatusOr<std::unique_ptr<SqliteNotifierStore>> opened =
      SqliteNotifierStore::Open(Path(), SqliteOptions{});
  ASSERT_TRUE(opened.ok()) << opened.status();
  Recipient a;
  a.id = "li.na";
  a.tenant = "acme";
  Recipient b = a;
  b.tenant = "globex";
  Recipient c = a;
  c.tenant = "";
  for (const Recipient& r : {a, b, c}) ASSERT_TRUE((*opened)->CreateRecipient(r).ok()) << r.tenant;
  EXPECT_EQ((*opened)->CreateRecipient(a).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace preflight::notifier

// Writes the binary seed files of the fuzz corpus (fuzz/corpus/<fuzzer>/) from the readable
// requests below: a selector byte naming the RPC, then the serialized request. The text-format
// fuzzers' seeds are plain copies of the data files. Run by `./dev fuzz-corpus`; the output is
// committed, so a change here is a change to review in the corpus too.
//
//   fuzz_corpus_generator OUTPUT_DIR

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "common/page_token.h"
#include "google/protobuf/text_format.h"
#include "preflight/v1/checklist.pb.h"
#include "preflight/v1/notifier.pb.h"

namespace {

namespace v1 = preflight::v1;

struct Seed {
  std::string fuzzer;
  std::string name;
  int selector;
  std::unique_ptr<google::protobuf::Message> message;
  std::string text;
};

template <typename T>
Seed Make(std::string fuzzer, std::string name, int selector, std::string text) {
  return Seed{std::move(fuzzer), std::move(name), selector, std::make_unique<T>(), std::move(text)};
}

constexpr char kLaunch[] = R"pb(
  launch {
    tenant: "acme"
    display_name: "Acme shop"
    owner: "zhang.wei@acme.cn"
    target_launch_date: "2026-12-15"
    time_zone: "Asia/Shanghai"
    profile {
      subject_type: SUBJECT_TYPE_ENTERPRISE
      hosting: HOSTING_OWN_MAINLAND_SERVER
      takes_payments: true
      service_categories: "ecommerce"
    }
  }
  request_id: "seed-1"
)pb";

constexpr char kUpdateItem[] = R"pb(
  item {
    name: "launches/l0123456789abcdef/items/ICP_FILING"
    status: ITEM_STATUS_IN_PROGRESS
    assignee: "li.na"
    notes: "filed with the provider"
    due_date: "2026-10-01"
  }
  update_mask { paths: "status" paths: "assignee" paths: "notes" paths: "due_date" }
  etag: "3-0123456789abcdef"
)pb";

constexpr char kUpdateLaunch[] = R"pb(
  launch {
    name: "launches/l0123456789abcdef"
    display_name: "Acme shop 2"
    target_launch_date: "2027-01-20"
    profile { subject_type: SUBJECT_TYPE_INDIVIDUAL hosting: HOSTING_WECHAT_CLOUD }
  }
  update_mask { paths: "display_name" paths: "target_launch_date" paths: "profile" }
)pb";

constexpr char kAddItem[] = R"pb(
  parent: "launches/l0123456789abcdef"
  item {
    code: "LOCAL_PERMIT"
    title_en: "Local permit"
    title_zh: "地方许可"
    group: "service_qualifications"
    depends_on: "BIZ"
    due_date: "2026-11-01"
  }
)pb";

constexpr char kRecipient[] = R"pb(
  recipient {
    name: "recipients/li.na"
    tenant: "acme"
    display_name: "Li Na"
    language: "zh"
    channels { type: CHANNEL_TYPE_LOG }
    channels { type: CHANNEL_TYPE_INBOX }
    subscriptions: "tenants/acme"
  }
)pb";

std::vector<Seed> Seeds() {
  std::vector<Seed> seeds;
  const std::string request = "checklist_request_fuzzer";
  seeds.push_back(Make<v1::CreateLaunchRequest>(request, "create_launch", 0, kLaunch));
  seeds.push_back(Make<v1::UpdateLaunchRequest>(request, "update_launch", 1, kUpdateLaunch));
  seeds.push_back(Make<v1::UpdateItemRequest>(request, "update_item", 2, kUpdateItem));
  seeds.push_back(Make<v1::AddItemRequest>(request, "add_item", 3, kAddItem));

  const std::string rpc = "checklist_rpc_fuzzer";
  seeds.push_back(Make<v1::CreateLaunchRequest>(rpc, "create_launch", 0, kLaunch));
  seeds.push_back(Make<v1::GetLaunchRequest>(rpc, "get_launch", 1,
                                             R"pb(name: "launches/l0123456789abcdef"
                                                  view: LAUNCH_VIEW_FULL)pb"));
  seeds.push_back(Make<v1::ListLaunchesRequest>(rpc, "list_launches", 2, R"pb(
    page_size: 2
    tenant: "acme"
    target_date_from: "2026-01-01"
    target_date_to: "2027-12-31"
  )pb"));
  seeds.push_back(Make<v1::UpdateLaunchRequest>(rpc, "update_launch", 3, kUpdateLaunch));
  seeds.push_back(Make<v1::UpdateItemRequest>(rpc, "update_item", 4, kUpdateItem));
  seeds.push_back(Make<v1::AddItemRequest>(rpc, "add_item", 5, kAddItem));
  seeds.push_back(Make<v1::GetReadinessRequest>(rpc, "get_readiness", 6,
                                                R"pb(name: "launches/l0123456789abcdef")pb"));
  seeds.push_back(Make<v1::ListEventsRequest>(
      rpc, "list_events", 7, R"pb(parent: "launches/l0123456789abcdef" page_size: 10)pb"));
  seeds.push_back(Make<v1::ListTemplatesRequest>(rpc, "list_templates", 8, "page_size: 1"));

  const std::string notifier = "notifier_rpc_fuzzer";
  seeds.push_back(Make<v1::ListRemindersRequest>(notifier, "list_reminders", 0, R"pb(
    days: 30
    tenant: "acme"
    launch: "launches/l0123456789abcdef"
    page_size: 20
  )pb"));
  seeds.push_back(Make<v1::ListDeliveriesRequest>(notifier, "list_deliveries", 1, R"pb(
    tenant: "acme"
    recipient: "recipients/li.na"
    page_size: 5
  )pb"));
  seeds.push_back(Make<v1::CreateRecipientRequest>(notifier, "create_recipient", 2, kRecipient));
  seeds.push_back(Make<v1::GetRecipientRequest>(notifier, "get_recipient", 3,
                                                R"pb(name: "recipients/li.na")pb"));
  seeds.push_back(Make<v1::ListRecipientsRequest>(notifier, "list_recipients", 4,
                                                  R"pb(tenant: "acme" page_size: 2)pb"));
  seeds.push_back(Make<v1::UpdateRecipientRequest>(notifier, "update_recipient", 5, R"pb(
    recipient { name: "recipients/li.na" display_name: "Li Na (ops)" digest: true }
    update_mask { paths: "display_name" paths: "digest" }
  )pb"));
  seeds.push_back(Make<v1::DeleteRecipientRequest>(notifier, "delete_recipient", 6,
                                                   R"pb(name: "recipients/li.na")pb"));
  seeds.push_back(Make<v1::SnoozeReminderRequest>(notifier, "snooze_reminder", 7, R"pb(
    item: "launches/l0123456789abcdef/items/ICP_FILING"
    snooze_for { seconds: 86400 }
  )pb"));
  seeds.push_back(Make<v1::AcknowledgeReminderRequest>(notifier, "acknowledge_reminder", 8, R"pb(
    item: "launches/l0123456789abcdef/items/ICP_FILING"
  )pb"));
  seeds.push_back(Make<v1::SendTestNotificationRequest>(notifier, "send_test_notification", 9,
                                                        R"pb(recipient: "recipients/li.na")pb"));
  seeds.push_back(Make<v1::ListInboxMessagesRequest>(notifier, "list_inbox_messages", 10,
                                                     R"pb(recipient: "recipients/li.na")pb"));
  seeds.push_back(Make<v1::GetSubscriptionStatusRequest>(notifier, "subscription_status", 11, ""));
  return seeds;
}

bool WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_corpus_generator OUTPUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  for (Seed& seed : Seeds()) {
    if (!google::protobuf::TextFormat::ParseFromString(seed.text, seed.message.get())) {
      std::cerr << seed.fuzzer << "/" << seed.name << ": the seed's text does not parse\n";
      return 1;
    }
    const std::string bytes =
        std::string(1, static_cast<char>(seed.selector)) + seed.message->SerializeAsString();
    if (!WriteFile(out / seed.fuzzer / seed.name, bytes)) {
      std::cerr << "cannot write " << (out / seed.fuzzer / seed.name) << "\n";
      return 1;
    }
  }
  // Page tokens as the services issue them (the fuzzer's key), and ones altered by a byte.
  const preflight::PageTokenCodec codec("fuzz-page-token-key");
  const std::string token = codec.Encode("launches", "l0123456789abcdef");
  std::string altered = token;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  if (!WriteFile(out / "page_token_fuzzer" / "launches", token) ||
      !WriteFile(out / "page_token_fuzzer" / "altered", altered) ||
      !WriteFile(out / "page_token_fuzzer" / "events", codec.Encode("events|launches/a", "42"))) {
    std::cerr << "cannot write the page-token seeds\n";
    return 1;
  }
  return 0;
}

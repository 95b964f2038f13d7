#include "common/request_text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preflight/v1/checklist.pb.h"
#include "preflight/v1/notifier.pb.h"

namespace preflight {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

#define EXPECT_REFUSED(request_message, field)                                 \
  do {                                                                         \
    const absl::Status status_ = CheckRequestText(request_message);            \
    EXPECT_EQ(status_.code(), absl::StatusCode::kInvalidArgument) << status_;  \
    EXPECT_THAT(std::string(status_.message()), ::testing::StartsWith(field)); \
  } while (false)

TEST(CheckRequestTextTest, AcceptsOrdinaryText) {
  v1::CreateLaunchRequest request;
  request.mutable_launch()->set_display_name("李娜的小程序 Li Na's shop");
  request.mutable_launch()->set_tenant("acme");
  request.mutable_launch()->mutable_profile()->add_service_categories("ecommerce");
  EXPECT_TRUE(CheckRequestText(request).ok());
  EXPECT_TRUE(CheckRequestText(v1::CreateLaunchRequest()).ok());
}

TEST(CheckRequestTextTest, NamesTheFieldAtAnyDepth) {
  v1::CreateLaunchRequest launch;
  launch.mutable_launch()->set_display_name(std::string("Acme\0shop", 9));
  EXPECT_REFUSED(launch, "launch.display_name: contains control character 0x00 at byte 4");

  v1::CreateLaunchRequest category;
  category.mutable_launch()->mutable_profile()->add_service_categories("ok");
  category.mutable_launch()->mutable_profile()->add_service_categories("bad\x7f");
  EXPECT_REFUSED(category, "launch.profile.service_categories[1]:");

  v1::CreateRecipientRequest recipient;
  recipient.mutable_recipient()->add_channels()->set_target("https://ok.example");
  recipient.mutable_recipient()->add_channels()->set_target("https://bad.example/\x1b[2J");
  EXPECT_REFUSED(recipient, "recipient.channels[1].target:");

  v1::UpdateLaunchRequest mask;
  mask.mutable_update_mask()->add_paths("display_name");
  mask.mutable_update_mask()->add_paths("owner\r");
  EXPECT_REFUSED(mask, "update_mask.paths[1]:");

  v1::ListLaunchesRequest filter;
  filter.set_owner(
      "\xc2\x85"
      "next line");
  EXPECT_REFUSED(filter, "owner: contains control character U+0085");
}

TEST(CheckRequestTextTest, RefusesBrokenUtf8) {
  v1::ListLaunchesRequest request;
  request.set_tenant("ac\xffme");
  EXPECT_REFUSED(request, "tenant: is not valid UTF-8 (at byte 2)");
  request.set_tenant("\xed\xa0\x80");
  EXPECT_REFUSED(request, "tenant: is not valid UTF-8");
}

TEST(CheckRequestTextTest, OnlyMultilineFieldsTakeTabsAndNewlines) {
  v1::UpdateItemRequest notes;
  notes.mutable_item()->set_notes("Called the bureau.\n\t- form B\n");
  notes.mutable_item()->set_waiver_reason("No payments:\nnot needed");
  EXPECT_TRUE(CheckRequestText(notes).ok());
  notes.mutable_item()->set_notes("bell\a");
  EXPECT_REFUSED(notes, "item.notes: contains control character 0x07");
  notes.mutable_item()->set_notes("cr\r\n");
  EXPECT_REFUSED(notes, "item.notes:");

  v1::UpdateItemRequest assignee;
  assignee.mutable_item()->set_assignee("li.na\n");
  EXPECT_REFUSED(assignee, "item.assignee:");
  v1::UpdateItemRequest description;
  description.mutable_item()->add_evidence()->set_description("a\tb");
  EXPECT_REFUSED(description, "item.evidence[0].description:");
}

TEST(CheckRequestTextTest, NeverQuotesTheValue) {
  v1::CreateRecipientRequest request;
  request.mutable_recipient()->add_channels()->set_secret_ref("sk-live-SECRET\n");
  const absl::Status status = CheckRequestText(request);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("SECRET")));
}

}  // namespace
}  // namespace preflight

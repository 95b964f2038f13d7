#include "cli/output.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "preflight/v1/auth.pb.h"
#include "preflight/v1/checklist.pb.h"
#include "preflight/v1/notifier.pb.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/text.h"
#include "yaml-cpp/yaml.h"

namespace preflight::cli {
namespace {

using testing::Code;
using ::testing::ElementsAre;
using testing::FromText;
using ::testing::HasSubstr;
using testing::IsOkAndHolds;
using ::testing::Not;
using testing::ParseJson;
using testing::StatusIs;

using Json = nlohmann::ordered_json;

// A launch with a bit of everything: nested messages, repeated fields, enums, timestamps, int64
// (as strings in JSON), money, Chinese text, a multi-line note and strings that look like a
// number, a bool, null and a date.
v1::Launch RichLaunch() {
  return FromText<v1::Launch>(R"pb(
    name: "launches/l1"
    tenant: "acme"
    display_name: "微信小程序上线"
    owner: "0123"
    target_launch_date: "2026-05-01"
    time_zone: "Asia/Shanghai"
    profile {
      subject_type: SUBJECT_TYPE_ENTERPRISE
      hosting: HOSTING_WECHAT_CLOUD
      takes_payments: true
      service_categories: [ "ecommerce", "true" ]
      province: "ZJ"
    }
    items {
      name: "launches/l1/items/icp"
      code: "icp"
      title_en: "ICP filing"
      title_zh: "ICP备案"
      status: ITEM_STATUS_IN_PROGRESS
      depends_on: "mp_verification"
      notes: "line one\nline two: yes\n  indented, \"quoted\" {not: json}\n"
      attempts: 2
      fee_per_attempt { currency_code: "CNY" units: 300 }
      update_time { seconds: 1767225600 }
      version: 3
      renewal_reminder_days: [ 30, 14, 7 ]
      schedule { critical: true slack_working_days: -3 }
      materials { code: "business_licence" status: MATERIAL_STATUS_READY }
    }
    items {
      name: "launches/l1/items/custom"
      code: "custom"
      custom: true
      title_en: "null"
      title_zh: "~"
      official_number: "12:30"
    }
    schedule {
      as_of_date: "2026-01-05"
      critical_path: "icp"
      at_risk: true
      fees_paid { currency_code: "CNY" units: 300 nanos: 500000000 }
    }
    create_time { seconds: 1767225600 nanos: 123000000 }
    version: 7
  )pb");
}

// A YAML document as the JSON value a YAML 1.2 reader makes of it: quoted scalars are strings,
// plain ones are resolved by the core schema (null, booleans, numbers), the rest are strings.
Json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = YamlToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& element : node) array.push_back(YamlToJson(element));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;
      if (text == "true" || text == "false") return text == "true";
      if (text == "null" || text == "~") return nullptr;
      // A number when nlohmann reads the whole text as one.
      const Json number = Json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (number.is_number()) return number;
      return text;
    }
    default:
      return nullptr;
  }
}

// ---- -o and its names ---------------------------------------------------------------------------

TEST(OutputFormatTest, ParsesEveryNameInAnyCase) {
  EXPECT_THAT(ParseOutputFormat("table"), IsOkAndHolds(OutputFormat::kTable));
  EXPECT_THAT(ParseOutputFormat("wide"), IsOkAndHolds(OutputFormat::kWide));
  EXPECT_THAT(ParseOutputFormat("json"), IsOkAndHolds(OutputFormat::kJson));
  EXPECT_THAT(ParseOutputFormat("YAML"), IsOkAndHolds(OutputFormat::kYaml));
  EXPECT_THAT(ParseOutputFormat("Name"), IsOkAndHolds(OutputFormat::kName));
  for (absl::string_view name : OutputFormatNames()) {
    const bool templated = name == "jsonpath" || name == "custom-columns";
    absl::StatusOr<OutputFormat> format =
        ParseOutputFormat(templated ? absl::StrCat(name, "={.name}") : std::string(name));
    ASSERT_OK(format);
    EXPECT_EQ(OutputFormatName(*format), name);
  }
}

TEST(OutputFormatTest, JsonPathAndCustomColumnsTakeTheirTemplate) {
  std::string argument;
  EXPECT_THAT(ParseOutputFormat("jsonpath={.items[*].code}", &argument),
              IsOkAndHolds(OutputFormat::kJsonPath));
  EXPECT_EQ(argument, "{.items[*].code}");
  EXPECT_THAT(ParseOutputFormat("custom-columns=NAME:.name,A=B:.x", &argument),
              IsOkAndHolds(OutputFormat::kCustomColumns));
  EXPECT_EQ(argument, "NAME:.name,A=B:.x");
  EXPECT_THAT(ParseOutputFormat("jsonpath"),
              StatusIs(Code::INVALID_ARGUMENT, HasSubstr("needs its template")));
  EXPECT_THAT(ParseOutputFormat("json=x"), StatusIs(Code::INVALID_ARGUMENT));
}

TEST(ToJsonPathTest, SelectsFieldsOfTheCanonicalJson) {
  const auto response = FromText<v1::ListLaunchesResponse>(R"pb(
    launches { name: "launches/l1" target_launch_date: "2027-03-01" }
    launches { name: "launches/l2" target_launch_date: "2027-04-01" }
  )pb");
  EXPECT_THAT(ToJsonPath(response, R"({range .launches[*]}{.name} {.targetLaunchDate}{"\n"}{end})"),
              IsOkAndHolds("launches/l1 2027-03-01\nlaunches/l2 2027-04-01\n"));
  // A final newline is added when the template gives none.
  EXPECT_THAT(ToJsonPath(response, "{.launches[*].name}"),
              IsOkAndHolds("launches/l1 launches/l2\n"));
  absl::StatusOr<std::vector<std::vector<std::string>>> rows =
      ToCustomColumns(response, "NAME:.name,TARGET:.targetLaunchDate");
  ASSERT_OK(rows);
  EXPECT_THAT(*rows,
              ElementsAre(ElementsAre("NAME", "TARGET"), ElementsAre("launches/l1", "2027-03-01"),
                          ElementsAre("launches/l2", "2027-04-01")));
  // A resource is one row, not one per element of its lists.
  const auto launch = FromText<v1::Launch>(R"pb(name: "launches/l1"
                                                items { code: "BIZ" })pb");
  EXPECT_THAT(*ToCustomColumns(launch, "NAME:.name,CODES:.items[*].code"),
              ElementsAre(ElementsAre("NAME", "CODES"), ElementsAre("launches/l1", "BIZ")));
  // An empty list is the header alone.
  EXPECT_THAT(*ToCustomColumns(v1::ListLaunchesResponse(), "NAME:.name"),
              ElementsAre(ElementsAre("NAME")));
}

TEST(OutputFormatTest, RefusesOthersListingTheNames) {
  EXPECT_THAT(ParseOutputFormat("x"),
              StatusIs(Code::INVALID_ARGUMENT,
                       "-o: unknown output format 'x' (table, wide, json, yaml, name, "
                       "jsonpath=..., custom-columns=...)"));
  EXPECT_THAT(ParseOutputFormat(""), StatusIs(Code::INVALID_ARGUMENT, HasSubstr("''")));
  EXPECT_THAT(ParseOutputFormat("json "), StatusIs(Code::INVALID_ARGUMENT));
  EXPECT_THAT(OutputFormatNames(),
              ElementsAre("table", "wide", "json", "yaml", "name", "jsonpath", "custom-columns"));
}

// ---- JSON ---------------------------------------------------------------------------------------

TEST(ToJsonTest, CanonicalMappingIndentedByTwo) {
  const auto launch = FromText<v1::Launch>(R"pb(
    name: "launches/l1"
    display_name: "微信"
    profile {
      subject_type: SUBJECT_TYPE_ENTERPRISE
      takes_payments: false
      service_categories: "ecommerce"
    }
    create_time { seconds: 1767225600 }
    version: 7
  )pb");
  EXPECT_THAT(ToJson(launch), IsOkAndHolds(R"({
  "name": "launches/l1",
  "displayName": "微信",
  "profile": {
    "subjectType": "SUBJECT_TYPE_ENTERPRISE",
    "serviceCategories": [
      "ecommerce"
    ]
  },
  "createTime": "2026-01-01T00:00:00Z",
  "version": "7"
}
)"));
}

TEST(ToJsonTest, EmptyMessagesAndContainers) {
  EXPECT_THAT(ToJson(v1::Launch()), IsOkAndHolds("{}\n"));
  // A set sub-message with nothing in it is still printed.
  EXPECT_THAT(ToJson(FromText<v1::Launch>("profile {}")),
              IsOkAndHolds("{\n  \"profile\": {}\n}\n"));
  EXPECT_THAT(ToJson(ParseJson<google::protobuf::Struct>(R"({"a": [], "b": {}})")),
              IsOkAndHolds(::testing::AnyOf("{\n  \"a\": [],\n  \"b\": {}\n}\n",
                                            "{\n  \"b\": {},\n  \"a\": []\n}\n")));
}

TEST(ToJsonTest, ParsesBackToTheSameMessage) {
  const v1::Launch launch = RichLaunch();
  absl::StatusOr<std::string> json = ToJson(launch);
  ASSERT_OK(json);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(ParseJson<v1::Launch>(*json), launch));
  // The layout did not break strings holding JSON's punctuation.
  EXPECT_THAT(
      *json,
      HasSubstr(R"("notes": "line one\nline two: yes\n  indented, \"quoted\" {not: json}\n")"));
  EXPECT_THAT(*json, HasSubstr("\n      \"renewalReminderDays\": [\n        30,\n"));
  EXPECT_TRUE(absl::EndsWith(*json, "}\n"));
}

// ---- YAML ---------------------------------------------------------------------------------------

TEST(ToYamlTest, ReadsBackAsTheJson) {
  const v1::Launch launch = RichLaunch();
  absl::StatusOr<std::string> json = ToJson(launch);
  absl::StatusOr<std::string> yaml = ToYaml(launch);
  ASSERT_OK(json);
  ASSERT_OK(yaml);
  // Ordered objects: equal means the same keys in the same order, and the same types.
  EXPECT_EQ(YamlToJson(YAML::Load(*yaml)), Json::parse(*json)) << *yaml;
}

TEST(ToYamlTest, BlockStyleWithAmbiguousStringsQuoted) {
  absl::StatusOr<std::string> yaml = ToYaml(RichLaunch());
  ASSERT_OK(yaml);
  EXPECT_TRUE(
      absl::StartsWith(*yaml, "name: launches/l1\ntenant: acme\ndisplayName: 微信小程序上线\n"))
      << *yaml;
  EXPECT_THAT(*yaml, HasSubstr("\nowner: '0123'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\ntargetLaunchDate: '2026-05-01'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n  serviceCategories:\n    - ecommerce\n    - 'true'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\nitems:\n  - name: launches/l1/items/icp\n    code: icp\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n    status: ITEM_STATUS_IN_PROGRESS\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n    titleEn: 'null'\n    titleZh: '~'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n    officialNumber: '12:30'\n"));
  // int32 stays a number, int64 stays a string, as in the JSON.
  EXPECT_THAT(*yaml, HasSubstr("\n    attempts: 2\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n      slackWorkingDays: -3\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n    version: '3'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\n      units: '300'\n"));
  EXPECT_THAT(*yaml, HasSubstr("\ncreateTime: '2026-01-01T00:00:00.123Z'\n"));
  EXPECT_THAT(*yaml,
              HasSubstr("\n    notes: \"line one\\nline two: yes\\n  indented, \\\"quoted\\\" "
                        "{not: json}\\n\"\n"));
  EXPECT_TRUE(absl::EndsWith(*yaml, "\nversion: '7'\n")) << *yaml;
}

TEST(ToYamlTest, NumbersNullsAndEmptyContainers) {
  const auto value = ParseJson<google::protobuf::Value>(
      R"({"list": [1.5, 3, 1e30, -2e-7, null, true, "NaN", []], "empty": {}})");
  absl::StatusOr<std::string> json = ToJson(value);
  absl::StatusOr<std::string> yaml = ToYaml(value);
  ASSERT_OK(json);
  ASSERT_OK(yaml);
  EXPECT_EQ(YamlToJson(YAML::Load(*yaml)), Json::parse(*json)) << *yaml;
  EXPECT_THAT(*yaml, HasSubstr("\n  - 1.5\n  - 3\n  - 1.0e+30\n  - -2.0e-07\n  - ~\n  - true\n"
                               "  - NaN\n  - []\n"));
  EXPECT_THAT(*yaml, HasSubstr("empty: {}"));
}

TEST(ToYamlTest, EmptyMessage) { EXPECT_THAT(ToYaml(v1::Launch()), IsOkAndHolds("{}\n")); }

// ---- -o name ------------------------------------------------------------------------------------

TEST(ResourceNamesTest, TheMessagesOwnName) {
  EXPECT_THAT(ResourceNames(RichLaunch()), IsOkAndHolds("launches/l1\n"));
  EXPECT_THAT(ResourceNames(FromText<v1::Item>(R"pb(name: "launches/l1/items/icp")pb")),
              IsOkAndHolds("launches/l1/items/icp\n"));
  EXPECT_THAT(ResourceNames(v1::Launch()), IsOkAndHolds(""));
}

TEST(ResourceNamesTest, TheElementsOfALists) {
  EXPECT_THAT(ResourceNames(FromText<v1::ListLaunchesResponse>(R"pb(
                launches {
                  name: "launches/a"
                  items { name: "launches/a/items/x" }
                }
                launches { name: "launches/b" }
                next_page_token: "t"
              )pb")),
              IsOkAndHolds("launches/a\nlaunches/b\n"));
  EXPECT_THAT(ResourceNames(FromText<v1::ListDeliveriesResponse>(R"pb(
                deliveries { name: "deliveries/1" }
                deliveries { name: "deliveries/2" }
              )pb")),
              IsOkAndHolds("deliveries/1\ndeliveries/2\n"));
  EXPECT_THAT(ResourceNames(FromText<v1::SendTestNotificationResponse>(R"pb(
                deliveries { name: "deliveries/9" }
              )pb")),
              IsOkAndHolds("deliveries/9\n"));
  EXPECT_THAT(ResourceNames(FromText<v1::ListTokensResponse>(R"pb(
                tokens { name: "tokens/a" }
                tokens {}
                tokens { name: "tokens/b" }
              )pb")),
              IsOkAndHolds("tokens/a\ntokens/b\n"));
  EXPECT_THAT(ResourceNames(v1::ListLaunchesResponse()), IsOkAndHolds(""));
}

TEST(ResourceNamesTest, ASingularResource) {
  EXPECT_THAT(ResourceNames(FromText<v1::CreateTokenResponse>(R"pb(
                token { name: "tokens/abc" tenant: "acme" }
                secret: "pft_abc_s3cret"
              )pb")),
              IsOkAndHolds("tokens/abc\n"));
  EXPECT_THAT(ResourceNames(v1::CreateTokenResponse()), IsOkAndHolds(""));
}

TEST(ResourceNamesTest, AnswersWithoutNames) {
  const std::string message = "-o name: this answer has no resource names (use -o json or -o yaml)";
  // Readiness names its launch in `launch`, and its blockers have no name.
  EXPECT_THAT(ResourceNames(FromText<v1::Readiness>(R"pb(launch: "launches/l1" ready: true)pb")),
              StatusIs(Code::FAILED_PRECONDITION, message));
  EXPECT_THAT(ResourceNames(v1::SubscriptionStatus()),
              StatusIs(Code::FAILED_PRECONDITION, message));
  EXPECT_THAT(ResourceNames(v1::DeleteRecipientResponse()),
              StatusIs(Code::FAILED_PRECONDITION, message));
}

}  // namespace
}  // namespace preflight::cli

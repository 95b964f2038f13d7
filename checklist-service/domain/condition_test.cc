#include "checklist-service/domain/condition.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using ::testing::HasSubstr;

const std::set<std::string>& Categories() {
  static const std::set<std::string>* const kCategories =
      new std::set<std::string>{"ecommerce", "food", "news", "video"};
  return *kCategories;
}

Profile MakeProfile(v1::SubjectType subject, v1::Hosting hosting, bool payments = false,
                    bool mini_game = false, std::vector<std::string> categories = {}) {
  Profile profile;
  profile.subject_type = subject;
  profile.hosting = hosting;
  profile.takes_payments = payments;
  profile.mini_game = mini_game;
  profile.service_categories = std::move(categories);
  return profile;
}

const Profile kEnterpriseMainland =
    MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_MAINLAND_SERVER);

const std::set<std::string>& Provinces() {
  static const std::set<std::string>* const kProvinces =
      new std::set<std::string>{"BJ", "GD", "ZJ"};
  return *kProvinces;
}

bool Eval(const std::string& expression, const Profile& profile) {
  absl::StatusOr<Condition> condition = Condition::Parse(expression, Categories(), Provinces());
  EXPECT_TRUE(condition.ok()) << expression << ": " << condition.status();
  return condition.ok() && condition->Evaluate(profile);
}

std::string ParseError(const std::string& expression) {
  absl::StatusOr<Condition> condition = Condition::Parse(expression, Categories(), Provinces());
  EXPECT_FALSE(condition.ok()) << expression << " parsed";
  if (condition.ok()) return "";
  EXPECT_EQ(condition.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(condition.status().message());
}

TEST(ConditionTest, EmptyAndBlankAreAlwaysTrue) {
  EXPECT_TRUE(Condition().Evaluate(kEnterpriseMainland));
  EXPECT_TRUE(Eval("", kEnterpriseMainland));
  EXPECT_TRUE(Eval("   \t", kEnterpriseMainland));
}

TEST(ConditionTest, KeepsItsText) {
  absl::StatusOr<Condition> condition = Condition::Parse("payments && !mini_game", Categories());
  ASSERT_TRUE(condition.ok());
  EXPECT_EQ(condition->text(), "payments && !mini_game");
}

TEST(ConditionTest, Province) {
  Profile zhejiang = kEnterpriseMainland;
  zhejiang.province = "ZJ";
  EXPECT_TRUE(Eval("province == ZJ", zhejiang));
  EXPECT_FALSE(Eval("province != ZJ", zhejiang));
  EXPECT_TRUE(Eval("province in (GD, ZJ)", zhejiang));
  EXPECT_FALSE(Eval("province in (GD, BJ)", zhejiang));
  // A province not known yet matches no list, and differs from every province.
  EXPECT_FALSE(Eval("province in (GD, ZJ)", kEnterpriseMainland));
  EXPECT_TRUE(Eval("province != ZJ", kEnterpriseMainland));
  EXPECT_THAT(ParseError("province == XX"),
              HasSubstr("column 13: unknown province 'XX' (expected one of: BJ, GD, ZJ)"));
  EXPECT_THAT(ParseError("province ZJ"), HasSubstr("expected '==', '!=' or 'in' after 'province'"));
}

TEST(ConditionTest, AccountSubject) {
  Profile migrated = kEnterpriseMainland;
  EXPECT_FALSE(Eval("account_subject_changed", migrated));  // nothing recorded
  migrated.account_subject_type = v1::SUBJECT_TYPE_INDIVIDUAL;
  EXPECT_TRUE(Eval("account_subject_changed", migrated));
  EXPECT_TRUE(Eval("account_subject == individual", migrated));
  EXPECT_FALSE(Eval("account_subject in (enterprise, media)", migrated));
  migrated.account_subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  EXPECT_FALSE(Eval("account_subject_changed", migrated));  // the same subject again
}

TEST(ConditionTest, Constants) {
  EXPECT_TRUE(Eval("true", kEnterpriseMainland));
  EXPECT_FALSE(Eval("false", kEnterpriseMainland));
}

TEST(ConditionTest, SubjectComparisons) {
  const Profile individual = MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD);
  EXPECT_TRUE(Eval("subject == enterprise", kEnterpriseMainland));
  EXPECT_FALSE(Eval("subject == enterprise", individual));
  EXPECT_FALSE(Eval("subject != individual", individual));
  EXPECT_TRUE(Eval("subject != individual", kEnterpriseMainland));
  EXPECT_TRUE(Eval("subject in (government, media, individual)", individual));
  EXPECT_FALSE(Eval("subject in (government, media)", individual));
}

TEST(ConditionTest, EverySubjectNameIsKnown) {
  const std::pair<const char*, v1::SubjectType> kSubjects[] = {
      {"enterprise", v1::SUBJECT_TYPE_ENTERPRISE},
      {"individual_business", v1::SUBJECT_TYPE_INDIVIDUAL_BUSINESS},
      {"individual", v1::SUBJECT_TYPE_INDIVIDUAL},
      {"government", v1::SUBJECT_TYPE_GOVERNMENT},
      {"media", v1::SUBJECT_TYPE_MEDIA},
      {"other_organization", v1::SUBJECT_TYPE_OTHER_ORGANIZATION},
  };
  for (const auto& [name, subject] : kSubjects) {
    const Profile profile = MakeProfile(subject, v1::HOSTING_WECHAT_CLOUD);
    EXPECT_TRUE(Eval(std::string("subject == ") + name, profile)) << name;
    EXPECT_FALSE(Eval(std::string("subject != ") + name, profile)) << name;
  }
}

TEST(ConditionTest, HostingComparisons) {
  const Profile cloud = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD);
  const Profile abroad =
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_OWN_SERVER_OUTSIDE_MAINLAND);
  EXPECT_TRUE(Eval("hosting == own_mainland_server", kEnterpriseMainland));
  EXPECT_FALSE(Eval("hosting == own_mainland_server", abroad));
  EXPECT_TRUE(Eval("hosting != wechat_cloud", abroad));
  EXPECT_FALSE(Eval("hosting != wechat_cloud", cloud));
  EXPECT_TRUE(Eval("hosting in (own_server_outside_mainland, wechat_cloud)", cloud));
  EXPECT_TRUE(Eval("hosting in (own_server_outside_mainland, wechat_cloud)", abroad));
  EXPECT_FALSE(Eval("hosting in (own_server_outside_mainland, wechat_cloud)", kEnterpriseMainland));
}

TEST(ConditionTest, Booleans) {
  const Profile paying = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, true);
  const Profile game =
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, false, true);
  EXPECT_TRUE(Eval("payments", paying));
  EXPECT_FALSE(Eval("payments", game));
  EXPECT_TRUE(Eval("mini_game", game));
  EXPECT_FALSE(Eval("mini_game", paying));
}

TEST(ConditionTest, CategoryMatchesAnyListedCode) {
  const Profile food =
      MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, false, false, {"food"});
  const Profile news_and_video = MakeProfile(v1::SUBJECT_TYPE_MEDIA, v1::HOSTING_WECHAT_CLOUD,
                                             false, false, {"news", "video"});
  EXPECT_TRUE(Eval("category(food)", food));
  EXPECT_TRUE(Eval("category(ecommerce, food)", food));
  EXPECT_FALSE(Eval("category(ecommerce, news)", food));
  EXPECT_TRUE(Eval("category(video)", news_and_video));
  EXPECT_FALSE(Eval("category(food)", kEnterpriseMainland));
}

TEST(ConditionTest, NotAndOrParentheses) {
  const Profile paying_individual =
      MakeProfile(v1::SUBJECT_TYPE_INDIVIDUAL, v1::HOSTING_WECHAT_CLOUD, true);
  EXPECT_TRUE(Eval("!false", kEnterpriseMainland));
  EXPECT_TRUE(Eval("!!true", kEnterpriseMainland));
  EXPECT_FALSE(Eval("!(subject == enterprise)", kEnterpriseMainland));
  EXPECT_TRUE(Eval("payments && subject == individual", paying_individual));
  EXPECT_FALSE(Eval("payments && subject == enterprise", paying_individual));
  EXPECT_TRUE(Eval("payments || subject == enterprise", kEnterpriseMainland));
  EXPECT_FALSE(Eval("payments || mini_game", kEnterpriseMainland));
  EXPECT_TRUE(Eval("((payments))", paying_individual));
}

TEST(ConditionTest, AndBindsTighterThanOr) {
  // true || (false && false) is true; (true || false) && false would be false.
  EXPECT_TRUE(Eval("true || false && false", kEnterpriseMainland));
  EXPECT_FALSE(Eval("(true || false) && false", kEnterpriseMainland));
  // (false && false) || true.
  EXPECT_TRUE(Eval("false && false || true", kEnterpriseMainland));
}

TEST(ConditionTest, NotBindsTighterThanAndAndOr) {
  // (!true) && false, not !(true && false).
  EXPECT_FALSE(Eval("!true && false", kEnterpriseMainland));
  EXPECT_TRUE(Eval("!(true && false)", kEnterpriseMainland));
  // (!false) || false.
  EXPECT_TRUE(Eval("!false || false", kEnterpriseMainland));
  EXPECT_FALSE(Eval("!(false || true)", kEnterpriseMainland));
}

TEST(ConditionTest, WhitespaceIsOptional) {
  const Profile paying = MakeProfile(v1::SUBJECT_TYPE_ENTERPRISE, v1::HOSTING_WECHAT_CLOUD, true);
  EXPECT_TRUE(Eval("payments&&subject==enterprise&&hosting in(wechat_cloud)", paying));
  EXPECT_TRUE(Eval("\n  payments\n  && !mini_game\n", paying));
}

TEST(ConditionTest, CopiesShareBehaviour) {
  absl::StatusOr<Condition> parsed = Condition::Parse("category(news)", Categories());
  ASSERT_TRUE(parsed.ok());
  Condition copy = *parsed;
  Condition assigned;
  assigned = copy;
  const Profile news =
      MakeProfile(v1::SUBJECT_TYPE_MEDIA, v1::HOSTING_WECHAT_CLOUD, false, false, {"news"});
  EXPECT_TRUE(copy.Evaluate(news));
  EXPECT_TRUE(assigned.Evaluate(news));
  EXPECT_FALSE(assigned.Evaluate(kEnterpriseMainland));
  EXPECT_EQ(assigned.text(), "category(news)");
}

TEST(ConditionErrorTest, UnknownSubjectNamesColumnAndChoices) {
  const std::string error = ParseError("payments && subject == enterprize");
  EXPECT_THAT(error, HasSubstr("column 24: unknown subject 'enterprize'"));
  EXPECT_THAT(error, HasSubstr("expected one of: enterprise, individual_business, individual, "
                               "government, media, other_organization"));
}

TEST(ConditionErrorTest, UnknownHosting) {
  const std::string error = ParseError("hosting != aws");
  EXPECT_THAT(error, HasSubstr("column 12: unknown hosting 'aws'"));
  EXPECT_THAT(error, HasSubstr("own_mainland_server, own_server_outside_mainland, wechat_cloud"));
}

TEST(ConditionErrorTest, UnspecifiedIsNotAValue) {
  EXPECT_THAT(ParseError("subject == unspecified"),
              HasSubstr("column 12: unknown subject 'unspecified'"));
}

TEST(ConditionErrorTest, UnknownCategoryNamesTheKnownOnes) {
  const std::string error = ParseError("category(food, drinks)");
  EXPECT_THAT(error, HasSubstr("column 16: unknown category 'drinks'"));
  EXPECT_THAT(error, HasSubstr("expected one of: ecommerce, food, news, video"));
}

TEST(ConditionErrorTest, UnknownName) {
  EXPECT_THAT(ParseError("payments || paymnets"),
              HasSubstr("column 13: unknown name 'paymnets' (expected 'subject', 'hosting', "
                        "'province', 'payments', 'mini_game', 'category(...)', "
                        "'account_subject', 'account_subject_changed', 'true', 'false', '!' "
                        "or '(')"));
}

TEST(ConditionErrorTest, MissingOperator) {
  EXPECT_THAT(ParseError("subject enterprise"),
              HasSubstr("column 9: expected '==', '!=' or 'in' after 'subject' but found "
                        "'enterprise'"));
}

TEST(ConditionErrorTest, SingleCharacterOperators) {
  EXPECT_THAT(ParseError("payments & mini_game"),
              HasSubstr("column 10: unexpected '&' (expected '&&')"));
  EXPECT_THAT(ParseError("payments | mini_game"),
              HasSubstr("column 10: unexpected '|' (expected '||')"));
  EXPECT_THAT(ParseError("subject = media"), HasSubstr("column 9: unexpected '=' (expected '==')"));
}

TEST(ConditionErrorTest, UnexpectedCharacter) {
  EXPECT_THAT(ParseError("payments; true"), HasSubstr("column 9: unexpected character ';'"));
  EXPECT_THAT(ParseError("category(食品)"),
              HasSubstr("column 10: unexpected non-printable or non-ASCII character"));
}

TEST(ConditionErrorTest, UnbalancedParentheses) {
  EXPECT_THAT(ParseError("(payments || mini_game"),
              HasSubstr("column 23: expected ')' but found the end of the condition"));
  EXPECT_THAT(ParseError("payments)"),
              HasSubstr("column 9: expected '&&', '||' or the end of the condition but found "
                        "')'"));
}

TEST(ConditionErrorTest, DanglingOperator) {
  EXPECT_THAT(ParseError("payments &&"),
              HasSubstr("column 12: expected 'subject', 'hosting', 'province', 'payments', "
                        "'mini_game', 'category(...)', 'account_subject', "
                        "'account_subject_changed', 'true', 'false', '!' or '(' but found the "
                        "end of the condition"));
  EXPECT_THAT(ParseError("|| payments"), HasSubstr("column 1: expected 'subject'"));
  EXPECT_THAT(ParseError("|| payments"), HasSubstr("but found '||'"));
  EXPECT_THAT(ParseError("!"), HasSubstr("column 2: expected 'subject'"));
}

TEST(ConditionErrorTest, TwoOperandsWithoutOperator) {
  EXPECT_THAT(ParseError("payments mini_game"),
              HasSubstr("column 10: expected '&&', '||' or the end of the condition but found "
                        "'mini_game'"));
}

TEST(ConditionErrorTest, BadLists) {
  EXPECT_THAT(ParseError("subject in enterprise"),
              HasSubstr("column 12: expected '(' after 'in' but found 'enterprise'"));
  EXPECT_THAT(ParseError("subject in ()"),
              HasSubstr("column 13: expected a subject (one of: enterprise"));
  EXPECT_THAT(ParseError("hosting in (wechat_cloud,)"),
              HasSubstr("column 26: expected a hosting (one of: own_mainland_server"));
  EXPECT_THAT(ParseError("subject in (media government)"),
              HasSubstr("column 19: expected ',' or ')' but found 'government'"));
  EXPECT_THAT(ParseError("category food"),
              HasSubstr("column 10: expected '(' after 'category' but found 'food'"));
  EXPECT_THAT(ParseError("category()"),
              HasSubstr("column 10: expected a service category code but found ')'"));
  EXPECT_THAT(ParseError("category(food"),
              HasSubstr("column 14: expected ',' or ')' but found the end of the condition"));
}

TEST(ConditionErrorTest, LengthIsBounded) {
  std::string long_chain = "true";
  while (long_chain.size() <= 4000) long_chain += " && true";
  EXPECT_THAT(ParseError(long_chain), HasSubstr("column 4001: condition longer than 4000"));
}

TEST(ConditionErrorTest, NestingIsBounded) {
  const std::string deep = std::string(100, '(') + "true" + std::string(100, ')');
  EXPECT_THAT(ParseError(deep), HasSubstr("nested deeper than 64 levels"));
  const std::string ok = std::string(30, '(') + "true" + std::string(30, ')');
  EXPECT_TRUE(Eval(ok, kEnterpriseMainland));
}

}  // namespace
}  // namespace preflight::checklist

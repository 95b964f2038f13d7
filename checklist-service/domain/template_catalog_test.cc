#include "checklist-service/domain/template_catalog.h"

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace preflight::checklist {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSource[] = "broken.textproto";

// 1-based line of the first line of `text` containing `needle`; 0 when none does.
int LineWith(const std::string& text, const std::string& needle) {
  int line = 1;
  for (absl::string_view row : absl::StrSplit(text, '\n')) {
    if (row.find(needle) != absl::string_view::npos) return line;
    ++line;
  }
  ADD_FAILURE() << "no line contains " << needle;
  return 0;
}

// 1-based line of the last line of `text` containing `needle`.
int LastLineWith(const std::string& text, const std::string& needle) {
  int line = 1;
  int last = 0;
  for (absl::string_view row : absl::StrSplit(text, '\n')) {
    if (row.find(needle) != absl::string_view::npos) last = line;
    ++line;
  }
  EXPECT_GT(last, 0) << "no line contains " << needle;
  return last;
}

// A small valid template; `items` and `extra` are spliced in after the header.
std::string Template(const std::string& items, const std::string& extra = "") {
  constexpr char kHeader[] = R"txt(id: "tiny"
title_en: "Tiny"
title_zh: "小"
groups { code: "g" title_en: "G" title_zh: "组" }
categories { code: "food" title_en: "Food" title_zh: "食品" }
sources { key: "K1" citation: "somewhere" }
)txt";
  return absl::StrCat(kHeader, extra, items);
}

// An item with everything required; `body` adds or overrides fields.
std::string Item(const std::string& code, const std::string& body = "") {
  return absl::StrCat("items {\n  code: \"", code, "\"\n  title_en: \"Item ", code,
                      "\"\n  title_zh: \"项目\"\n  group: \"g\"\n  applies_reason: \"always\"\n",
                      body.find("duration") == std::string::npos
                          ? "  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 2 max: 3 }\n"
                          : "",
                      body, "}\n");
}

std::string CompileError(const std::string& text) {
  absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::CompileText(text, kSource);
  EXPECT_FALSE(compiled.ok()) << "compiled:\n" << text;
  if (compiled.ok()) return "";
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(compiled.status().message());
}

// "broken.textproto:LINE: " where LINE holds `needle`.
std::string At(const std::string& text, const std::string& needle) {
  return absl::StrCat(kSource, ":", LineWith(text, needle), ": ");
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// ---- The real catalogue ------------------------------------------------------------------------

class BuiltinTemplateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TemplateCatalog> loaded = TemplateCatalog::LoadFromDirectories(
        {std::string(PREFLIGHT_SOURCE_DIR) + "/data/templates"});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    catalog_ = new TemplateCatalog(*std::move(loaded));
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  const CompiledTemplate& Wechat() const {
    const CompiledTemplate* tmpl = catalog_->Find(kDefaultTemplateId);
    EXPECT_NE(tmpl, nullptr);
    return *tmpl;
  }
  const v1::ItemDefinition& Def(const std::string& code) const {
    const v1::ItemDefinition* item = Wechat().FindItem(code);
    EXPECT_NE(item, nullptr) << code;
    static const v1::ItemDefinition kEmpty;
    return item == nullptr ? kEmpty : *item;
  }

  static TemplateCatalog* catalog_;
};

TemplateCatalog* BuiltinTemplateTest::catalog_ = nullptr;

TEST_F(BuiltinTemplateTest, LoadsTheWechatTemplate) {
  ASSERT_NE(catalog_->Find(kDefaultTemplateId), nullptr);
  const CompiledTemplate& tmpl = Wechat();
  EXPECT_EQ(tmpl.id(), "wechat-miniprogram-cn");
  EXPECT_EQ(tmpl.proto().title_en(), "WeChat Mini Program launch (mainland China)");
  EXPECT_EQ(tmpl.proto().title_zh(), "微信小程序上线（中国大陆）");
  EXPECT_THAT(tmpl.source_path(), HasSubstr("data/templates/wechat_miniprogram_cn.textproto"));
  EXPECT_EQ(catalog_->Find("no-such-template"), nullptr);
}

TEST_F(BuiltinTemplateTest, HasEveryDomainItemAndAPermitPerCategoryRow) {
  for (const char* code : {"BIZ",
                           "CLOUD_RN",
                           "SERVER",
                           "DOMAIN",
                           "DOMAIN_RN",
                           "ICP_FILING",
                           "PSB_FILING",
                           "ICP_LICENSE",
                           "MP_ACCOUNT",
                           "MP_SUBJECT",
                           "MP_CATEGORY",
                           "MP_VERIFY",
                           "MP_FILING",
                           "CAC_REVIEW",
                           "WXPAY_MCH",
                           "WXPAY_BIND",
                           "CODE_REVIEW",
                           "PERMIT_NEWS",
                           "PERMIT_LIVE_STREAMING",
                           "PERMIT_VIDEO",
                           "PERMIT_GAME",
                           "PERMIT_PUBLISHING",
                           "PERMIT_PHARMA",
                           "PERMIT_MEDICAL",
                           "PERMIT_EDI",
                           "PERMIT_FOOD",
                           "PERMIT_FINANCE",
                           "PERMIT_RIDE_HAILING",
                           "PERMIT_EDUCATION"}) {
    const v1::ItemDefinition& item = Def(code);
    EXPECT_FALSE(item.title_en().empty()) << code;
    EXPECT_FALSE(item.title_zh().empty()) << code;
    EXPECT_FALSE(item.applies_reason().empty()) << code;
  }
}

// Subject verification has no successor: the sources name no step that waits for it, and its
// notes must say so rather than leave a team wondering why nothing depends on it.
TEST_F(BuiltinTemplateTest, SubjectVerificationSaysWhyNothingWaitsForIt) {
  for (const v1::ItemDefinition& item : Wechat().proto().items()) {
    for (const v1::Dependency& dependency : item.depends_on()) {
      EXPECT_NE(dependency.code(), "MP_SUBJECT") << item.code();
    }
  }
  const v1::ItemDefinition* subject = Wechat().FindItem("MP_SUBJECT");
  ASSERT_NE(subject, nullptr);
  EXPECT_THAT(subject->notes(), HasSubstr("No step waits for it here"));
}

TEST_F(BuiltinTemplateTest, GroupsAndCategories) {
  std::vector<std::string> groups;
  for (const v1::ItemGroup& group : Wechat().proto().groups()) groups.push_back(group.code());
  EXPECT_THAT(groups, ElementsAre("cloud_services", "domain_icp", "mini_program_account",
                                  "merchant_number", "service_qualifications", "post_launch"));
  for (const char* code : {"news",   "social_live", "social_dating", "social_community",
                           "video",  "audio_fm",    "game",          "publishing",
                           "pharma", "medical",     "ecommerce",     "ecommerce_platform",
                           "food",   "finance",     "ride_hailing",  "education",
                           "tools",  "retail",      "travel",        "other"}) {
    EXPECT_TRUE(Wechat().HasCategory(code)) << code;
  }
  EXPECT_FALSE(Wechat().HasCategory("gambling"));
}

TEST_F(BuiltinTemplateTest, EveryItemHasReasonsDurationAndSources) {
  for (const v1::ItemDefinition& item : Wechat().proto().items()) {
    EXPECT_TRUE(item.has_duration()) << item.code();
    EXPECT_NE(item.duration().unit(), v1::DAY_UNIT_UNSPECIFIED) << item.code();
    if (!item.applies_when().empty()) {
      EXPECT_FALSE(item.not_applicable_reason().empty()) << item.code();
    }
    // Only the business licence is obtained outside the process, without a citable source.
    if (item.code() != "BIZ") {
      EXPECT_FALSE(item.source().empty()) << item.code();
    }
  }
  EXPECT_TRUE(Def("BIZ").external());
}

TEST_F(BuiltinTemplateTest, IcpFilingWaitsForDomainSync) {
  const v1::ItemDefinition& icp = Def("ICP_FILING");
  bool found = false;
  for (const v1::Dependency& dependency : icp.depends_on()) {
    if (dependency.code() == "DOMAIN_RN") {
      found = true;
      EXPECT_EQ(dependency.lag_working_days(), 3);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(icp.duration().min(), 3);
  EXPECT_EQ(icp.duration().typical(), 10);
  EXPECT_EQ(icp.duration().max(), 24);
  EXPECT_EQ(icp.official_number_label(), "ICP备案号");
}

TEST_F(BuiltinTemplateTest, WechatVerificationFeesAndRenewal) {
  const v1::ItemDefinition& verify = Def("MP_VERIFY");
  ASSERT_EQ(verify.fees_size(), 3);
  EXPECT_THAT(verify.fees(0).subject_types(), ElementsAre(v1::SUBJECT_TYPE_GOVERNMENT));
  EXPECT_EQ(verify.fees(0).amount().units(), 0);
  EXPECT_THAT(verify.fees(1).subject_types(), ElementsAre(v1::SUBJECT_TYPE_INDIVIDUAL));
  EXPECT_EQ(verify.fees(1).amount().units(), 30);
  EXPECT_TRUE(verify.fees(1).estimate());
  EXPECT_TRUE(verify.fees(2).subject_types().empty());
  EXPECT_EQ(verify.fees(2).amount().units(), 300);
  // One payment buys an order that covers 3 resubmissions of returned material (domain.md §9.3),
  // for the ¥30 individual fee as for the ¥300 one; government bodies pay nothing.
  for (int rule : {1, 2}) {
    EXPECT_TRUE(verify.fees(rule).per_order()) << rule;
    EXPECT_FALSE(verify.fees(rule).per_attempt()) << rule;
    EXPECT_EQ(verify.fees(rule).resubmissions_per_order(), 3) << rule;
  }
  EXPECT_THAT(verify.fees(2).note(), AllOf(HasSubstr("up to 3 resubmissions"),
                                           HasSubstr("a fourth resubmission is a new order"),
                                           HasSubstr("W8"), HasSubstr("W9"), HasSubstr("W10")));
  EXPECT_THAT(verify.notes(), AllOf(HasSubstr("RETURNED"), HasSubstr("REJECTED"), HasSubstr("W8"),
                                    HasSubstr("W9"), HasSubstr("W10")));
  EXPECT_EQ(verify.validity().months(), 12);
  EXPECT_THAT(verify.validity().reminder_days_before(), ElementsAre(90, 60, 30, 7));
  EXPECT_EQ(Def("ICP_LICENSE").validity().months(), 60);
}

TEST_F(BuiltinTemplateTest, PublicSecurityFilingIsDueAfterGoLive) {
  const v1::ItemDefinition& psb = Def("PSB_FILING");
  EXPECT_EQ(psb.group(), "post_launch");
  EXPECT_EQ(psb.deadline().anchor(), v1::Deadline::ANCHOR_AFTER_GO_LIVE);
  EXPECT_EQ(psb.deadline().days(), 30);
  EXPECT_EQ(psb.deadline().unit(), v1::DAY_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(psb.official_number_label(), "公安备案号");
  EXPECT_TRUE(psb.estimate());
  EXPECT_EQ(Def("MP_FILING").official_number_label(), "小程序备案号");
  EXPECT_EQ(Def("WXPAY_MCH").official_number_label(), "商户号");
}

TEST_F(BuiltinTemplateTest, GamePublishingNumberPlansMonthsAndCitesEveryNumber) {
  // The 版号 takes months, not the 文网文's 20 WD: an estimate whose min, typical and max each
  // name the source they come from.
  const v1::ItemDefinition& game = Def("PERMIT_GAME");
  EXPECT_EQ(game.duration().unit(), v1::DAY_UNIT_WORKING_DAYS);
  EXPECT_EQ(game.duration().min(), 18);
  EXPECT_EQ(game.duration().typical(), 60);
  EXPECT_EQ(game.duration().max(), 186);
  EXPECT_TRUE(game.estimate());
  std::set<std::string> cited;
  for (const v1::SourceRef& source : Wechat().proto().sources()) cited.insert(source.key());
  for (const char* key : {"G1", "G2", "G3", "G4", "G5"}) {
    EXPECT_THAT(game.source(), HasSubstr(key));
    EXPECT_EQ(cited.count(key), 1u) << key;
  }
  EXPECT_THAT(game.notes(), HasSubstr("min 18 WD"));
  EXPECT_THAT(game.notes(), HasSubstr("typical 60 WD"));
  EXPECT_THAT(game.notes(), HasSubstr("max 186 WD"));
}

TEST_F(BuiltinTemplateTest, EnterpriseMiniGamesVerifyBeforeFiling) {
  // The mini-game-only edge MP_VERIFY -> MP_FILING goes through a checkpoint item.
  const v1::ItemDefinition& gate = Def("MINIGAME_VERIFY_BEFORE_FILING");
  ASSERT_EQ(gate.depends_on_size(), 1);
  EXPECT_EQ(gate.depends_on(0).code(), "MP_VERIFY");
  bool filing_waits = false;
  for (const v1::Dependency& dependency : Def("MP_FILING").depends_on()) {
    filing_waits |= dependency.code() == gate.code();
  }
  EXPECT_TRUE(filing_waits);
  Profile profile;
  profile.subject_type = v1::SUBJECT_TYPE_ENTERPRISE;
  profile.hosting = v1::HOSTING_WECHAT_CLOUD;
  profile.mini_game = true;
  EXPECT_TRUE(Wechat().AppliesWhen(gate.code()).Evaluate(profile));
  profile.mini_game = false;
  EXPECT_FALSE(Wechat().AppliesWhen(gate.code()).Evaluate(profile));
}

TEST_F(BuiltinTemplateTest, ConditionsAndConstraintsAreCompiled) {
  const CompiledTemplate& tmpl = Wechat();
  EXPECT_EQ(tmpl.AppliesWhen("ICP_FILING").text(), "hosting != wechat_cloud");
  // Items without applies_when, and unknown codes, always apply.
  EXPECT_EQ(tmpl.AppliesWhen("MP_ACCOUNT").text(), "");
  Profile profile;
  EXPECT_TRUE(tmpl.AppliesWhen("NO_SUCH_ITEM").Evaluate(profile));
  ASSERT_GT(tmpl.proto().constraints_size(), 0);
  EXPECT_EQ(tmpl.ConstraintWhen(0).text(), tmpl.proto().constraints(0).when());
  // Out of range: never matches, so it can neither refuse nor block.
  EXPECT_FALSE(tmpl.ConstraintWhen(tmpl.proto().constraints_size()).Evaluate(profile));
}

TEST_F(BuiltinTemplateTest, ListsTemplatesById) {
  const std::vector<const CompiledTemplate*> all = catalog_->templates();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]->id(), "wechat-miniprogram-cn");
}

// ---- Loading from directories ------------------------------------------------------------------

TEST(TemplateCatalogLoadTest, SkipsMissingDirectoriesAndOrdersById) {
  preflight::testing::TempDir dir;
  WriteFile(dir.Join("b.textproto"),
            absl::StrReplaceAll(Template(Item("A")), {{"id: \"tiny\"", "id: \"alpha\""}}));
  WriteFile(dir.Join("a.textproto"),
            absl::StrReplaceAll(Template(Item("A")), {{"id: \"tiny\"", "id: \"beta\""}}));
  WriteFile(dir.Join("README.md"), "not a template");
  absl::StatusOr<TemplateCatalog> catalog =
      TemplateCatalog::LoadFromDirectories({dir.Join("missing"), dir.path()});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const std::vector<const CompiledTemplate*> all = catalog->templates();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->id(), "alpha");
  EXPECT_EQ(all[0]->source_path(), dir.Join("b.textproto"));
  EXPECT_EQ(all[1]->id(), "beta");
}

TEST(TemplateCatalogLoadTest, DuplicateTemplateIdsAcrossFiles) {
  preflight::testing::TempDir builtin;
  preflight::testing::TempDir staff;
  WriteFile(builtin.Join("one.textproto"), Template(Item("A")));
  const std::string copy = "# staff's copy\n" + Template(Item("B"));
  WriteFile(staff.Join("two.textproto"), copy);
  absl::StatusOr<TemplateCatalog> catalog =
      TemplateCatalog::LoadFromDirectories({builtin.path(), staff.path()});
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog.status().message(), absl::StrCat(staff.Join("two.textproto"),
                                                     ":2: duplicate template id 'tiny' (already "
                                                     "defined in ",
                                                     builtin.Join("one.textproto"), ")"));
}

TEST(TemplateCatalogLoadTest, BrokenFileNamesItsPath) {
  preflight::testing::TempDir dir;
  const std::string text =
      Template(absl::StrReplaceAll(Item("A"), {{"group: \"g\"", "group: \"nope\""}}));
  WriteFile(dir.Join("bad.textproto"), text);
  absl::StatusOr<TemplateCatalog> catalog = TemplateCatalog::LoadFromDirectories({dir.path()});
  ASSERT_FALSE(catalog.ok());
  EXPECT_THAT(
      std::string(catalog.status().message()),
      StartsWith(absl::StrCat(dir.Join("bad.textproto"), ":", LineWith(text, "group: \"nope\""),
                              ": item A: unknown group 'nope'")));
}

// A staff template written before the enum values took their prefixes is refused at the old
// name's line, and the message gives the new name (docs/templates.md, "Renamed enum values").
TEST(TemplateCatalogLoadTest, OldEnumValueNamesAreRefusedWithTheNewName) {
  struct Case {
    std::string body;
    std::string old_name;
    std::string new_name;
  };
  const std::vector<Case> cases = {
      {"  duration { unit: WORKING_DAYS min: 1 typical: 2 max: 3 }\n", "WORKING_DAYS",
       "DAY_UNIT_WORKING_DAYS"},
      {"  duration { unit: CALENDAR_DAYS min: 1 typical: 2 max: 3 }\n", "CALENDAR_DAYS",
       "DAY_UNIT_CALENDAR_DAYS"},
      {"  deadline { anchor: AFTER_GO_LIVE days: 30 unit: DAY_UNIT_CALENDAR_DAYS }\n",
       "AFTER_GO_LIVE", "ANCHOR_AFTER_GO_LIVE"},
      {"  deadline { anchor: BEFORE_LAUNCH }\n", "BEFORE_LAUNCH", "ANCHOR_BEFORE_LAUNCH"},
  };
  for (const Case& c : cases) {
    preflight::testing::TempDir dir;
    const std::string text = Template(Item("A", c.body));
    WriteFile(dir.Join("old.textproto"), text);
    absl::StatusOr<TemplateCatalog> catalog = TemplateCatalog::LoadFromDirectories({dir.path()});
    ASSERT_FALSE(catalog.ok()) << c.old_name;
    EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(catalog.status().message()),
                AllOf(StartsWith(absl::StrCat(dir.Join("old.textproto"), ":",
                                              LineWith(text, c.old_name), ":")),
                      HasSubstr(absl::StrCat("Unknown enumeration value of \"", c.old_name)),
                      EndsWith(absl::StrCat(" (", c.old_name, " was renamed ", c.new_name,
                                            "; see docs/templates.md)"))));
  }
  for (const char* action : {"REFUSE", "BLOCKER"}) {
    const std::string text =
        Template(Item("A"),
                 absl::StrCat("constraints { code: \"NO_PAY\" when: \"payments\" action: ", action,
                              " field: \"profile.x\" message: \"no\" }\n"));
    absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::CompileText(text, kSource);
    ASSERT_FALSE(compiled.ok()) << action;
    EXPECT_THAT(std::string(compiled.status().message()),
                AllOf(StartsWith(absl::StrCat(kSource, ":", LineWith(text, "action:"), ":")),
                      EndsWith(absl::StrCat(" (", action, " was renamed ACTION_", action,
                                            "; see docs/templates.md)"))));
  }
}

TEST(TemplateCatalogLoadTest, PathThatIsNotADirectory) {
  preflight::testing::TempDir dir;
  WriteFile(dir.Join("file"), "x");
  absl::StatusOr<TemplateCatalog> catalog =
      TemplateCatalog::LoadFromDirectories({dir.Join("file")});
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().message(), dir.Join("file") + ": not a directory");
}

TEST(TemplateCatalogLoadTest, EmptyDirectoryGivesEmptyCatalog) {
  preflight::testing::TempDir dir;
  absl::StatusOr<TemplateCatalog> catalog = TemplateCatalog::LoadFromDirectories({dir.path()});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_TRUE(catalog->templates().empty());
}

// ---- Compiling ---------------------------------------------------------------------------------

TEST(TemplateCompileTest, MinimalTemplateCompiles) {
  absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::CompileText(
      Template(Item("A") + Item("B",
                                "  applies_when: \"category(food)\"\n"
                                "  not_applicable_reason: \"no food\"\n"
                                "  depends_on { code: \"A\" lag_working_days: 2 }\n")),
      kSource);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ(compiled->source_path(), kSource);
  ASSERT_NE(compiled->FindItem("B"), nullptr);
  EXPECT_EQ(compiled->FindItem("C"), nullptr);
  Profile profile;
  EXPECT_FALSE(compiled->AppliesWhen("B").Evaluate(profile));
  profile.service_categories = {"food"};
  EXPECT_TRUE(compiled->AppliesWhen("B").Evaluate(profile));
}

TEST(TemplateCompileTest, InMemoryProtoErrorsNameTheSourceWithoutLine) {
  v1::Template proto;
  proto.set_id("Bad Id");
  absl::StatusOr<CompiledTemplate> compiled = TemplateCatalog::Compile(proto, "memory");
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(std::string(compiled.status().message()),
              StartsWith("memory: template id 'Bad Id' must be"));
}

TEST(TemplateCompileTest, SyntaxErrorNamesLineAndColumn) {
  const std::string text = Template(Item("A"), "colour: \"red\"\n");
  const std::string error = CompileError(text);
  EXPECT_THAT(error, StartsWith(absl::StrCat(kSource, ":", LineWith(text, "colour"), ":7: ")));
  EXPECT_THAT(error, HasSubstr("no field named \"colour\""));
}

TEST(TemplateCompileTest, TemplateIdFormat) {
  const std::string text =
      absl::StrReplaceAll(Template(Item("A")), {{"id: \"tiny\"", "id: \"Tiny_One\""}});
  EXPECT_EQ(CompileError(text), At(text, "Tiny_One") +
                                    "template id 'Tiny_One' must be lowercase letters, digits and "
                                    "'-' (not at either end), at most 63 characters");
}

TEST(TemplateCompileTest, TemplateIdRequired) {
  const std::string text = absl::StrReplaceAll(Template(Item("A")), {{"id: \"tiny\"\n", ""}});
  EXPECT_EQ(CompileError(text), absl::StrCat(kSource, ":1: template id required"));
}

TEST(TemplateCompileTest, TemplateTitleRequired) {
  const std::string text = absl::StrReplaceAll(Template(Item("A")), {{"title_zh: \"小\"\n", ""}});
  EXPECT_EQ(CompileError(text), absl::StrCat(kSource, ":1: template title_zh required"));
}

TEST(TemplateCompileTest, TemplateNeedsItems) {
  const std::string text = Template("");
  EXPECT_EQ(CompileError(text), absl::StrCat(kSource, ":1: template has no items"));
}

TEST(TemplateCompileTest, DuplicateItemCode) {
  const std::string text = Template(Item("A") + Item("B") + Item("A"));
  EXPECT_EQ(CompileError(text), absl::StrCat(kSource, ":", LastLineWith(text, "code: \"A\""),
                                             ": duplicate item code 'A'"));
}

TEST(TemplateCompileTest, ItemCodeMustBeUpperSnake) {
  const std::string text = Template(Item("icp_filing"));
  EXPECT_EQ(CompileError(text),
            At(text, "code: \"icp_filing\"") +
                "item code 'icp_filing' must be upper snake case (A-Z, 0-9, _), at most 64 "
                "characters");
}

TEST(TemplateCompileTest, ItemTitleRequired) {
  const std::string text =
      Template(absl::StrReplaceAll(Item("A"), {{"  title_en: \"Item A\"\n", ""}}));
  EXPECT_EQ(CompileError(text), At(text, "items {") + "item A: title_en required");
}

TEST(TemplateCompileTest, UnknownGroup) {
  const std::string text =
      Template(absl::StrReplaceAll(Item("A"), {{"group: \"g\"", "group: \"h\""}}));
  EXPECT_EQ(CompileError(text),
            At(text, "group: \"h\"") + "item A: unknown group 'h' (expected one of: g)");
}

TEST(TemplateCompileTest, UnknownDependency) {
  const std::string text = Template(Item("A") + Item("B", "  depends_on { code: \"Z\" }\n"));
  EXPECT_EQ(CompileError(text), At(text, "code: \"Z\"") + "item B: unknown dependency 'Z'");
}

TEST(TemplateCompileTest, DuplicateDependency) {
  const std::string text = Template(
      Item("A") +
      Item("B",
           "  depends_on { code: \"A\" }\n  depends_on { code: \"A\" lag_working_days: 1 }\n"));
  EXPECT_EQ(CompileError(text), At(text, "lag_working_days: 1") + "item B: depends on 'A' twice");
}

TEST(TemplateCompileTest, NegativeLag) {
  const std::string text =
      Template(Item("A") + Item("B", "  depends_on { code: \"A\" lag_working_days: -1 }\n"));
  EXPECT_EQ(CompileError(text), At(text, "lag_working_days: -1") +
                                    "item B: lag_working_days of 'A' must be between 0 and 365");
}

TEST(TemplateCompileTest, DependencyCycleListsThePath) {
  const std::string text =
      Template(Item("START") + Item("A", "  depends_on { code: \"B\" }\n") +
               Item("B", "  depends_on { code: \"C\" }\n") +
               Item("C", "  depends_on { code: \"START\" }\n  depends_on { code: \"A\" }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "depends_on { code: \"B\" }") + "dependency cycle: A -> B -> C -> A");
}

TEST(TemplateCompileTest, SelfDependencyIsACycle) {
  const std::string text = Template(Item("A", "  depends_on { code: \"A\" }\n"));
  EXPECT_EQ(CompileError(text), At(text, "depends_on") + "dependency cycle: A -> A");
}

TEST(TemplateCompileTest, ConditionErrorNamesLineAndColumn) {
  const std::string text = Template(Item(
      "A",
      "  applies_when: \"payments && subject == enterprize\"\n  not_applicable_reason: \"x\"\n"));
  const std::string error = CompileError(text);
  EXPECT_THAT(error, StartsWith(At(text, "applies_when") +
                                "item A: applies_when \"payments && subject == enterprize\": "
                                "column 24: unknown subject 'enterprize'"));
}

TEST(TemplateCompileTest, ConditionWithUnknownCategory) {
  const std::string text =
      Template(Item("A", "  applies_when: \"category(drinks)\"\n  not_applicable_reason: \"x\"\n"));
  EXPECT_EQ(CompileError(text), At(text, "applies_when") +
                                    "item A: applies_when \"category(drinks)\": column 10: unknown "
                                    "category 'drinks' (expected one of: food)");
}

TEST(TemplateCompileTest, NotApplicableReasonRequiredWithCondition) {
  const std::string text = Template(Item("A", "  applies_when: \"payments\"\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "applies_when") + "item A: not_applicable_reason required with applies_when");
}

TEST(TemplateCompileTest, DurationRequired) {
  const std::string text = Template(absl::StrReplaceAll(
      Item("A"), {{"  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 2 max: 3 }\n", ""}}));
  EXPECT_EQ(CompileError(text), At(text, "items {") + "item A: duration required");
}

TEST(TemplateCompileTest, DurationUnitRequired) {
  const std::string text = Template(Item("A", "  duration { min: 1 typical: 2 max: 3 }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "duration {") +
                "item A: duration unit required (DAY_UNIT_WORKING_DAYS or DAY_UNIT_CALENDAR_DAYS)");
}

TEST(TemplateCompileTest, DurationOrder) {
  const std::string min_over_typical =
      Template(Item("A", "  duration { unit: DAY_UNIT_WORKING_DAYS min: 5 typical: 2 max: 9 }\n"));
  EXPECT_EQ(CompileError(min_over_typical),
            At(min_over_typical, "duration {") +
                "item A: duration must satisfy 0 <= min <= typical <= max, got min 5, typical "
                "2, max 9");
  const std::string typical_over_max =
      Template(Item("A", "  duration { unit: DAY_UNIT_CALENDAR_DAYS min: 1 typical: 8 max: 7 }\n"));
  EXPECT_THAT(CompileError(typical_over_max),
              StartsWith(At(typical_over_max, "duration {") + "item A: duration must satisfy"));
  const std::string negative = Template(
      Item("A", "  duration { unit: DAY_UNIT_CALENDAR_DAYS min: -1 typical: 0 max: 0 }\n"));
  EXPECT_THAT(CompileError(negative), HasSubstr("got min -1"));
}

TEST(TemplateCompileTest, FeeMustBeCny) {
  const std::string text =
      Template(Item("A", "  fees {\n    amount { currency_code: \"USD\" units: 5 }\n  }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "currency_code") + "item A: fee currency must be CNY, got 'USD'");
}

TEST(TemplateCompileTest, FeeMustNotBeNegative) {
  const std::string text =
      Template(Item("A", "  fees {\n    amount { currency_code: \"CNY\" units: -5 }\n  }\n"));
  EXPECT_EQ(CompileError(text), At(text, "amount {") + "item A: fee must not be negative");
}

TEST(TemplateCompileTest, FeeInWholeFen) {
  const std::string text = Template(
      Item("A", "  fees {\n    amount { currency_code: \"CNY\" units: 5 nanos: 5 }\n  }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "nanos: 5") + "item A: fee nanos 5 is not a whole number of fen");
}

TEST(TemplateCompileTest, FeeAmountRequired) {
  const std::string text = Template(Item("A", "  fees { per_attempt: true }\n"));
  EXPECT_EQ(CompileError(text), At(text, "fees {") + "item A: fee amount required");
}

TEST(TemplateCompileTest, FeeIsChargedPerOrderOrPerAttemptNotBoth) {
  const std::string text =
      Template(Item("A",
                    "  fees {\n    amount { currency_code: \"CNY\" units: 300 }\n"
                    "    per_attempt: true\n    per_order: true\n  }\n"));
  EXPECT_EQ(CompileError(text), At(text, "per_order: true") +
                                    "item A: fee rule 1 sets both per_order and per_attempt; a fee "
                                    "is charged per order or per attempt");
}

TEST(TemplateCompileTest, ResubmissionsPerOrderNeedPerOrder) {
  const std::string text =
      Template(Item("A",
                    "  fees {\n    amount { currency_code: \"CNY\" units: 30 }\n"
                    "    per_attempt: true\n"
                    "    resubmissions_per_order: 3\n  }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "resubmissions_per_order") +
                "item A: fee rule 1 sets resubmissions_per_order without per_order; only a fee "
                "charged per order covers resubmissions");
}

TEST(TemplateCompileTest, ResubmissionsPerOrderInRange) {
  for (const char* count : {"-1", "101"}) {
    const std::string text = Template(
        Item("A", absl::StrCat("  fees {\n    amount { currency_code: \"CNY\" units: 300 }\n"
                               "    per_order: true\n    resubmissions_per_order: ",
                               count, "\n  }\n")));
    EXPECT_EQ(CompileError(text),
              At(text, "resubmissions_per_order") +
                  "item A: fee rule 1: resubmissions_per_order must be between 0 and 100, got " +
                  count);
  }
  const std::string ok =
      Template(Item("A",
                    "  fees {\n    amount { currency_code: \"CNY\" units: 300 }\n"
                    "    per_order: true\n    resubmissions_per_order: 3\n  }\n"));
  EXPECT_TRUE(TemplateCatalog::CompileText(ok, kSource).ok());
}

TEST(TemplateCompileTest, FeeRuleAfterDefaultIsUnreachable) {
  const std::string text = Template(Item("A",
                                         "  fees { amount { currency_code: \"CNY\" units: 300 } }\n"
                                         "  fees { subject_types: SUBJECT_TYPE_INDIVIDUAL amount { "
                                         "currency_code: \"CNY\" units: 30 } }\n"));
  EXPECT_EQ(CompileError(text), At(text, "SUBJECT_TYPE_INDIVIDUAL") +
                                    "item A: fee rule 2 can never apply: rule 1 has no "
                                    "subject_types and matches every subject");
}

TEST(TemplateCompileTest, AfterGoLiveDeadlineNeedsDays) {
  const std::string text = Template(
      Item("A", "  deadline { anchor: ANCHOR_AFTER_GO_LIVE unit: DAY_UNIT_CALENDAR_DAYS }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "deadline {") + "item A: an ANCHOR_AFTER_GO_LIVE deadline needs days > 0");
  const std::string no_unit =
      Template(Item("A", "  deadline {\n    anchor: ANCHOR_AFTER_GO_LIVE\n    days: 30\n  }\n"));
  EXPECT_EQ(CompileError(no_unit),
            At(no_unit, "deadline {") +
                "item A: deadline unit required (DAY_UNIT_WORKING_DAYS or DAY_UNIT_CALENDAR_DAYS)");
}

TEST(TemplateCompileTest, BeforeLaunchDeadlineTakesNoDays) {
  const std::string text = Template(Item("A", "  deadline {\n    days: 4\n  }\n"));
  EXPECT_EQ(CompileError(text),
            At(text, "days: 4") + "item A: deadline days only apply to ANCHOR_AFTER_GO_LIVE");
}

TEST(TemplateCompileTest, RemindersNeedAValidity) {
  const std::string text = Template(Item("A", "  validity { reminder_days_before: [30] }\n"));
  EXPECT_EQ(CompileError(text), At(text, "validity") + "item A: renewal reminders need a validity");
  const std::string negative = Template(
      Item("A", "  validity {\n    months: 12\n    reminder_days_before: [30, -7]\n  }\n"));
  EXPECT_EQ(CompileError(negative),
            At(negative, "reminder_days_before") +
                "item A: reminder_days_before must be between 1 and 365, got -7");
}

TEST(TemplateCompileTest, ProvincesAreCheckedAndUsableInConditions) {
  const std::string provinces =
      "provinces { code: \"ZJ\" title_en: \"Zhejiang\" title_zh: \"浙江\" }\n";
  const std::string rule =
      "  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 2 max: 3 }\n"
      "  duration_rules {\n    when: \"province == ZJ\"\n"
      "    duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 2 max: 9 }\n"
      "    note: \"slower\"\n  }\n";
  absl::StatusOr<CompiledTemplate> ok =
      TemplateCatalog::CompileText(Template(Item("A", rule), provinces), kSource);
  ASSERT_TRUE(ok.ok()) << ok.status();
  Profile zhejiang;
  zhejiang.province = "ZJ";
  const v1::DurationRule* matched = ok->MatchingDurationRule(*ok->FindItem("A"), zhejiang);
  ASSERT_NE(matched, nullptr);
  EXPECT_EQ(matched->duration().max(), 9);
  EXPECT_EQ(ok->MatchingDurationRule(*ok->FindItem("A"), Profile()), nullptr);

  const std::string unknown = Template(Item("A", rule));  // no provinces listed
  EXPECT_THAT(CompileError(unknown), HasSubstr("item A: duration rule 1: when \"province == ZJ\": "
                                               "column 13: unknown province 'ZJ'"));
  const std::string twice = Template(Item("A"), provinces + provinces);
  EXPECT_THAT(CompileError(twice), HasSubstr("duplicate province code 'ZJ'"));
  const std::string lower =
      Template(Item("A"), "provinces { code: \"zj\" title_en: \"Z\" title_zh: \"浙\" }\n");
  EXPECT_THAT(CompileError(lower), HasSubstr("province code 'zj' must be upper case"));
  const std::string no_note = Template(Item(
      "A",
      "  duration { unit: DAY_UNIT_WORKING_DAYS min: 1 typical: 2 max: 3 }\n"
      "  duration_rules { when: \"true\" duration { unit: DAY_UNIT_WORKING_DAYS max: 1 } }\n"));
  EXPECT_THAT(CompileError(no_note), HasSubstr("item A: duration rule 1: note required"));
}

TEST(TemplateCompileTest, MaterialsNeedUniqueCodesAndTitles) {
  const std::string material =
      "  materials { code: \"licence\" title_en: \"Licence\" title_zh: \"执照\" }\n";
  EXPECT_TRUE(TemplateCatalog::CompileText(Template(Item("A", material)), kSource).ok());
  EXPECT_THAT(CompileError(Template(Item("A", material + material))),
              HasSubstr("item A: duplicate material code 'licence'"));
  EXPECT_THAT(CompileError(Template(Item(
                  "A", "  materials { code: \"Licence\" title_en: \"L\" title_zh: \"执\" }\n"))),
              HasSubstr("item A: material code 'Licence' must be lower snake case"));
  EXPECT_THAT(
      CompileError(Template(Item("A",
                                 "  materials { code: \"licence\" title_en: \"L\" title_zh: \"执\" "
                                 "when: \"category(drinks)\" }\n"))),
      HasSubstr("unknown category 'drinks'"));
}

TEST(TemplateCompileTest, YearlyAndWindowDeadlines) {
  EXPECT_TRUE(
      TemplateCatalog::CompileText(
          Template(Item("A", "  deadline { anchor: ANCHOR_YEARLY month: 3 day: 31 }\n")), kSource)
          .ok());
  EXPECT_THAT(
      CompileError(Template(Item("A", "  deadline { anchor: ANCHOR_YEARLY month: 2 day: 29 }\n"))),
      HasSubstr("item A: day 29 is not a day of month 2 in every year"));
  EXPECT_THAT(CompileError(Template(Item("A", "  deadline { month: 3 day: 31 }\n"))),
              HasSubstr("item A: deadline month and day only apply to ANCHOR_YEARLY"));
  EXPECT_THAT(
      CompileError(Template(Item("A") + Item("B",
                                             "  deadline { anchor: ANCHOR_AFTER_APPROVAL_OF "
                                             "item: \"A\" months: 3 }\n"))),
      HasSubstr("item B: deadline item 'A' must be one of the item's dependencies"));
  EXPECT_TRUE(TemplateCatalog::CompileText(
                  Template(Item("A") + Item("B",
                                            "  depends_on { code: \"A\" }\n"
                                            "  deadline { anchor: ANCHOR_AFTER_APPROVAL_OF "
                                            "item: \"A\" months: 3 }\n")),
                  kSource)
                  .ok());
}

TEST(TemplateCompileTest, ValidityByIssueDateOrRenewalDay) {
  EXPECT_TRUE(
      TemplateCatalog::CompileText(
          Template(Item("A",
                        "  validity {\n"
                        "    max_days_by_issue_date { days: 398 }\n"
                        "    max_days_by_issue_date { from_date: \"2026-03-15\" days: 200 }\n"
                        "    reminder_days_before: [30]\n  }\n")),
          kSource)
          .ok());
  EXPECT_THAT(CompileError(Template(Item(
                  "A",
                  "  validity {\n"
                  "    max_days_by_issue_date { from_date: \"2027-03-15\" days: 100 }\n"
                  "    max_days_by_issue_date { from_date: \"2026-03-15\" days: 200 }\n  }\n"))),
              HasSubstr("item A: steps must be in increasing from_date order"));
  EXPECT_THAT(CompileError(Template(Item("A",
                                         "  validity {\n    months: 12\n    renew_by_month: 3\n"
                                         "    renew_by_day: 31\n  }\n"))),
              HasSubstr("item A: validity takes one of months, max_days_by_issue_date or "
                        "renew_by_month/day"));
  EXPECT_THAT(
      CompileError(Template(Item(
          "A", "  validity { max_days_by_issue_date { from_date: \"15.3.2026\" days: 1 } }\n"))),
      HasSubstr("from_date '15.3.2026' is not a YYYY-MM-DD date"));
}

TEST(TemplateCompileTest, UnknownSourceKey) {
  const std::string text = Template(Item("A", "  source: \"K1, K9\"\n"));
  EXPECT_EQ(CompileError(text), At(text, "source: \"K1, K9\"") +
                                    "item A: source key 'K9' is not in the template's "
                                    "sources");
}

TEST(TemplateCompileTest, DuplicateSourceKey) {
  const std::string text =
      Template(Item("A"), "sources {\n  key: \"K1\"\n  citation: \"elsewhere\"\n}\n");
  EXPECT_EQ(CompileError(text), At(text, "  key: \"K1\"") + "duplicate source key 'K1'");
}

TEST(TemplateCompileTest, DuplicateCategoryCode) {
  const std::string text = Template(
      Item("A"), "categories {\n  code: \"food\"\n  title_en: \"F\"\n  title_zh: \"食\"\n}\n");
  EXPECT_EQ(CompileError(text), At(text, "  code: \"food\"") + "duplicate category code 'food'");
}

TEST(TemplateCompileTest, CategoryCodeFormat) {
  const std::string text =
      Template(Item("A"), "categories { code: \"Food-Shop\" title_en: \"F\" title_zh: \"食\" }\n");
  EXPECT_EQ(CompileError(text), At(text, "Food-Shop") +
                                    "category code 'Food-Shop' must be lower snake case (a-z, "
                                    "0-9, _)");
}

TEST(TemplateCompileTest, DuplicateGroupCode) {
  const std::string text =
      Template(Item("A"), "groups {\n  code: \"g\"\n  title_en: \"G2\"\n  title_zh: \"组\"\n}\n");
  EXPECT_EQ(CompileError(text), At(text, "  code: \"g\"") + "duplicate group code 'g'");
}

TEST(TemplateCompileTest, ConstraintActionRequired) {
  const std::string text =
      Template(Item("A"),
               "constraints {\n  code: \"NO_PAY\"\n  when: \"payments\"\n  field: \"profile.x\"\n"
               "  message: \"no\"\n}\n");
  EXPECT_EQ(CompileError(text),
            At(text, "constraints {") +
                "constraint NO_PAY: action required (ACTION_REFUSE or ACTION_BLOCKER)");
}

TEST(TemplateCompileTest, ConstraintConditionMustParse) {
  const std::string text = Template(
      Item("A"),
      "constraints {\n  code: \"NO_PAY\"\n  when: \"payments ||\"\n  action: ACTION_REFUSE\n"
      "  field: \"profile.x\"\n  message: \"no\"\n}\n");
  EXPECT_THAT(CompileError(text), StartsWith(At(text, "  when:") +
                                             "constraint NO_PAY: when \"payments ||\": column 12: "
                                             "expected 'subject'"));
}

TEST(TemplateCompileTest, ConstraintSourceMustExist) {
  const std::string text =
      Template(Item("A"),
               "constraints {\n  code: \"NO_PAY\"\n  when: \"payments\"\n  action: ACTION_BLOCKER\n"
               "  field: \"profile.x\"\n  message: \"no\"\n  source: \"P3\"\n}\n");
  EXPECT_EQ(CompileError(text), At(text, "source: \"P3\"") +
                                    "constraint NO_PAY: source key 'P3' is not in the template's "
                                    "sources");
}

}  // namespace
}  // namespace preflight::checklist

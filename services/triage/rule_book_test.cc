// Loader validation: malformed rules are rejected at start-up with an error
// that names the file, the rule and the problem.
#include "services/triage/rule_book.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/config/deployment_config.h"
#include "services/triage/triage.h"

namespace kneechat {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::set<std::string>& Vocabulary() {
  static const auto* const kIds =
      new std::set<std::string>{"hot", "swollen", "fever", "injury"};
  return *kIds;
}

// A small valid rules file; tests break one thing at a time.
constexpr char kValid[] = R"pb(
  definition {
    name: "after_injury"
    condition { any_of: [ "injury" ] }
  }
  screening {
    text: "Any of these: {signs}?"
    item {
      id: "hot"
      phrase: "a hot knee"
      finding_ids: [ "hot" ]
      question: "Is the knee hot?"
    }
    quick_replies { id: "none" title: "None of these" }
  }
  rule {
    id: "hot_knee"
    title: "Hot knee"
    trigger {
      level: LEVEL_URGENT
      when { all_of: [ "hot", "swollen" ] }
      action: "Please {emergency}."
      reason: "Because."
    }
    source { citation: "A guideline" url: "https://example.org/guideline" }
    question {
      id: "fever"
      when { all_of: [ "hot" ] }
      finding_ids: [ "fever" ]
      reveals: LEVEL_EMERGENCY
      text: "Do you have a fever?"
      quick_replies { id: "yes" title: "Yes" }
    }
  }
)pb";

absl::Status LoadWith(std::string text) {
  return Triage::FromText(text, Vocabulary(), DefaultDeploymentConfig())
      .status();
}

absl::Status LoadReplacing(const std::string& from, const std::string& to) {
  std::string text(kValid);
  EXPECT_NE(text.find(from), std::string::npos) << from;
  return LoadWith(absl::StrReplaceAll(text, {{from, to}}));
}

TEST(RuleBookTest, ValidFileLoads) { EXPECT_TRUE(LoadWith(kValid).ok()); }

TEST(RuleBookTest, RejectsSelfCareOrMissingLevelNamingRule) {
  for (const char* bad : {"LEVEL_SELF_CARE", "LEVEL_UNSPECIFIED"}) {
    absl::Status s =
        LoadReplacing("level: LEVEL_URGENT", std::string("level: ") + bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), AllOf(HasSubstr("rule 'hot_knee'"),
                                   HasSubstr("trigger 1"), HasSubstr("level")));
  }
}

TEST(RuleBookTest, RejectsUnknownLevelNameNamingLineAndRule) {
  absl::Status s = LoadReplacing("level: LEVEL_URGENT", "level: LEVEL_SEVERE");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("red_flags.textproto:"),
                                 HasSubstr("LEVEL_SEVERE"),
                                 HasSubstr("in rule 'hot_knee'")));
}

TEST(RuleBookTest, RejectsUnknownFindingIdNamingRule) {
  absl::Status s =
      LoadReplacing("[ \"hot\", \"swollen\" ]", "[ \"hot\", \"swolen\" ]");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("rule 'hot_knee'"),
                                 HasSubstr("unknown finding id 'swolen'")));
}

TEST(RuleBookTest, RejectsMissingSourceNamingRule) {
  absl::Status s = LoadReplacing(
      R"(source { citation: "A guideline" url: "https://example.org/guideline" })",
      "");
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("rule 'hot_knee'"), HasSubstr("missing source")));
  s = LoadReplacing("url: \"https://example.org/guideline\"", "url: \"\"");
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("rule 'hot_knee'"), HasSubstr("source url")));
}

TEST(RuleBookTest, RejectsUnknownPlaceholder) {
  absl::Status s = LoadReplacing("{emergency}", "{ambulance}");
  EXPECT_THAT(s.message(), AllOf(HasSubstr("rule 'hot_knee'"),
                                 HasSubstr("unknown placeholder {ambulance}")));
}

TEST(RuleBookTest, RejectsEmptyMessages) {
  absl::Status s = LoadReplacing("reason: \"Because.\"", "reason: \"  \"");
  EXPECT_THAT(s.message(), AllOf(HasSubstr("rule 'hot_knee'"),
                                 HasSubstr("reason is empty")));
}

TEST(RuleBookTest, RejectsUnknownDefinition) {
  absl::Status s = LoadReplacing("when { all_of: [ \"hot\" ] }",
                                 "when { is: [ \"after_fall\" ] }");
  EXPECT_THAT(s.message(), AllOf(HasSubstr("question 'fever'"),
                                 HasSubstr("unknown definition 'after_fall'")));
}

TEST(RuleBookTest, RejectsANegativeDuration) {
  absl::Status s =
      LoadReplacing("when { all_of: [ \"hot\", \"swollen\" ] }",
                    "when { all_of: [ \"hot\" ] injury_within_days: -1 }");
  EXPECT_THAT(s.message(), AllOf(HasSubstr("rule 'hot_knee'"),
                                 HasSubstr("injury_within_days")));
  // On its own it holds when nothing is known: not a condition.
  EXPECT_THAT(LoadReplacing("when { all_of: [ \"hot\", \"swollen\" ] }",
                            "when { injury_within_days: 7 }")
                  .message(),
              HasSubstr("empty condition"));
  EXPECT_TRUE(
      LoadReplacing("when { all_of: [ \"hot\", \"swollen\" ] }",
                    "when { all_of: [ \"hot\" ] injury_within_days: 7 }")
          .ok());
}

TEST(RuleBookTest, ChecksAKnownTimeAndAQuestionThatFillsASlot) {
  EXPECT_THAT(
      LoadReplacing("when { all_of: [ \"hot\", \"swollen\" ] }",
                    "when { all_of: [ \"hot\" ] injury_dated_within_days: -2 }")
          .message(),
      HasSubstr("injury_dated_within_days must not be negative"));
  const std::string asked_as = "finding_ids: [ \"fever\" ]";
  // "When did it happen?": asked as the duration, fills injury_days.
  EXPECT_TRUE(
      LoadReplacing(asked_as, "slot: \"duration\" fills: \"injury_days\"")
          .ok());
  EXPECT_THAT(
      LoadReplacing(asked_as, "slot: \"duration\" fills: \"Days\"").message(),
      HasSubstr("fills must be"));
  EXPECT_THAT(LoadReplacing(asked_as, "slot: \"duration\" fills: \"duration\"")
                  .message(),
              HasSubstr("fills must be"));
  EXPECT_THAT(LoadReplacing(asked_as,
                            "finding_ids: [ \"fever\" ] "
                            "fills: \"injury_days\"")
                  .message(),
              HasSubstr("asked as a slot"));
  // "Is the calf swollen?": asked as the swelling, read only for its
  // findings; it needs a slot to be asked as and findings to read.
  EXPECT_TRUE(
      LoadReplacing(asked_as, "finding_ids: [ \"fever\" ] slot: "
                              "\"swelling\" findings_only: true")
          .ok());
  EXPECT_THAT(LoadReplacing(asked_as,
                            "finding_ids: [ \"fever\" ] findings_only: true")
                  .message(),
              HasSubstr("findings_only"));
  EXPECT_THAT(LoadReplacing(asked_as,
                            "finding_ids: [ \"fever\" ] slot: \"duration\" "
                            "fills: \"injury_days\" findings_only: true")
                  .message(),
              HasSubstr("findings_only"));
}

TEST(RuleBookTest, EnforcesQuestionLimits) {
  absl::Status s = LoadReplacing("Do you have a fever?", std::string(201, 'x'));
  EXPECT_THAT(s.message(), AllOf(HasSubstr("question 'fever'"),
                                 HasSubstr("1-200 characters")));
  s = LoadReplacing("title: \"Yes\"", "title: \"Yes, absolutely, I do\"");
  EXPECT_THAT(s.message(), HasSubstr("1-20 characters"));
  s = LoadReplacing("id: \"yes\"", "id: \"" + std::string(65, 'y') + "\"");
  EXPECT_THAT(s.message(), HasSubstr("1-64 bytes"));
  std::string six;
  for (int i = 0; i < 6; ++i) {
    six += "quick_replies { id: \"r" + std::to_string(i) + "\" title: \"R\" } ";
  }
  s = LoadReplacing("quick_replies { id: \"yes\" title: \"Yes\" }", six);
  EXPECT_THAT(s.message(), HasSubstr("more than 5 quick replies"));
  s = LoadReplacing("reveals: LEVEL_EMERGENCY", "");
  EXPECT_THAT(s.message(), HasSubstr("reveals"));
}

TEST(RuleBookTest, RejectsDuplicateRuleIds) {
  std::string text(kValid);
  const size_t start = text.find("  rule {");
  text += text.substr(start);
  EXPECT_THAT(LoadWith(text).message(),
              AllOf(HasSubstr("rule 'hot_knee'"), HasSubstr("duplicate id")));
}

TEST(RuleBookTest, RejectsScreeningWithoutSignsPlaceholder) {
  absl::Status s = LoadReplacing("Any of these: {signs}?", "Any of these?");
  EXPECT_THAT(s.message(), HasSubstr("screening"));
}

TEST(RuleBookTest, RejectsScreeningItemWithoutQuestion) {
  absl::Status s = LoadReplacing("question: \"Is the knee hot?\"", "");
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("screening item 'hot'"), HasSubstr("question")));
}

TEST(RuleBookTest, ProjectRulesLoad) {
  auto triage = Triage::Load(std::string(KNEECHAT_SOURCE_DIR) + "/corpus",
                             DefaultDeploymentConfig());
  ASSERT_TRUE(triage.ok()) << triage.status();
  EXPECT_GE((*triage)->rules().rule_size(), 10);
}

TEST(RuleBookTest, MissingCorpusIsNotFound) {
  EXPECT_EQ(
      Triage::Load("/nonexistent", DefaultDeploymentConfig()).status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kneechat

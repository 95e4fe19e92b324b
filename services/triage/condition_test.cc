// Facts and ConditionEvaluator over small compiled rules.
#include "services/triage/condition.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/triage/compiled_rules.h"
#include "services/triage/facts.h"

namespace kneechat::triage_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kRules[] = R"pb(
  definition {
    name: "feverish"
    condition { any_of: [ "fever", "rigors" ] }
  }
  definition {
    name: "risky"
    condition { all_of: "cancer_history" }
  }
  slot_finding {
    slot: "swelling"
    value: "rapid"
    finding_id: "swollen"
    polarity: FINDING_POLARITY_PRESENT
  }
  screening {
    item {
      id: "hot_or_red"
      finding_ids: [ "hot", "red" ]
    }
    item {
      id: "fever"
      finding_ids: [ "fever", "rigors" ]
    }
  }
  rule {
    id: "r0"
    trigger {
      when {
        all_of: [ "swollen", "hot" ]
        is: "feverish"
      }
    }
    trigger {
      when {
        either { any_of: "red" }
        either { all_of: "hot" }
      }
    }
    trigger { when { none_of: "hot" age_below: 16 } }
    trigger {
      when {
        slot {
          slot: "location"
          values: [ "back" ]
        }
      }
    }
    trigger { when { is: "risky" } }
    trigger { when { all_of: "fall" injury_within_days: 7 } }
  }
  rule {
    id: "r1"
    trigger { when { is: "risky" } }
    history_counts: "cancer_history"
  }
)pb";

class ConditionTest : public ::testing::Test {
 protected:
  ConditionTest() : compiled_(Parse()) {}

  static knowledge::v1::RedFlagRules Parse() {
    knowledge::v1::RedFlagRules rules;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kRules, &rules));
    return rules;
  }

  static Finding F(const std::string& id, Polarity p = Polarity::kPresent,
                   Temporality t = Temporality::kCurrent,
                   const std::string& words = "") {
    Finding f;
    f.id = id;
    f.polarity = p;
    f.temporality = t;
    f.evidence = words.empty() ? "<" + id + ">" : words;
    return f;
  }

  const CompiledCondition& Trigger(int rule, int trigger) const {
    return compiled_.rules()[rule].triggers[trigger];
  }
  int Id(const std::string& id) const { return compiled_.FindingIndex(id); }
  int History(int rule) const { return compiled_.rules()[rule].history_set; }

  const CompiledRules compiled_;
  std::vector<Finding> findings_;
  std::map<std::string, SlotValue> slots_;
};

TEST_F(ConditionTest, ConjunctionWithSupportInRuleOrder) {
  findings_ = {F("fever"), F("hot"), F("swollen"), F("rigors")};
  const Facts facts(compiled_, findings_, slots_);
  ConditionEvaluator eval(compiled_, facts);
  EXPECT_EQ(eval.Evaluate(Trigger(0, 0), 0), Truth::kTrue);
  const Match m = eval.Explain(Trigger(0, 0), 0);
  EXPECT_EQ(m.truth, Truth::kTrue);
  EXPECT_THAT(m.support,
              ElementsAre(Id("swollen"), Id("hot"), Id("fever"), Id("rigors")));
  // First mentions order the evidence.
  EXPECT_LT(facts.Order(Id("fever")), facts.Order(Id("hot")));
  EXPECT_LT(facts.Order(Id("swollen")), facts.Order(Id("rigors")));
}

TEST_F(ConditionTest, UnsureIsPossibleAndFalseHasNoSupport) {
  findings_ = {F("hot"), F("swollen"), F("fever", Polarity::kUnsure)};
  const Facts facts(compiled_, findings_, slots_);
  ConditionEvaluator eval(compiled_, facts);
  EXPECT_EQ(eval.Evaluate(Trigger(0, 0), 0), Truth::kPossible);
  EXPECT_THAT(eval.Explain(Trigger(0, 0), 0).support,
              ElementsAre(Id("swollen"), Id("hot"), Id("fever")));

  findings_ = {F("hot"), F("swollen")};
  const Facts none(compiled_, findings_, slots_);
  ConditionEvaluator eval2(compiled_, none);
  EXPECT_EQ(eval2.Evaluate(Trigger(0, 0), 0), Truth::kFalse);
  const Match m = eval2.Explain(Trigger(0, 0), 0);
  EXPECT_EQ(m.truth, Truth::kFalse);
  EXPECT_THAT(m.support, IsEmpty());
}

TEST_F(ConditionTest, EitherTakesTheBestAlternatives) {
  findings_ = {F("red", Polarity::kUnsure), F("hot")};
  const Facts facts(compiled_, findings_, slots_);
  ConditionEvaluator eval(compiled_, facts);
  const Match m = eval.Explain(Trigger(0, 1), 0);
  EXPECT_EQ(m.truth, Truth::kTrue);
  EXPECT_THAT(m.support, ElementsAre(Id("hot")));
}

TEST_F(ConditionTest, NoneOfAgeAndSlots) {
  slots_["age"] = SlotValue{"12", "twelve"};
  slots_["location"] = SlotValue{"front, back", "where"};
  {
    const Facts facts(compiled_, findings_, slots_);
    ConditionEvaluator eval(compiled_, facts);
    EXPECT_EQ(facts.age(), 12);
    EXPECT_EQ(eval.Evaluate(Trigger(0, 2), 0), Truth::kTrue);
    EXPECT_THAT(eval.Explain(Trigger(0, 2), 0).support, IsEmpty());
    EXPECT_EQ(eval.Evaluate(Trigger(0, 3), 0), Truth::kTrue);
  }
  findings_ = {F("hot", Polarity::kUnsure)};
  slots_["age"] = SlotValue{"thirty", ""};
  slots_["location"] = SlotValue{"backs", ""};
  const Facts facts(compiled_, findings_, slots_);
  ConditionEvaluator eval(compiled_, facts);
  EXPECT_FALSE(facts.age().has_value());
  EXPECT_EQ(eval.Evaluate(Trigger(0, 2), 0), Truth::kFalse);
  EXPECT_EQ(eval.Evaluate(Trigger(0, 3), 0), Truth::kFalse);
}

// A rule for recent injuries holds while the injury_days slot is a count of at
// most its days or not known (unset, "unsure", "unknown": to be safe), and
// not for one told longer.
TEST_F(ConditionTest, InjuryWithinDaysHoldsUnlessToldLonger) {
  const CompiledCondition& recent = Trigger(0, 5);
  findings_ = {F("fall")};
  for (const char* days : {"", "0", "7", "unsure", "unknown"}) {
    if (*days == '\0') {
      slots_.erase("injury_days");
    } else {
      slots_["injury_days"] = SlotValue{days, "when"};
    }
    const Facts facts(compiled_, findings_, slots_);
    ConditionEvaluator eval(compiled_, facts);
    EXPECT_EQ(eval.Evaluate(recent, 0), Truth::kTrue) << days;
    EXPECT_THAT(eval.Explain(recent, 0).support, ElementsAre(Id("fall")));
  }
  for (const char* days : {"8", "42", "3650"}) {
    slots_["injury_days"] = SlotValue{days, "when"};
    const Facts facts(compiled_, findings_, slots_);
    ConditionEvaluator eval(compiled_, facts);
    EXPECT_EQ(eval.Evaluate(recent, 0), Truth::kFalse) << days;
    EXPECT_EQ(eval.Explain(recent, 0).truth, Truth::kFalse) << days;
  }
}

TEST_F(ConditionTest, HistoryCountsOnlyForItsRuleThroughDefinitions) {
  findings_ = {
      F("cancer_history", Polarity::kPresent, Temporality::kHistorical)};
  const Facts facts(compiled_, findings_, slots_);
  ConditionEvaluator eval(compiled_, facts);
  // The same definition, remembered apart for each history set.
  EXPECT_EQ(eval.Evaluate(Trigger(0, 4), History(0)), Truth::kFalse);
  EXPECT_EQ(eval.Evaluate(Trigger(1, 0), History(1)), Truth::kTrue);
  EXPECT_EQ(eval.Evaluate(Trigger(0, 4), History(0)), Truth::kFalse);
  EXPECT_THAT(eval.Explain(Trigger(1, 0), History(1)).support,
              ElementsAre(Id("cancer_history")));
  EXPECT_EQ(facts.Evidence(Id("cancer_history"), History(1)),
            "<cancer_history>");
  EXPECT_EQ(facts.Evidence(Id("cancer_history"), History(0)), "");
  EXPECT_FALSE(facts.Known(Id("cancer_history")));
}

TEST_F(ConditionTest, HypotheticalCountsForNothing) {
  findings_ = {F("hot", Polarity::kPresent, Temporality::kHypothetical)};
  const Facts facts(compiled_, findings_, slots_);
  EXPECT_EQ(facts.Get(Id("hot"), 0), Truth::kFalse);
  EXPECT_FALSE(facts.Known(Id("hot")));
}

TEST_F(ConditionTest, MostSeriousMentionWinsWithItsWords) {
  findings_ = {F("hot", Polarity::kAbsent, Temporality::kCurrent, "not hot"),
               F("hot", Polarity::kPresent, Temporality::kCurrent, "hot"),
               F("hot", Polarity::kUnsure, Temporality::kCurrent, "maybe")};
  const Facts facts(compiled_, findings_, slots_);
  EXPECT_EQ(facts.Get(Id("hot"), 0), Truth::kTrue);
  EXPECT_EQ(facts.Evidence(Id("hot"), 0), "hot");
  EXPECT_TRUE(facts.Known(Id("hot")));
  EXPECT_FALSE(facts.Absent(Id("hot")));
}

TEST_F(ConditionTest, SlotFindingsAndScreeningNone) {
  slots_["swelling"] = SlotValue{"yes, rapid", "it ballooned"};
  slots_["red_flags"] = SlotValue{"none", "none of those"};
  findings_ = {F("fever", Polarity::kPresent)};
  const Facts facts(compiled_, findings_, slots_);
  EXPECT_EQ(facts.Get(Id("swollen"), 0), Truth::kTrue);
  EXPECT_EQ(facts.Evidence(Id("swollen"), 0), "it ballooned");
  EXPECT_GT(facts.Order(Id("swollen")), facts.Order(Id("fever")));
  for (const char* id : {"hot", "red", "rigors"}) {
    EXPECT_TRUE(facts.Absent(Id(id))) << id;
    EXPECT_EQ(facts.Evidence(Id(id), 0), "none of those") << id;
  }
  EXPECT_FALSE(facts.Absent(Id("fever")));
  EXPECT_TRUE(facts.SlotSet(compiled_.red_flags_slot()));
}

TEST_F(ConditionTest, OneNotSureAcrossScreeningItemsIsABlanketHedge) {
  findings_ = {F("hot", Polarity::kUnsure, Temporality::kCurrent, "not sure"),
               F("fever", Polarity::kUnsure, Temporality::kCurrent, "not sure"),
               F("red", Polarity::kUnsure, Temporality::kCurrent, "maybe red")};
  const Facts facts(compiled_, findings_, slots_);
  EXPECT_TRUE(facts.BlanketUnsure(Id("hot")));
  EXPECT_TRUE(facts.BlanketUnsure(Id("fever")));
  EXPECT_FALSE(facts.Known(Id("hot")));
  EXPECT_EQ(facts.Get(Id("hot"), 0), Truth::kFalse);
  EXPECT_FALSE(facts.BlanketUnsure(Id("red")));
  EXPECT_EQ(facts.Get(Id("red"), 0), Truth::kPossible);
}

}  // namespace
}  // namespace kneechat::triage_internal

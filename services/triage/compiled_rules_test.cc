#include "services/triage/compiled_rules.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace kneechat::triage_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

knowledge::v1::RedFlagRules Rules(const std::string& text) {
  knowledge::v1::RedFlagRules rules;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &rules));
  return rules;
}

constexpr char kRules[] = R"pb(
  definition {
    name: "feverish"
    condition { any_of: [ "fever", "rigors" ] }
  }
  slot_finding {
    slot: "weight_bearing"
    value: "no"
    finding_id: "cant_weight_bear"
    polarity: FINDING_POLARITY_PRESENT
  }
  screening {
    item {
      id: "a"
      finding_ids: [ "hot", "red" ]
    }
    item {
      id: "b"
      finding_ids: [ "red", "fever" ]
    }
  }
  rule {
    id: "one"
    trigger { when { all_of: "hot" is: "feverish" } }
    trigger { when {} }
    history_counts: [ "diabetes" ]
  }
  rule {
    id: "two"
    trigger {
      when {
        is: "nowhere"
        age_at_least: 50
        slot {
          slot: "location"
          values: [ "back", "front" ]
        }
        either { none_of: "hot" }
      }
    }
    question {
      slot: "onset"
      finding_ids: "injury"
      when { all_of: "hot" }
    }
    question {
      slot: "red_flags"
      when { all_of: "hot" }
    }
    history_counts: [ "diabetes" ]
  }
  rule {
    id: "three"
    trigger { when { all_of: "hot" } }
  }
)pb";

TEST(CompiledRulesTest, InternsEveryFindingTheRulesName) {
  const CompiledRules compiled(Rules(kRules));
  for (const char* id : {"fever", "rigors", "cant_weight_bear", "hot", "red",
                         "diabetes", "injury"}) {
    const int f = compiled.FindingIndex(id);
    ASSERT_GE(f, 0) << id;
    EXPECT_EQ(compiled.finding_id(f), id);
  }
  EXPECT_EQ(compiled.FindingIndex("swollen"), -1);
  EXPECT_EQ(compiled.finding_count(), 7);
}

TEST(CompiledRulesTest, ConditionsReferToIndices) {
  const CompiledRules compiled(Rules(kRules));
  const CompiledCondition& one = compiled.rules()[0].triggers[0];
  EXPECT_THAT(one.all_of, ElementsAre(compiled.FindingIndex("hot")));
  EXPECT_THAT(one.is, ElementsAre(0));
  EXPECT_TRUE(one.has_parts);
  EXPECT_THAT(compiled.definitions()[0].any_of,
              ElementsAre(compiled.FindingIndex("fever"),
                          compiled.FindingIndex("rigors")));
  // An empty condition has no parts; an unknown definition is -1.
  EXPECT_FALSE(compiled.rules()[0].triggers[1].has_parts);
  const CompiledCondition& two = compiled.rules()[1].triggers[0];
  EXPECT_THAT(two.is, ElementsAre(-1));
  EXPECT_EQ(two.age_at_least, 50);
  EXPECT_FALSE(two.age_below.has_value());
  ASSERT_EQ(two.either.size(), 1u);
  EXPECT_THAT(two.either[0].none_of, ElementsAre(compiled.FindingIndex("hot")));
}

TEST(CompiledRulesTest, SlotValuesAreInternedPerSlot) {
  const CompiledRules compiled(Rules(kRules));
  EXPECT_EQ(compiled.slots()[compiled.red_flags_slot()].name, "red_flags");
  EXPECT_EQ(compiled.slots()[compiled.age_slot()].name, "age");
  const std::vector<int>& match =
      compiled.rules()[1].triggers[0].slot_values[0];
  ASSERT_EQ(match.size(), 2u);
  EXPECT_NE(match[0], match[1]);
  const CompiledSlotFinding& sf = compiled.slot_findings()[0];
  EXPECT_EQ(compiled.slots()[sf.slot].name, "weight_bearing");
  EXPECT_THAT(compiled.slots()[sf.slot].values, ElementsAre("no"));
  EXPECT_THAT(compiled.slots()[sf.slot].value_ids, ElementsAre(sf.slot_value));
  EXPECT_EQ(sf.finding, compiled.FindingIndex("cant_weight_bear"));
  EXPECT_EQ(compiled.slot_value_count(), 3);
}

TEST(CompiledRulesTest, QuestionsKeepSlotsOtherThanRedFlags) {
  const CompiledRules compiled(Rules(kRules));
  const auto& questions = compiled.rules()[1].questions;
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_EQ(compiled.slots()[questions[0].slot].name, "onset");
  EXPECT_THAT(questions[0].finding_ids,
              ElementsAre(compiled.FindingIndex("injury")));
  EXPECT_EQ(questions[1].slot, -1);
  EXPECT_THAT(questions[1].finding_ids, IsEmpty());
}

TEST(CompiledRulesTest, EqualHistorySetsAreShared) {
  const CompiledRules compiled(Rules(kRules));
  ASSERT_EQ(compiled.history_sets().size(), 2u);
  EXPECT_EQ(compiled.rules()[0].history_set, 1);
  EXPECT_EQ(compiled.rules()[1].history_set, 1);
  EXPECT_EQ(compiled.rules()[2].history_set, 0);
  const int diabetes = compiled.FindingIndex("diabetes");
  EXPECT_TRUE(compiled.history_sets()[1][diabetes]);
  EXPECT_FALSE(compiled.history_sets()[1][compiled.FindingIndex("hot")]);
  for (bool in : compiled.history_sets()[0]) EXPECT_FALSE(in);
}

TEST(CompiledRulesTest, ScreeningFindingsInOrderOnce) {
  const CompiledRules compiled(Rules(kRules));
  const int hot = compiled.FindingIndex("hot");
  const int red = compiled.FindingIndex("red");
  const int fever = compiled.FindingIndex("fever");
  EXPECT_THAT(compiled.screening_findings(), ElementsAre(hot, red, fever));
  EXPECT_THAT(compiled.screening_items(),
              ElementsAre(ElementsAre(hot, red), ElementsAre(red, fever)));
  // A finding in two items belongs to the first.
  EXPECT_EQ(compiled.item_of_finding()[red], 0);
  EXPECT_EQ(compiled.item_of_finding()[fever], 1);
  EXPECT_EQ(compiled.item_of_finding()[compiled.FindingIndex("diabetes")], -1);
}

}  // namespace
}  // namespace kneechat::triage_internal

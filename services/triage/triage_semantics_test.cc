// Cross-cutting semantics of Triage::Assess: unsure, history, slots,
// screening, deciding questions, ordering and evidence.
#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/triage/triage.h"
#include "services/triage/triage_test_util.h"

namespace kneechat {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_util::F;
using testing_util::LevelOf;
using testing_util::Present;
using testing_util::ProjectTriage;
using testing_util::S;

constexpr auto kSelfCare = v1::TRIAGE_LEVEL_SELF_CARE;
constexpr auto kSoon = v1::TRIAGE_LEVEL_SOON;
constexpr auto kUrgent = v1::TRIAGE_LEVEL_URGENT;
constexpr auto kEmergency = v1::TRIAGE_LEVEL_EMERGENCY;
constexpr auto kNone = v1::TRIAGE_LEVEL_UNSPECIFIED;

TEST(TriageSemanticsTest, UnsureSeriousSignRaisesTheFlag) {
  Assessment a =
      ProjectTriage().Assess({F("hot", Polarity::kUnsure), F("swollen")}, {});
  EXPECT_EQ(LevelOf(a, "septic_arthritis"), kUrgent);
  EXPECT_TRUE(a.flags.front().from_unsure);

  a = ProjectTriage().Assess(
      {F("hot"), F("swollen"), F("fever", Polarity::kUnsure)}, {});
  EXPECT_EQ(a.level, kEmergency);
}

TEST(TriageSemanticsTest, UnsureWeightBearingAfterInjuryIsSameDay) {
  Assessment a = ProjectTriage().Assess(
      {F("fall"), F("cant_weight_bear", Polarity::kUnsure)}, {});
  EXPECT_EQ(LevelOf(a, "fracture"), kUrgent);
  a = ProjectTriage().Assess({F("fall")}, S({{"weight_bearing", "unsure"}}));
  EXPECT_EQ(LevelOf(a, "fracture"), kUrgent);
}

TEST(TriageSemanticsTest, HypotheticalEscalatorDoesNotEscalate) {
  Assessment a = ProjectTriage().Assess(
      {F("hot"), F("swollen"),
       F("fever", Polarity::kPresent, Temporality::kHypothetical)},
      {});
  EXPECT_EQ(a.level, kUrgent);
  // Nor does it count as an answer: fever is still worth asking.
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "septic_arthritis");
}

TEST(TriageSemanticsTest, HistoricalFindingsRaiseOnlyListedRiskFactors) {
  const auto past = Temporality::kHistorical;
  Assessment a =
      ProjectTriage().Assess({F("calf_swollen", Polarity::kPresent, past)}, {});
  EXPECT_EQ(LevelOf(a, "dvt"), kNone);
  a = ProjectTriage().Assess(
      {F("calf_pain"), F("recent_surgery", Polarity::kPresent, past)}, {});
  EXPECT_EQ(LevelOf(a, "dvt"), kUrgent);
  a = ProjectTriage().Assess({F("hot"), F("swollen"),
                              F("joint_replacement", Polarity::kPresent, past)},
                             {});
  EXPECT_EQ(LevelOf(a, "septic_arthritis"), kEmergency);
  a = ProjectTriage().Assess({F("hot", Polarity::kPresent, past),
                              F("swollen", Polarity::kPresent, past)},
                             {});
  EXPECT_TRUE(a.flags.empty());
}

TEST(TriageSemanticsTest, SlotsStandForFindings) {
  Assessment a = ProjectTriage().Assess(
      {}, S({{"onset", "sudden"}, {"weight_bearing", "no"}}));
  EXPECT_EQ(LevelOf(a, "fracture"), kEmergency);
  a = ProjectTriage().Assess(
      {}, S({{"onset", "sudden"}, {"weight_bearing", "partial"}}));
  EXPECT_EQ(LevelOf(a, "fracture"), kNone);
  a = ProjectTriage().Assess({F("twist"), F("pop")},
                             S({{"swelling", "rapid"}}));
  EXPECT_EQ(LevelOf(a, "ligament_haemarthrosis"), kUrgent);
  a = ProjectTriage().Assess({F("hot")}, S({{"swelling", "mild"}}));
  EXPECT_EQ(LevelOf(a, "septic_arthritis"), kUrgent);
  // An explicit finding outweighs a milder slot.
  a = ProjectTriage().Assess({F("fall"), F("cant_weight_bear")},
                             S({{"weight_bearing", "yes"}}));
  EXPECT_EQ(LevelOf(a, "fracture"), kEmergency);
}

TEST(TriageSemanticsTest, SelfCareOnlyOnceScreeningIsComplete) {
  Assessment a = ProjectTriage().Assess({}, {});
  EXPECT_EQ(a.level, kNone);
  EXPECT_EQ(a.unscreened, ProjectTriage().screening().finding_ids);

  std::vector<Finding> all_absent;
  for (const auto& id : ProjectTriage().screening().finding_ids) {
    all_absent.push_back(F(id, Polarity::kAbsent));
  }
  a = ProjectTriage().Assess(all_absent, {});
  EXPECT_EQ(a.level, kSelfCare);
  EXPECT_TRUE(a.unscreened.empty());

  all_absent.back().polarity = Polarity::kUnsure;  // "not sure" is not a no
  a = ProjectTriage().Assess(all_absent, {});
  EXPECT_EQ(a.level, kNone);
  EXPECT_EQ(a.unscreened.size(), 1u);

  a = ProjectTriage().Assess({}, S({{"red_flags", "none"}}));
  EXPECT_EQ(a.level, kSelfCare);
  a = ProjectTriage().Assess({}, S({{"red_flags", "unsure"}}));
  EXPECT_EQ(a.level, kNone);
}

// A "not sure" to the whole screening list raises nothing and rules nothing
// out; the signs are then asked one at a time, where "not sure" counts.
TEST(TriageSemanticsTest, BlanketNotSureToScreeningIsAskedItemByItem) {
  std::vector<Finding> hedged;
  for (const auto& id : ProjectTriage().screening().finding_ids) {
    Finding f = F(id, Polarity::kUnsure);
    f.evidence = "not sure";
    hedged.push_back(f);
  }
  Assessment a = ProjectTriage().Assess(hedged, S({{"red_flags", "unsure"}}));
  EXPECT_TRUE(a.flags.empty());
  EXPECT_EQ(a.level, kNone);
  EXPECT_EQ(a.unscreened, ProjectTriage().screening().finding_ids);
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "screening");
  EXPECT_EQ(a.ask->id, "hot_or_red");
  EXPECT_THAT(a.ask->finding_ids, ElementsAre("hot", "red"));

  // "Not sure" to the single item counts as possibly present.
  Finding hot = F("hot", Polarity::kUnsure);
  hot.evidence = "maybe";
  Finding red = F("red", Polarity::kUnsure);
  red.evidence = "maybe";
  hedged.erase(hedged.begin(), hedged.begin() + 2);
  hedged.push_back(hot);
  hedged.push_back(red);
  a = ProjectTriage().Assess(hedged, S({{"red_flags", "unsure"}}));
  EXPECT_EQ(LevelOf(a, "septic_arthritis"), kUrgent);
}

TEST(TriageSemanticsTest, ScreeningNoDoesNotHideAPresentSign) {
  Assessment a =
      ProjectTriage().Assess({F("locked")}, S({{"red_flags", "none"}}));
  EXPECT_EQ(a.level, kUrgent);
}

// A sign said to be there is screened: it is not listed again, so a later
// "none of those" about the rest cannot be taken to rule it out.
TEST(TriageSemanticsTest, ASignSaidYesIsNotAskedAgain) {
  Assessment a = ProjectTriage().Assess({F("fever")}, {});
  EXPECT_THAT(a.unscreened, Not(Contains("fever")));
  EXPECT_THAT(a.unscreened, Not(Contains("rigors")));
  EXPECT_THAT(a.unscreened, Contains("calf_swollen"));
  ScreeningQuestion q = ProjectTriage().ScreeningFor(a.unscreened);
  EXPECT_THAT(q.text, Not(HasSubstr("fever")));
  EXPECT_THAT(q.finding_ids, Not(Contains("fever")));
}

// A checklist answer that only names a sign ("recent injury") rules the
// rest out for the screening, but a rule's deciding question still asks
// about one of them directly; a sign ruled out in words is not asked.
TEST(TriageSemanticsTest, ASignRuledOutOnlyByTheListIsStillAskedToDecide) {
  Assessment a =
      ProjectTriage().Assess({F("injury")}, S({{"red_flags", "none_other"}}));
  EXPECT_TRUE(a.unscreened.empty());
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "fracture");
  EXPECT_EQ(a.ask->id, "weight_bearing");

  a = ProjectTriage().Assess(
      {F("injury"), F("cant_weight_bear", Polarity::kAbsent)},
      S({{"red_flags", "none_other"}}));
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_NE(a.ask->id, "weight_bearing");
}

TEST(TriageSemanticsTest, SoonRulesGiveSoonEvenWithoutScreening) {
  Assessment a = ProjectTriage().Assess({F("not_improving")}, {});
  EXPECT_EQ(a.level, kSoon);
}

TEST(TriageSemanticsTest, FlagsAreMostSevereFirstWithEvidence) {
  Assessment a = ProjectTriage().Assess(
      {F("giving_way"), F("locked"), F("calf_swollen"), F("breathless")}, {});
  ASSERT_EQ(a.flags.size(), 5u);
  EXPECT_EQ(a.flags[0].rule_id, "dvt");  // file order among emergencies
  EXPECT_EQ(a.flags[0].level, kEmergency);
  EXPECT_EQ(a.flags[0].evidence, "<calf_swollen>; <breathless>");
  EXPECT_EQ(a.flags[1].rule_id, "chest_or_breathing");
  EXPECT_EQ(a.flags[2].rule_id, "locked_knee");
  EXPECT_EQ(a.flags[3].rule_id, "giving_way");
  EXPECT_EQ(a.flags[4].rule_id, "warning_sign");
  EXPECT_EQ(a.level, kEmergency);
  EXPECT_THAT(a.flags[0].source, HasSubstr("https://"));
}

TEST(TriageSemanticsTest, MessagesHaveNoPlaceholdersLeft) {
  for (const auto& rule : ProjectTriage().rules().rule()) {
    for (const auto& t : rule.trigger()) {
      EXPECT_THAT(t.action(), Not(HasSubstr("{"))) << rule.id();
      EXPECT_THAT(t.reason(), Not(HasSubstr("{"))) << rule.id();
    }
  }
}

TEST(TriageSemanticsTest, AsksTheMostRevealingMissingFact) {
  Assessment a = ProjectTriage().Assess(Present({"hot", "swollen"}), {});
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "septic_arthritis");
  EXPECT_EQ(a.ask->id, "systemic");
  EXPECT_THAT(a.ask->finding_ids, ElementsAre("fever", "rigors", "unwell"));
  EXPECT_EQ(a.ask->slot, "red_flags");
  EXPECT_LE(a.ask->text.size(), 200u);

  // Once fever is denied the next deciding fact is the risk factors.
  a = ProjectTriage().Assess(
      {F("hot"), F("swollen"), F("fever", Polarity::kAbsent)}, {});
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->id, "risk_factors");

  a = ProjectTriage().Assess({F("fall")}, {});
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "fracture");
  EXPECT_EQ(a.ask->slot, "weight_bearing");
}

TEST(TriageSemanticsTest, AnInfectedLookingReplacementAsksAboutFeelingUnwell) {
  // A leaking wound over a replaced knee is a same-day referral; a fever,
  // shivers or feeling unwell would make it an emergency, so that is asked.
  Assessment a = ProjectTriage().Assess(
      Present({"joint_replacement", "wound_leaking", "red"}), {});
  EXPECT_EQ(a.level, kUrgent);
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->id, "systemic");
  a = ProjectTriage().Assess(
      Present({"joint_replacement", "wound_leaking", "red", "unwell"}), {});
  EXPECT_EQ(a.level, kEmergency);
  // A replaced knee with nothing wrong asks nothing of the kind.
  a = ProjectTriage().Assess(Present({"joint_replacement"}), {});
  EXPECT_FALSE(a.ask.has_value() && a.ask->id == "systemic");
}

TEST(TriageSemanticsTest, DoesNotAskWhatIsKnownOrCannotMatter) {
  // Already an emergency: nothing can raise it.
  Assessment a =
      ProjectTriage().Assess(Present({"fall", "cant_weight_bear"}), {});
  EXPECT_FALSE(a.ask.has_value());
  // Weight bearing and age known: the Ottawa tenderness question is next.
  a = ProjectTriage().Assess(
      {F("twist"), F("cant_straight_leg_raise", Polarity::kAbsent)},
      S({{"weight_bearing", "yes"}, {"age", "30"}}));
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->id, "bony_tenderness");
  // Nothing partly matched: no question.
  a = ProjectTriage().Assess({F("clicking")}, {});
  EXPECT_FALSE(a.ask.has_value());
}

TEST(TriageSemanticsTest, ScreeningNamesOnlySignsNotRuledOut) {
  const ScreeningQuestion& full = ProjectTriage().screening();
  EXPECT_THAT(full.text, HasSubstr("hot or red"));
  EXPECT_THAT(full.text, HasSubstr("calf"));
  EXPECT_THAT(full.text, Not(HasSubstr("{signs}")));
  EXPECT_LE(full.quick_replies.size(), 5u);

  ScreeningQuestion some =
      ProjectTriage().ScreeningFor({"locked", "foot_numb"});
  EXPECT_THAT(some.text, HasSubstr("stuck"));
  EXPECT_THAT(some.text, HasSubstr(" or a foot"));
  EXPECT_THAT(some.text, Not(HasSubstr("calf")));
  EXPECT_THAT(some.finding_ids,
              ElementsAre("locked", "foot_cold", "foot_pale", "foot_numb"));
}

}  // namespace
}  // namespace kneechat

// Each rule of corpus/triage/red_flags.textproto: fires on its findings, not
// on their negation, not on a hypothetical, and does for another person.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/triage/triage.h"
#include "services/triage/triage_test_util.h"

namespace kneechat {
namespace {

using testing_util::F;
using testing_util::LevelOf;
using testing_util::ProjectTriage;
using testing_util::S;
using testing_util::Slots;

struct RuleCase {
  std::string name;
  std::string rule_id;
  std::vector<std::string> present;
  Slots slots;
  v1::TriageLevel level;
  // Negating this finding (explicitly absent) must stop the rule firing at
  // `level`; `negated_level` is what is left.
  std::string deciding;
  v1::TriageLevel negated_level = v1::TRIAGE_LEVEL_UNSPECIFIED;
};

std::vector<Finding> With(const std::vector<std::string>& ids, Polarity p,
                          Temporality t, Experiencer e) {
  std::vector<Finding> out;
  for (const auto& id : ids) out.push_back(F(id, p, t, e));
  return out;
}

class RuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleTest, Fires) {
  const RuleCase& c = GetParam();
  Assessment a =
      ProjectTriage().Assess(With(c.present, Polarity::kPresent,
                                  Temporality::kCurrent, Experiencer::kSelf),
                             c.slots);
  EXPECT_EQ(LevelOf(a, c.rule_id), c.level);
  EXPECT_GE(a.level, c.level);
  ASSERT_FALSE(a.flags.empty());
  EXPECT_FALSE(a.flags.front().action.empty());
  EXPECT_FALSE(a.flags.front().reason.empty());
  EXPECT_FALSE(a.flags.front().source.empty());
}

TEST_P(RuleTest, DoesNotFireOnItsNegation) {
  const RuleCase& c = GetParam();
  std::vector<Finding> findings;
  for (const auto& id : c.present) {
    findings.push_back(
        F(id, id == c.deciding ? Polarity::kAbsent : Polarity::kPresent));
  }
  Assessment a = ProjectTriage().Assess(findings, c.slots);
  EXPECT_EQ(LevelOf(a, c.rule_id), c.negated_level);
}

TEST_P(RuleTest, DoesNotFireOnAHypothetical) {
  const RuleCase& c = GetParam();
  Assessment a = ProjectTriage().Assess(
      With(c.present, Polarity::kPresent, Temporality::kHypothetical,
           Experiencer::kSelf),
      {});
  EXPECT_TRUE(a.flags.empty()) << a.flags.front().rule_id;
  EXPECT_EQ(a.level, v1::TRIAGE_LEVEL_UNSPECIFIED);
}

TEST_P(RuleTest, FiresForAnotherPerson) {
  const RuleCase& c = GetParam();
  Assessment a =
      ProjectTriage().Assess(With(c.present, Polarity::kPresent,
                                  Temporality::kCurrent, Experiencer::kOther),
                             c.slots);
  EXPECT_EQ(LevelOf(a, c.rule_id), c.level);
}

using L = v1::TriageLevel;
constexpr L kSoon = v1::TRIAGE_LEVEL_SOON;
constexpr L kUrgent = v1::TRIAGE_LEVEL_URGENT;
constexpr L kEmergency = v1::TRIAGE_LEVEL_EMERGENCY;
constexpr L kNone = v1::TRIAGE_LEVEL_UNSPECIFIED;

INSTANTIATE_TEST_SUITE_P(
    Rules, RuleTest,
    ::testing::Values(
        RuleCase{"SepticHotSwollen",
                 "septic_arthritis",
                 {"hot", "swollen"},
                 {},
                 kUrgent,
                 "hot"},
        RuleCase{"SepticRedHot",
                 "septic_arthritis",
                 {"hot", "red"},
                 {},
                 kUrgent,
                 "red"},
        // Fever absent does not clear it: only the escalation goes.
        RuleCase{"SepticWithFever",
                 "septic_arthritis",
                 {"hot", "swollen", "fever"},
                 {},
                 kEmergency,
                 "fever",
                 kUrgent},
        RuleCase{"SepticWithRigors",
                 "septic_arthritis",
                 {"red", "swollen", "rigors"},
                 {},
                 kEmergency,
                 "rigors",
                 kUrgent},
        RuleCase{"SepticKneeReplacement",
                 "septic_arthritis",
                 {"hot", "swollen", "joint_replacement"},
                 {},
                 kEmergency,
                 "joint_replacement",
                 kUrgent},
        RuleCase{"SepticImmunosuppressed",
                 "septic_arthritis",
                 {"hot", "swollen", "immunosuppressed"},
                 {},
                 kEmergency,
                 "immunosuppressed",
                 kUrgent},
        RuleCase{"SepticChild",
                 "septic_arthritis",
                 {"hot", "swollen"},
                 S({{"age", "7"}}),
                 kEmergency,
                 "hot"},
        RuleCase{"SepticHotOnImmunosuppressants",
                 "septic_arthritis",
                 {"hot", "immunosuppressed"},
                 {},
                 kEmergency,
                 "hot"},
        RuleCase{"SepticSwollenFever",
                 "septic_arthritis",
                 {"swollen", "fever"},
                 {},
                 kUrgent,
                 "swollen"},
        RuleCase{"FractureCantWeightBear",
                 "fracture",
                 {"fall", "cant_weight_bear"},
                 {},
                 kEmergency,
                 "cant_weight_bear"},
        RuleCase{"FractureDeformity",
                 "fracture",
                 {"injury", "deformity"},
                 {},
                 kEmergency,
                 "deformity"},
        // "When did it happen?" asked, and the person is not sure.
        RuleCase{"FractureAge55",
                 "fracture",
                 {"fall"},
                 S({{"age", "67"}, {"injury_days", "unsure"}}),
                 kUrgent,
                 "fall"},
        RuleCase{"FractureAge55InjuredThisWeek",
                 "fracture",
                 {"fall"},
                 S({{"age", "67"}, {"injury_days", "3"}}),
                 kUrgent,
                 "fall"},
        RuleCase{"FracturePatellaTender",
                 "fracture",
                 {"fall", "patella_tender"},
                 {},
                 kUrgent,
                 "patella_tender"},
        RuleCase{"FractureFibularHead",
                 "fracture",
                 {"twist", "fibular_head_tender"},
                 {},
                 kUrgent,
                 "fibular_head_tender"},
        RuleCase{"FractureCantBend",
                 "fracture",
                 {"injury", "cant_bend"},
                 {},
                 kUrgent,
                 "cant_bend"},
        RuleCase{"FractureCrackWalking",
                 "fracture",
                 {"heard_crack", "cant_weight_bear"},
                 {},
                 kEmergency,
                 "cant_weight_bear",
                 kUrgent},
        RuleCase{"FractureLimpingAndSwollen",
                 "fracture",
                 {"fall", "swollen"},
                 S({{"weight_bearing", "partial"}}),
                 kUrgent,
                 "swollen"},
        RuleCase{"ExtensorAfterFall",
                 "extensor_mechanism",
                 {"fall", "cant_straight_leg_raise"},
                 {},
                 kEmergency,
                 "cant_straight_leg_raise"},
        RuleCase{"ExtensorGap",
                 "extensor_mechanism",
                 {"injury", "gap_above_kneecap"},
                 {},
                 kEmergency,
                 "gap_above_kneecap"},
        RuleCase{"Dislocation",
                 "neurovascular",
                 {"dislocation"},
                 {},
                 kEmergency,
                 "dislocation"},
        RuleCase{"NumbFootAfterInjury",
                 "neurovascular",
                 {"twist", "foot_numb"},
                 {},
                 kEmergency,
                 "foot_numb"},
        RuleCase{"FootDropAfterTackle",
                 "neurovascular",
                 {"injury", "foot_drop"},
                 {},
                 kEmergency,
                 "injury",
                 kUrgent},
        RuleCase{"CompartmentSyndrome",
                 "neurovascular",
                 {"calf_hard", "pain_out_of_proportion"},
                 {},
                 kEmergency,
                 "pain_out_of_proportion",
                 kUrgent},
        RuleCase{"TightCast",
                 "neurovascular",
                 {"tight_cast", "foot_numb"},
                 {},
                 kEmergency,
                 "foot_numb",
                 kUrgent},
        RuleCase{"NumbFootInPlaster",
                 "neurovascular",
                 {"immobilised", "foot_numb"},
                 {},
                 kEmergency,
                 "foot_numb"},
        RuleCase{"NumbFootAlone",
                 "neurovascular",
                 {"foot_numb"},
                 {},
                 kSoon,
                 "foot_numb"},
        RuleCase{"PaleFoot",
                 "neurovascular",
                 {"foot_pale"},
                 {},
                 kEmergency,
                 "foot_pale"},
        RuleCase{"DvtSwollenCalf",
                 "dvt",
                 {"calf_swollen"},
                 {},
                 kUrgent,
                 "calf_swollen"},
        RuleCase{"DvtWarmPainfulCalf",
                 "dvt",
                 {"calf_pain", "calf_warm"},
                 {},
                 kUrgent,
                 "calf_warm"},
        RuleCase{"DvtAfterFlight",
                 "dvt",
                 {"calf_pain", "long_travel"},
                 {},
                 kUrgent,
                 "long_travel"},
        RuleCase{"DvtRedCalfBelowSwollenKneePit",
                 "dvt",
                 {"calf_red", "swollen"},
                 S({{"location", "back"}}),
                 kUrgent,
                 "calf_red"},
        RuleCase{"DvtBreathless",
                 "dvt",
                 {"calf_swollen", "breathless"},
                 {},
                 kEmergency,
                 "breathless",
                 kUrgent},
        RuleCase{"DvtCoughingBlood",
                 "dvt",
                 {"calf_pain", "recent_surgery", "coughing_blood"},
                 {},
                 kEmergency,
                 "coughing_blood",
                 kUrgent},
        RuleCase{
            "LockedKnee", "locked_knee", {"locked"}, {}, kUrgent, "locked"},
        RuleCase{"HaemarthrosisPopRapid",
                 "ligament_haemarthrosis",
                 {"twist", "pop", "rapid_swelling"},
                 {},
                 kUrgent,
                 "rapid_swelling"},
        RuleCase{"HaemarthrosisPopSwollen",
                 "ligament_haemarthrosis",
                 {"twist", "pop", "swollen"},
                 {},
                 kUrgent,
                 "pop"},
        RuleCase{"HaemarthrosisCantStand",
                 "ligament_haemarthrosis",
                 {"twist", "pop", "rapid_swelling", "cant_weight_bear"},
                 {},
                 kEmergency,
                 "cant_weight_bear",
                 kUrgent},
        RuleCase{"TumourNightPain",
                 "possible_bone_tumour",
                 {"night_pain"},
                 {},
                 kSoon,
                 "night_pain"},
        RuleCase{"TumourLump",
                 "possible_bone_tumour",
                 {"bony_lump"},
                 {},
                 kSoon,
                 "bony_lump"},
        RuleCase{"TumourChild",
                 "possible_bone_tumour",
                 {"night_pain", "bony_lump"},
                 S({{"age", "15"}}),
                 kSoon,
                 "night_pain",
                 kSoon},
        RuleCase{"TumourCancerHistory",
                 "possible_bone_tumour",
                 {"cancer_history", "painkillers_no_help"},
                 {},
                 kSoon,
                 "painkillers_no_help"},
        RuleCase{"NotImproving",
                 "not_settling",
                 {"not_improving"},
                 {},
                 kSoon,
                 "not_improving"},
        RuleCase{
            "Worsening", "not_settling", {"worsening"}, {}, kSoon, "worsening"},
        RuleCase{"StoppedActivities",
                 "not_settling",
                 {"stopped_activities"},
                 {},
                 kSoon,
                 "stopped_activities"},
        RuleCase{
            "GivingWay", "giving_way", {"giving_way"}, {}, kSoon, "giving_way"},
        RuleCase{"ChestPain",
                 "chest_or_breathing",
                 {"chest_pain"},
                 {},
                 kEmergency,
                 "chest_pain"},
        RuleCase{"Breathless",
                 "chest_or_breathing",
                 {"breathless"},
                 {},
                 kEmergency,
                 "breathless"},
        RuleCase{"Stroke",
                 "stroke_signs",
                 {"stroke_signs"},
                 {},
                 kEmergency,
                 "stroke_signs"},
        RuleCase{
            "SelfHarm", "self_harm", {"self_harm"}, {}, kUrgent, "self_harm"},
        RuleCase{"SelfHarmDanger",
                 "self_harm",
                 {"self_harm_danger"},
                 {},
                 kEmergency,
                 "self_harm_danger"},
        RuleCase{"SelfHarmWithMeans",
                 "self_harm",
                 {"self_harm", "crisis_means"},
                 {},
                 kEmergency,
                 "self_harm"},
        RuleCase{"HeadKnockOnBloodThinner",
                 "head_injury_blood_thinner",
                 {"head_injury", "anticoagulant"},
                 {},
                 kEmergency,
                 "anticoagulant"},
        // Not bearing weight without an injury is seen the same day.
        RuleCase{"CannotBearWeight",
                 "cannot_bear_weight",
                 {"cant_weight_bear"},
                 {},
                 kUrgent,
                 "cant_weight_bear"},
        // Walking normally, a child with a fever and a painful knee is
        // still seen the same day.
        RuleCase{"ChildFeverNotWalking",
                 "child_limp_fever",
                 {"fever", "cant_weight_bear"},
                 S({{"age", "4"}}),
                 kEmergency,
                 "cant_weight_bear",
                 kUrgent},
        RuleCase{"ChildFever",
                 "child_limp_fever",
                 {"fever"},
                 S({{"age", "7"}}),
                 kUrgent,
                 "fever"},
        RuleCase{"WarningSignSaidYes",
                 "warning_sign",
                 {"hot"},
                 S({{"red_flags", "none"}}),
                 kSoon,
                 "hot"},
        RuleCase{"KneecapOutAndBack",
                 "kneecap_dislocation",
                 {"patella_dislocation"},
                 {},
                 kUrgent,
                 "patella_dislocation"},
        RuleCase{"Bleeding",
                 "severe_bleeding",
                 {"severe_bleeding"},
                 {},
                 kEmergency,
                 "severe_bleeding"},
        RuleCase{"Confusion",
                 "systemically_unwell",
                 {"confusion"},
                 {},
                 kEmergency,
                 "confusion"}),
    [](const auto& info) { return info.param.name; });

// The TumourChild negation keeps "bony_lump", so the flag stays: check the
// child message is the fast one.
TEST(RuleDetailTest, ChildBonePainAsksForAnXRayWithinTwoDays) {
  Assessment a = ProjectTriage().Assess({F("night_pain"), F("bony_lump")},
                                        S({{"age", "15"}}));
  ASSERT_FALSE(a.flags.empty());
  EXPECT_NE(a.flags.front().action.find("two days"), std::string::npos);
}

TEST(RuleDetailTest, AgeAloneWithoutInjuryIsNotAFracture) {
  Assessment a = ProjectTriage().Assess({}, S({{"age", "70"}}));
  EXPECT_EQ(LevelOf(a, "fracture"), kNone);
}

// The Ottawa rule is for injuries of the last seven days: age alone (and a
// swollen knee walked on with difficulty) does not send on a knee hurt weeks
// ago, and the age is not asked; a bony sign still does.
TEST(RuleDetailTest, AgeAloneDoesNotSendOnAnInjuryWeeksOld) {
  const Assessment old_fall = ProjectTriage().Assess(
      {F("fall")}, S({{"age", "70"}, {"injury_days", "42"}}));
  EXPECT_EQ(LevelOf(old_fall, "fracture"), kNone);
  const Assessment limping = ProjectTriage().Assess(
      {F("fall"), F("swollen")},
      S({{"injury_days", "21"}, {"weight_bearing", "partial"}}));
  EXPECT_EQ(LevelOf(limping, "fracture"), kNone);
  const Assessment unknown_age =
      ProjectTriage().Assess({F("fall")}, S({{"injury_days", "42"}}));
  ASSERT_TRUE(unknown_age.ask.has_value());
  EXPECT_NE(unknown_age.ask->id, "age");
  const Assessment tender =
      ProjectTriage().Assess({F("fall"), F("patella_tender")},
                             S({{"age", "70"}, {"injury_days", "42"}}));
  EXPECT_EQ(LevelOf(tender, "fracture"), kUrgent);
  const Assessment told_vaguely = ProjectTriage().Assess(
      {F("fall")}, S({{"age", "70"}, {"injury_days", "unknown"}}));
  EXPECT_EQ(LevelOf(told_vaguely, "fracture"), kUrgent);
  // A long complaint is not the injury's time ("bad for years, I fell"):
  // kneechat asks when it happened.
  const Assessment long_complaint = ProjectTriage().Assess(
      {F("fall")}, S({{"age", "70"}, {"duration", "3650"}}));
  EXPECT_EQ(LevelOf(long_complaint, "fracture"), kNone);
  EXPECT_TRUE(std::any_of(
      long_complaint.open.begin(), long_complaint.open.end(),
      [](const DecidingQuestion& q) { return q.id == "injury_time"; }));
}

// Age decides only for an injury of the last week, so its time is asked
// before age alone sends anyone for an X-ray: the question is asked as the
// duration and fills injury_days. "Not sure" (or no answer twice, which the
// dialogue records as "unsure"), a vague time, or a knee that has hurt only
// a few days count as recent; weeks ago does not.
TEST(RuleDetailTest, AnOlderPersonsInjuryIsDatedBeforeAgeDecides) {
  // (Questions that could reveal an emergency come first.)
  const Assessment untold =
      ProjectTriage().Assess({F("fall")}, S({{"age", "70"}}));
  EXPECT_EQ(LevelOf(untold, "fracture"), kNone);
  auto when = std::find_if(
      untold.open.begin(), untold.open.end(),
      [](const DecidingQuestion& q) { return q.id == "injury_time"; });
  ASSERT_NE(when, untold.open.end());
  EXPECT_EQ(when->slot, "duration");
  EXPECT_EQ(when->fills, "injury_days");
  EXPECT_EQ(when->reveals, kUrgent);
  for (const auto& slots : {S({{"age", "70"}, {"injury_days", "unsure"}}),
                            S({{"age", "70"}, {"injury_days", "2"}}),
                            S({{"age", "70"}, {"duration", "unsure"}}),
                            S({{"age", "70"}, {"duration", "3"}})}) {
    EXPECT_EQ(LevelOf(ProjectTriage().Assess({F("fall")}, slots), "fracture"),
              kUrgent);
  }
  const Assessment weeks_ago = ProjectTriage().Assess(
      {F("fall")}, S({{"age", "70"}, {"injury_days", "30"}}));
  EXPECT_EQ(LevelOf(weeks_ago, "fracture"), kNone);
  for (const DecidingQuestion& q : weeks_ago.open) {
    EXPECT_NE(q.id, "injury_time");
  }
  // Under 55 the time is not asked (age does not decide).
  const Assessment younger =
      ProjectTriage().Assess({F("fall")}, S({{"age", "40"}}));
  for (const DecidingQuestion& q : younger.open) {
    EXPECT_NE(q.id, "injury_time");
  }
  // A sign of its own still sends at once, whenever the injury was.
  const Assessment tender = ProjectTriage().Assess(
      {F("fall"), F("patella_tender")}, S({{"age", "70"}}));
  EXPECT_EQ(LevelOf(tender, "fracture"), kUrgent);
}

// An X-ray or examination since the injury found no break: the same-day
// X-ray is done, and the age and bony questions are not asked. A leg that
// cannot take weight, or a misshapen knee, is still an emergency.
TEST(RuleDetailTest, ABreakRuledOutEndsTheXRayButNotTheEmergency) {
  const Assessment cleared = ProjectTriage().Assess(
      {F("fall"), F("heard_crack"), F("fracture_ruled_out")},
      S({{"age", "70"}, {"injury_days", "2"}}));
  EXPECT_EQ(LevelOf(cleared, "fracture"), kNone);
  const Assessment not_checked = ProjectTriage().Assess(
      {F("fall"), F("heard_crack")}, S({{"age", "70"}, {"injury_days", "2"}}));
  EXPECT_EQ(LevelOf(not_checked, "fracture"), kUrgent);
  const Assessment age_unknown = ProjectTriage().Assess(
      {F("fall"), F("fracture_ruled_out")}, S({{"weight_bearing", "yes"}}));
  if (age_unknown.ask.has_value()) {
    EXPECT_NE(age_unknown.ask->id, "age");
    EXPECT_NE(age_unknown.ask->id, "bony_tenderness");
    EXPECT_NE(age_unknown.ask->id, "bend");
  }
  const Assessment cant_stand = ProjectTriage().Assess(
      {F("fall"), F("cant_weight_bear"), F("fracture_ruled_out")}, {});
  EXPECT_EQ(LevelOf(cant_stand, "fracture"), kEmergency);
  const Assessment misshapen = ProjectTriage().Assess(
      {F("fall"), F("deformity"), F("fracture_ruled_out")}, {});
  EXPECT_EQ(LevelOf(misshapen, "fracture"), kEmergency);
}

// A break an X-ray found is seen today unless a fracture team already has
// it (a cast, brace or follow-up), or it is weeks old; the bone itself
// tender after an injury is an X-ray today (ACR).
TEST(RuleDetailTest, ABreakFoundIsSeenUnlessInCare) {
  EXPECT_EQ(
      LevelOf(ProjectTriage().Assess({F("fracture_found")}, {}), "fracture"),
      kUrgent);
  EXPECT_EQ(LevelOf(ProjectTriage().Assess(
                        {F("fracture_found"), F("fracture_care")}, {}),
                    "fracture"),
            kNone);
  EXPECT_EQ(LevelOf(ProjectTriage().Assess({F("fracture_found")},
                                           S({{"injury_days", "56"}})),
                    "fracture"),
            kNone);
  EXPECT_EQ(LevelOf(ProjectTriage().Assess({F("fall"), F("bone_tender")},
                                           S({{"injury_days", "2"}})),
                    "fracture"),
            kUrgent);
  EXPECT_EQ(LevelOf(ProjectTriage().Assess(
                        {F("fall"), F("bone_tender"), F("fracture_ruled_out")},
                        S({{"injury_days", "2"}})),
                    "fracture"),
            kNone);
}

TEST(RuleDetailTest, FeverWithoutAHotSwollenKneeIsNotSeptic) {
  Assessment a = ProjectTriage().Assess(
      {F("fever"), F("unwell"), F("swollen", Polarity::kAbsent),
       F("red", Polarity::kAbsent)},
      {});
  EXPECT_TRUE(a.flags.empty());
}

TEST(RuleDetailTest, CalfPainAloneIsNotAClot) {
  Assessment a = ProjectTriage().Assess({F("calf_pain")}, {});
  EXPECT_EQ(LevelOf(a, "dvt"), kNone);
  ASSERT_TRUE(a.ask.has_value());
  EXPECT_EQ(a.ask->rule_id, "dvt");
}

TEST(RuleDetailTest, CancerHistoryAloneRaisesNothing) {
  Assessment a = ProjectTriage().Assess(
      {F("cancer_history", Polarity::kPresent, Temporality::kHistorical)}, {});
  EXPECT_TRUE(a.flags.empty());
}

TEST(RuleDetailTest, SelfHarmMessageUsesTheCrisisLine) {
  auto config = ParseDeploymentConfig(
      R"pb(crisis_line { name: "Helpline" number: "0800 123 456" })pb");
  ASSERT_TRUE(config.ok());
  auto triage =
      Triage::Load(std::string(KNEECHAT_SOURCE_DIR) + "/corpus", *config);
  ASSERT_TRUE(triage.ok()) << triage.status();
  Assessment a = (*triage)->Assess({F("self_harm")}, {});
  ASSERT_FALSE(a.flags.empty());
  EXPECT_EQ(a.flags.front().rule_id, "self_harm");
  EXPECT_NE(a.flags.front().action.find("Helpline on 0800 123 456"),
            std::string::npos);
}

}  // namespace
// "Is the calf on that side swollen, warm or red?" is a question about
// swelling (PRODUCT.md's slot) and is asked as one while the person has
// said nothing of swelling; once they have, it is a question about the calf
// and is asked as the red_flags check. Either way it is answered only in
// the calf's findings: a knee's swelling does not skip it.
TEST(RuleDetailTest, TheCalfIsAskedAsTheSwellingWhileThatIsOpen) {
  auto calf = [](const Assessment& a) -> const DecidingQuestion* {
    for (const DecidingQuestion& q : a.open) {
      if (q.rule_id == "dvt" && q.id == "calf") return &q;
    }
    return nullptr;
  };
  const Assessment untold =
      ProjectTriage().Assess({F("long_travel")}, S({{"location", "back"}}));
  ASSERT_NE(calf(untold), nullptr);
  EXPECT_EQ(calf(untold)->slot, "swelling");
  EXPECT_TRUE(calf(untold)->findings_only);
  EXPECT_TRUE(calf(untold)->fills.empty());
  const Assessment told = ProjectTriage().Assess(
      {F("long_travel"), F("swollen")},
      S({{"location", "back"}, {"swelling", "yes"}}));
  ASSERT_NE(calf(told), nullptr);
  EXPECT_EQ(calf(told)->slot, "red_flags");
}

}  // namespace kneechat

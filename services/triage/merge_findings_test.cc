#include "services/triage/merge_findings.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

Finding F(const std::string& id, Polarity p = Polarity::kPresent,
          Temporality t = Temporality::kCurrent) {
  Finding f;
  f.id = id;
  f.polarity = p;
  f.temporality = t;
  return f;
}

Understanding Message(std::vector<Finding> findings,
                      std::set<std::string> intents = {}) {
  Understanding u;
  u.findings = std::move(findings);
  u.intents = std::move(intents);
  return u;
}

Polarity PolarityOf(const ConversationFacts& facts, const std::string& id) {
  for (const auto& f : facts.findings) {
    if (f.id == id) return f.polarity;
  }
  ADD_FAILURE() << "no finding " << id;
  return Polarity::kAbsent;
}

TEST(MergeFindingsTest, AbsentDoesNotOverridePresentWithoutCorrection) {
  ConversationFacts facts;
  MergeUnderstanding(Message({F("hot")}), &facts);
  MergeUnderstanding(Message({F("hot", Polarity::kAbsent)}), &facts);
  EXPECT_EQ(PolarityOf(facts, "hot"), Polarity::kPresent);
  MergeUnderstanding(Message({F("hot", Polarity::kAbsent)}, {"correction"}),
                     &facts);
  EXPECT_EQ(PolarityOf(facts, "hot"), Polarity::kAbsent);
}

TEST(MergeFindingsTest, UnsureNeverOverridesPresentButLatestOtherwiseWins) {
  ConversationFacts facts;
  MergeUnderstanding(Message({F("fever"), F("hot", Polarity::kAbsent)}),
                     &facts);
  MergeUnderstanding(
      Message({F("fever", Polarity::kUnsure), F("hot", Polarity::kUnsure)},
              {"correction"}),
      &facts);
  EXPECT_EQ(PolarityOf(facts, "fever"), Polarity::kPresent);
  EXPECT_EQ(PolarityOf(facts, "hot"), Polarity::kUnsure);
  MergeUnderstanding(Message({F("hot")}), &facts);
  EXPECT_EQ(PolarityOf(facts, "hot"), Polarity::kPresent);
  EXPECT_EQ(facts.findings.size(), 2u);
}

TEST(MergeFindingsTest, HypotheticalAndHistoricalDoNotReplaceCurrent) {
  ConversationFacts facts;
  MergeUnderstanding(Message({F("swollen", Polarity::kAbsent)}), &facts);
  MergeUnderstanding(
      Message({F("swollen", Polarity::kPresent, Temporality::kHypothetical)}),
      &facts);
  EXPECT_EQ(PolarityOf(facts, "swollen"), Polarity::kAbsent);
  MergeUnderstanding(Message({F("calf_swollen", Polarity::kPresent,
                                Temporality::kHypothetical)}),
                     &facts);
  MergeUnderstanding(Message({F("calf_swollen", Polarity::kAbsent)}), &facts);
  EXPECT_EQ(PolarityOf(facts, "calf_swollen"), Polarity::kAbsent);
}

TEST(MergeFindingsTest, SlotsTakeLatestExceptUnsure) {
  ConversationFacts facts;
  Understanding u;
  u.slots["weight_bearing"] = {"no", "cant walk"};
  MergeUnderstanding(u, &facts);
  u.slots["weight_bearing"] = {"unsure", "dunno"};
  MergeUnderstanding(u, &facts);
  EXPECT_EQ(facts.slots["weight_bearing"].value, "no");
  u.slots["weight_bearing"] = {"partial", "hobbling"};
  MergeUnderstanding(u, &facts);
  EXPECT_EQ(facts.slots["weight_bearing"].value, "partial");
}

}  // namespace
}  // namespace kneechat

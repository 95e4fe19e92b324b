#include "services/retrieval/query_analyzer.h"

#include <set>
#include <string>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/text/text_normalize.h"
#include "services/common/paths.h"

namespace kneechat {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

class QueryAnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<QueryAnalyzer> analyzer =
        QueryAnalyzer::Load(DefaultDataPaths().corpus_dir);
    ASSERT_TRUE(analyzer.ok()) << analyzer.status();
    analyzer_ = new QueryAnalyzer(std::move(*analyzer));
  }
  static void TearDownTestSuite() { delete analyzer_; }

  std::vector<QueryUnit> Analyze(const std::string& query) {
    return analyzer_->Analyze(query, stem_);
  }

  // A phrase as the analyzer stores it: stemmed words joined by spaces.
  std::string S(const std::string& phrase) {
    std::vector<std::string> stems;
    for (const std::string& word : SplitWords(phrase))
      stems.push_back(stem_(word));
    return absl::StrJoin(stems, " ");
  }

  // Everything one query (expected to be a single unit) expands to.
  std::set<std::string> Expansions(const std::string& query) {
    const std::vector<QueryUnit> units = Analyze(query);
    EXPECT_EQ(units.size(), 1u) << query;
    std::set<std::string> phrases;
    if (units.empty()) return phrases;
    for (const auto& alternative : units[0].alternatives) {
      phrases.insert(absl::StrJoin(alternative, " "));
    }
    return phrases;
  }

  static QueryAnalyzer* analyzer_;
  Xapian::Stem stem_{"en"};
};

QueryAnalyzer* QueryAnalyzerTest::analyzer_ = nullptr;

TEST_F(QueryAnalyzerTest, ExpandsLaySynonymsBothWays) {
  EXPECT_THAT(Expansions("runner's knee"), Contains(S("patellofemoral pain")));
  EXPECT_THAT(Expansions("Runners knee"), Contains(S("pfps")));
  EXPECT_THAT(Expansions("patellofemoral pain"), Contains(S("runner's knee")));
  EXPECT_THAT(Expansions("jumper’s knee"), Contains(S("patellar tendinitis")));
  EXPECT_THAT(Expansions("patellar tendinopathy"),
              Contains(S("jumper's knee")));
  EXPECT_THAT(Expansions("kneecap"), Contains(S("patella")));
  EXPECT_THAT(Expansions("patella"), Contains(S("kneecap")));
  EXPECT_THAT(Expansions("knee pit"), Contains(S("back of the knee")));
  EXPECT_THAT(Expansions("back of my knee"), Contains(S("knee pit")));
  EXPECT_THAT(Expansions("IT band"), Contains(S("iliotibial")));
  EXPECT_THAT(Expansions("IT band"), Contains(S("outside of the knee")));
  EXPECT_THAT(Expansions("IT band"), Contains(S("running knee")));
  EXPECT_THAT(Expansions("wear and tear"), Contains(S("osteoarthritis")));
  EXPECT_THAT(Expansions("arthritis"), Contains(S("wear and tear")));
  EXPECT_THAT(Expansions("trainers"), Contains(S("running shoes")));
  EXPECT_THAT(Expansions("insoles"), Contains(S("inserts")));
  EXPECT_THAT(Expansions("insoles"), Contains(S("orthotics")));
  EXPECT_THAT(Expansions("orthotic"), Contains(S("insoles")));
  EXPECT_THAT(Expansions("brace"), Contains(S("support")));
  EXPECT_THAT(Expansions("physio"), Contains(S("physiotherapy")));
  EXPECT_THAT(Expansions("physio"), Contains(S("physical therapy")));
  EXPECT_THAT(Expansions("sore"), Contains(S("pain")));
  EXPECT_THAT(Expansions("aching"), Contains(S("pain")));
  EXPECT_THAT(Expansions("swollen"), Contains(S("swelling")));
  EXPECT_THAT(Expansions("squats"), Contains(S("knee bends")));
}

TEST_F(QueryAnalyzerTest, TypedWordsComeFirst) {
  const std::vector<QueryUnit> units = Analyze("my trainers");
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(absl::StrJoin(units[0].alternatives[0], " "), S("trainers"));
  EXPECT_THAT(units[0].typed, ::testing::ElementsAre("trainers"));
  EXPECT_THAT(units[0].concept_ids, ::testing::ElementsAre("running_shoes"));
}

TEST_F(QueryAnalyzerTest, SearchOnlyPhrasesDoNotCaptureTypedWords) {
  // "running knee" is how one article names the IT band; typed, it is
  // running plus knee.
  const std::vector<QueryUnit> units = Analyze("running knee pain");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].typed, std::vector<std::string>{"running"});
  EXPECT_THAT(units[0].concept_ids, IsEmpty());
}

TEST_F(QueryAnalyzerTest, DropsStopwordsAndMarksGenericUnits) {
  EXPECT_THAT(Analyze("what should I do about it?"), IsEmpty());
  std::vector<QueryUnit> units = Analyze("my knee hurts");
  ASSERT_EQ(units.size(), 2u);
  EXPECT_TRUE(units[0].generic);
  EXPECT_TRUE(units[1].generic);
  units = Analyze("sore knee brace");
  ASSERT_EQ(units.size(), 2u);
  EXPECT_TRUE(units[0].generic);   // sore
  EXPECT_FALSE(units[1].generic);  // knee brace
  EXPECT_THAT(units[1].concept_ids, ::testing::ElementsAre("brace"));
}

TEST_F(QueryAnalyzerTest, MergesRepeats) {
  const std::vector<QueryUnit> units = Analyze("sore sore knee that aches");
  ASSERT_EQ(units.size(), 2u);  // the pain concept once, knee once
}

}  // namespace
}  // namespace kneechat

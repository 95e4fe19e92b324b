#include "services/retrieval/question_terms.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

QueryAnalyzer Analyzer() {
  return QueryAnalyzer(*Lexicon::FromLines({"warm_up\twarm up\twarming up"}),
                       {"can", "i", "my", "help"}, {"knee", "pain"});
}

TEST(QuestionTermsTest, WordStemsKeepOrderAndStemAsTheIndexDoes) {
  EXPECT_EQ(WordStems("Runner’s knees, squatting!"),
            (std::vector<std::string>{"runner", "knee", "squat"}));
}

TEST(QuestionTermsTest, ContentStemsDropStopWordsAndStem) {
  auto stems =
      ContentStems("Can shoe inserts help my runner's knee?", Analyzer());
  EXPECT_TRUE(stems.count("shoe"));
  EXPECT_TRUE(stems.count("insert"));
  EXPECT_TRUE(stems.count("runner"));
  EXPECT_FALSE(stems.count("can"));
  EXPECT_FALSE(stems.count("my"));
}

TEST(QuestionTermsTest, CountStemsCountsEveryOccurrence) {
  EXPECT_EQ(CountStems(WordStems("run, running and a runner"), {"run"}), 2);
}

}  // namespace
}  // namespace kneechat

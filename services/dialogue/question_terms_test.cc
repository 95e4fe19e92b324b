#include "services/dialogue/question_terms.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

class QuestionTermsTest : public ::testing::Test {
 protected:
  QuestionTermsTest()
      : analyzer_(
            *Lexicon::FromLines({"painkillers\tibuprofen\tanti inflammatory",
                                 "warm_up\twarm up\twarming up"}),
            {"can", "i", "for", "it", "should", "before", "more", "my"},
            {"knee", "pain"}),
        vocabulary_(Passages({"Rest, ice and anti-inflammatory drugs help.",
                              "Always warm up before running.",
                              "Running on grass is kinder to your knees.",
                              "Running hills builds strength.",
                              "Knee pain after running is common."})) {}

  static std::vector<PassageHit> Passages(
      const std::vector<std::string>& texts) {
    std::vector<PassageHit> out;
    for (const auto& t : texts) {
      PassageHit p;
      p.text = t;
      out.push_back(p);
    }
    return out;
  }

  const QuestionTerm* Find(const std::vector<QuestionTerm>& terms,
                           const std::string& typed) {
    for (const auto& t : terms) {
      if (t.typed == typed) return &t;
    }
    return nullptr;
  }

  QueryAnalyzer analyzer_;
  ArticleVocabulary vocabulary_;
};

TEST_F(QuestionTermsTest, ALexiconPhraseIsHeldByItsSynonyms) {
  auto terms =
      AnalyzeQuestion("can I take ibuprofen for it?", analyzer_, vocabulary_);
  const QuestionTerm* pills = Find(terms, "ibuprofen");
  ASSERT_NE(pills, nullptr);
  EXPECT_TRUE(pills->concept);
  EXPECT_EQ(pills->passages, 1);
  EXPECT_TRUE(Holds(WordStems("Anti-inflammatory drugs are used."), *pills));
  EXPECT_FALSE(Holds(WordStems("Take a short break."), *pills));
}

TEST_F(QuestionTermsTest, RareWordsWeighMoreThanCommonOnes) {
  auto terms = AnalyzeQuestion("should I warm up more before running?",
                               analyzer_, vocabulary_);
  const QuestionTerm* warm = Find(terms, "warm up");
  const QuestionTerm* running = Find(terms, "running");
  ASSERT_NE(warm, nullptr);
  ASSERT_NE(running, nullptr);
  EXPECT_EQ(running->passages, 4);
  EXPECT_GT(warm->weight, running->weight);
  EXPECT_GT(MatchedWeight(WordStems("Proper warm ups go a long way."), terms),
            MatchedWeight(WordStems("Running on forgiving surfaces."), terms));
}

TEST_F(QuestionTermsTest, GenericWordsCountForNothing) {
  auto terms = AnalyzeQuestion("knee pain?", analyzer_, vocabulary_);
  ASSERT_FALSE(terms.empty());
  for (const auto& t : terms) EXPECT_TRUE(t.generic) << t.typed;
  EXPECT_EQ(MatchedWeight(WordStems("Knee pain after running"), terms), 0);
}

TEST_F(QuestionTermsTest, ContentStemsDropStopWordsAndStem) {
  auto stems =
      ContentStems("Can shoe inserts help my runner's knee?", analyzer_);
  EXPECT_TRUE(stems.count("shoe"));
  EXPECT_TRUE(stems.count("insert"));
  EXPECT_TRUE(stems.count("runner"));
  EXPECT_FALSE(stems.count("can"));
  EXPECT_FALSE(stems.count("my"));
}

}  // namespace
}  // namespace kneechat

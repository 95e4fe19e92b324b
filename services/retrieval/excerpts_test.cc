#include "services/retrieval/excerpts.h"

#include "gtest/gtest.h"
#include "services/retrieval/question_terms.h"

namespace kneechat {
namespace {

TEST(ExcerptsTest, SplitsSentencesAsExactSubstrings) {
  const std::string text =
      "Exercise is recommended. Braces, e.g. a sleeve, may help! Why? "
      "Dr. Smith said so.\nA new line";
  auto s = SplitSentences(text);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0], "Exercise is recommended.");
  EXPECT_EQ(s[1], "Braces, e.g. a sleeve, may help!");
  EXPECT_EQ(s[2], "Why?");
  EXPECT_EQ(s[3], "Dr. Smith said so.");
  EXPECT_EQ(s[4], "A new line");
  for (auto part : s)
    EXPECT_NE(text.find(std::string(part)), std::string::npos);
}

TEST(ExcerptsTest, PicksTheBestMatchingRun) {
  const std::string passage =
      "Taping the knee can make a real difference to pain felt when carrying "
      "out activities that load the knee, like squats, climbing stairs or "
      "running, with studies showing that there isn't one ideal taping "
      "application. Knee braces: Although allergies to tape are rare, they do "
      "happen. Braces that align the knee can help in a similar way as "
      "taping, with studies showing that using a brace whilst exercising "
      "gives better results than exercising without any support. Shoe "
      "orthotics: Studies show that inserts can help reduce pain for between "
      "25% to 50% of people.";
  // Worth: how many of "braces" and "help" a sentence holds.
  auto excerpt = BestExcerptBy(passage, [](std::string_view sentence) {
    return CountStems(WordStems(sentence), {"brace", "help"});
  });
  EXPECT_NE(std::string(excerpt).find("Braces that align"), std::string::npos);
  EXPECT_NE(passage.find(std::string(excerpt)), std::string::npos);
  EXPECT_LE(excerpt.size(), 320u);
}

TEST(ExcerptsTest, ShortPassageIsQuotedWhole) {
  const std::string passage = "Strength training is good for you.";
  EXPECT_EQ(BestExcerptBy(passage, [](std::string_view) { return 1.0; }),
            passage);
}

}  // namespace
}  // namespace kneechat

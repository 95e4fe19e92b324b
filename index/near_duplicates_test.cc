#include "index/near_duplicates.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;

TEST(SplitSentencesTest, SplitsAtSentenceEndsOnly) {
  EXPECT_THAT(SplitSentences("Rest it. Ice it! Why? Run on grass (e.g. soft "
                             "gravel). 10 reps."),
              ElementsAre("Rest it. ", "Ice it! ", "Why? ",
                          "Run on grass (e.g. soft gravel). ", "10 reps."));
  EXPECT_THAT(SplitSentences("One sentence"), ElementsAre("One sentence"));
}

TEST(NearDuplicateFinderTest, ComparesStemmedContentWords) {
  const std::unordered_set<std::string> stopwords = {"the", "a", "of", "is"};
  NearDuplicateFinder finder(stopwords);
  EXPECT_THAT(finder.ContentWords("The knees of a Runner is running"),
              ElementsAre("knee", "run", "runner"));
  const std::set<std::string> text = finder.ContentWords("knees hurt badly");
  const std::set<std::string> earlier = finder.ContentWords("my knee hurts");
  EXPECT_DOUBLE_EQ(NearDuplicateFinder::Containment(text, earlier), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(NearDuplicateFinder::Containment({}, earlier), 0);
}

TEST(NearDuplicateFinderTest, KeepsShortOrDifferentSentences) {
  const std::unordered_set<std::string> stopwords = {"the", "a", "and", "is"};
  NearDuplicateFinder finder(stopwords);
  std::vector<std::string> removed;
  const std::string paragraph =
      "Rest the knee. Rest the knee. Strengthen quadriceps hamstrings calves "
      "glutes and hips for stability. Stretch quadriceps hamstrings calves "
      "glutes and hips for flexibility.";
  // The repeated sentence is too short to judge; the last one shares most
  // words but is long enough and adds little, so it goes.
  EXPECT_EQ(finder.RemoveRepeatedSentences(paragraph, &removed),
            "Rest the knee. Rest the knee. Strengthen quadriceps hamstrings "
            "calves glutes and hips for stability.");
  EXPECT_THAT(removed, ElementsAre("Stretch quadriceps hamstrings calves "
                                   "glutes and hips for flexibility."));
}

}  // namespace
}  // namespace kneechat

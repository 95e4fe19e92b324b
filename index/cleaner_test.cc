#include "index/cleaner.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

PatternRule Pattern(const std::string& pattern) {
  auto re = std::make_shared<const RE2>(pattern);
  EXPECT_TRUE(re->ok()) << pattern;
  return {re, "test rule", "test"};
}

CleaningRules TestRules() {
  CleaningRules rules;
  rules.drop_lines = {Pattern(R"((?i)^top of page$)"),
                      Pattern(R"((?i)\d+% off)")};
  rules.exact_lines = {{"A smiling man.", "caption", "test"}};
  rules.strip_spans = {Pattern(R"(\s*\(insert [^)]*\))"),
                       Pattern(R"(^([^.!?:()]{3,80}?[a-z])[A-Z][a-z])")};
  rules.promo_sections = {Pattern(R"((?i)^book with us)")};
  rules.lost_headings = {{std::make_shared<const RE2>("^Arthritis is"),
                          "Arthritis", "lost", "test"}};
  rules.stopwords = {"a",  "the", "of",  "and", "to",   "is", "in",   "it",
                     "as", "if",  "you", "can", "your", "on", "with", "or"};
  return rules;
}

std::vector<std::string> Texts(const CleanedArticle& article) {
  std::vector<std::string> texts;
  for (const TextBlock& block : article.blocks) texts.push_back(block.text);
  return texts;
}

TEST(CleanerTest, DropsJunkLinesAndCaptionsAndKeepsTheRest) {
  const CleanedArticle article = CleanArticle(
      "top of page\n\nKnee basics\n\nA smiling man.\n\nRest helps the knee "
      "recover.\n\nGet 20% off today!\n",
      TestRules());
  EXPECT_THAT(Texts(article),
              ElementsAre("Knee basics", "Rest helps the knee recover."));
  EXPECT_EQ(article.blocks[0].kind, TextBlock::Kind::kHeading);
  EXPECT_EQ(article.blocks[1].kind, TextBlock::Kind::kParagraph);
  EXPECT_EQ(article.dropped.size(), 3u);
}

TEST(CleanerTest, StripsEditorsNoteAndGluedCaptionButKeepsText) {
  const CleanedArticle article = CleanArticle(
      "Tired runner holding her kneesHow to prevent strain is simple. Buy good "
      "shoes (insert brand names here).\n",
      TestRules());
  EXPECT_THAT(Texts(article),
              ElementsAre("How to prevent strain is simple. Buy good shoes."));
}

TEST(CleanerTest, PromotionalSectionRunsUntilTheNextCleanHeading) {
  const CleanedArticle article = CleanArticle(
      "Ice\n\nIce calms a sore knee.\n\nBook with us\n\nOur clinic is the "
      "best in town.\n\nA smiling man.\n\nStretching\n\nStretch the calves "
      "daily.\n",
      TestRules());
  EXPECT_THAT(Texts(article),
              ElementsAre("Ice", "Ice calms a sore knee.", "Stretching",
                          "Stretch the calves daily."));
}

TEST(CleanerTest, JoinsLinesOfOneBlockAndSplitsBullets) {
  const CleanedArticle article = CleanArticle(
      "Pain around the kneecap\n(Patellofemoral pain)\n\nDo you have pain?\n"
      "then it may be the kneecap.\n\nTreatment includes:\n  • Cold packs\n"
      "  • What Are The Symptoms\n",
      TestRules());
  ASSERT_EQ(article.blocks.size(), 5u);
  EXPECT_EQ(article.blocks[0].text,
            "Pain around the kneecap (Patellofemoral pain)");
  EXPECT_EQ(article.blocks[0].kind, TextBlock::Kind::kHeading);
  EXPECT_EQ(article.blocks[1].text,
            "Do you have pain? then it may be the kneecap.");
  EXPECT_EQ(article.blocks[1].kind, TextBlock::Kind::kParagraph);
  EXPECT_EQ(article.blocks[2].kind, TextBlock::Kind::kParagraph);
  EXPECT_EQ(article.blocks[3].text, "Cold packs");
  EXPECT_EQ(article.blocks[3].kind, TextBlock::Kind::kBullet);
  // A Title-Case item is a heading dressed as a bullet.
  EXPECT_EQ(article.blocks[4].kind, TextBlock::Kind::kHeading);
}

TEST(CleanerTest, PutsBackLostHeadings) {
  const CleanedArticle article = CleanArticle(
      "Kneecap\n\nThe kneecap glides.\n\nArthritis is wear of cartilage.\n",
      TestRules());
  EXPECT_THAT(Texts(article),
              ElementsAre("Kneecap", "The kneecap glides.", "Arthritis",
                          "Arthritis is wear of cartilage."));
  EXPECT_EQ(article.blocks[2].kind, TextBlock::Kind::kHeading);
}

TEST(CleanerTest, DropsRepeatedDraftsOfParagraphsAndSentences) {
  const std::string first =
      "Imagine a tendon as a rope. Pulling the same fibres repeatedly makes "
      "them tear and weaken, so repetitive running, cycling or jumping "
      "irritates knee tissues and causes discomfort.";
  const std::string second =
      "Imagine a tendon as a rope: if you continuously pull the same fibres "
      "they tear and weaken, and repetitive running or cycling irritates the "
      "tissues and causes discomfort.";
  const std::string different =
      "Strengthening the quadriceps, hamstrings and calves supports the knee "
      "joint and improves stability during training.";
  const CleanedArticle article = CleanArticle(
      first + "\n\n" + different + "\n\n" + second +
          "\n\nKnee pain is very "
          "common among active people, and understanding its causes is the "
          "first "
          "step. Knee pain is common for active people, but understanding its "
          "causes is the first step to overcoming it.\n",
      TestRules());
  EXPECT_THAT(Texts(article),
              ElementsAre(first, different,
                          "Knee pain is very common among active people, and "
                          "understanding its causes is the first step."));
}

TEST(CleanerTest, LooksLikeHeading) {
  EXPECT_TRUE(LooksLikeHeading("Pain in the knee pit"));
  EXPECT_TRUE(LooksLikeHeading("What CAUSES Patellofemoral knee pain?"));
  EXPECT_TRUE(LooksLikeHeading("How to Prevent these Strains:"));
  EXPECT_TRUE(LooksLikeHeading(
      "Still Not Sure If You Need To Stop Running My Advice Is To See A "
      "Physical Therapist Before The Pain Gets Worse"));
  EXPECT_FALSE(
      LooksLikeHeading("Stiffness and pain in the morning may also occur."));
  EXPECT_FALSE(LooksLikeHeading("These programmes usually include:"));
  EXPECT_FALSE(
      LooksLikeHeading("then you might have patellofemoral knee pain"));
  EXPECT_FALSE(LooksLikeHeading(
      "In this four-part series on the topic of how to cure runners knee, lets "
      "start by focusing on load management"));
  EXPECT_FALSE(LooksLikeHeading("Relieving Pain. Rest, ice and drugs"));
}

}  // namespace
}  // namespace kneechat

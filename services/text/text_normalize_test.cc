#include "services/text/text_normalize.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(TextNormalizeTest, EveryApostropheFoldsToOne) {
  for (const char* word :
       {"runner's", "runner\xE2\x80\x99s", "runner`s", "runner\xC2\xB4s",
        "runner\xCA\xBCs", "Runner\xE2\x80\x98s"}) {
    EXPECT_EQ(FoldForMatching(word), "runner's") << word;
    EXPECT_EQ(SplitWords(word), std::vector<std::string>{"runner's"}) << word;
  }
}

TEST(TextNormalizeTest, ApostropheAtTellsItsLength) {
  size_t length = 0;
  EXPECT_TRUE(
      ApostropheAt("a\xE2\x80\x99"
                   "b",
                   1, &length));
  EXPECT_EQ(length, 3u);
  EXPECT_TRUE(ApostropheAt("a'b", 1, &length));
  EXPECT_EQ(length, 1u);
  EXPECT_FALSE(ApostropheAt("a-b", 1, &length));
}

TEST(TextNormalizeTest, SplitWordsSplitsAtHyphensAndKeepsInnerApostrophes) {
  EXPECT_EQ(SplitWords("Don\xE2\x80\x99t over-train, ok?"),
            (std::vector<std::string>{"don't", "over", "train", "ok"}));
  EXPECT_EQ(CountWords("Don't over-train"), 3);
}

TEST(TextNormalizeTest, FoldReplyComparesTypedAndSpokenReplies) {
  EXPECT_EQ(FoldReply("  Not sure! "), "not sure");
  EXPECT_EQ(FoldReply("I can\xE2\x80\x99t tell."), "i cant tell");
  EXPECT_EQ(FoldReply("Front / kneecap"), "front kneecap");
  EXPECT_EQ(FoldReply("Say that again."), "say that again");
}

TEST(TextNormalizeTest, NormalizeSpacesCollapsesAndTrims) {
  EXPECT_EQ(NormalizeSpaces(" a\t b\xC2\xA0"
                            "c  "),
            "a b c");
}

}  // namespace
}  // namespace kneechat

#include "services/text/text_normalize.h"

#include <random>
#include <string>
#include <vector>

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

// ASCII text is read without the word pattern; a non-ASCII word added at
// the end sends the same text through the pattern, which must agree.
TEST(TextNormalizeTest, AsciiTextReadsAsThePatternReadsIt) {
  const std::vector<std::string> pieces = {
      " ",  "a",  "Zb",  "9",  "'", "`", "-",  ".",     "it's", "x'",
      "''", "\t", "ok?", "A1", "_", "&", "\n", "don't", "'s"};
  std::mt19937 random(11);
  for (int n = 0; n < 5000; ++n) {
    std::string s;
    const int parts = static_cast<int>(random() % 10);
    for (int p = 0; p < parts; ++p) s += pieces[random() % pieces.size()];
    const std::string wide = s + " \xC3\xA9";  // " é"
    std::vector<std::string> words = SplitWords(s);
    words.push_back("\xC3\xA9");
    ASSERT_EQ(SplitWords(wide), words) << "[" << s << "]";
    ASSERT_EQ(CountWords(wide), CountWords(s) + 1) << "[" << s << "]";
    const std::string folded = FoldReply(s);
    ASSERT_EQ(FoldReply(wide),
              folded.empty() ? "\xC3\xA9" : folded + " \xC3\xA9")
        << "[" << s << "]";
    ASSERT_EQ(FoldForMatching(wide), FoldForMatching(s) + " \xC3\xA9");
  }
}

}  // namespace
}  // namespace kneechat

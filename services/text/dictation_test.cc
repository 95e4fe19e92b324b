#include "services/text/dictation.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/text/tokenizer.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;

TokenizedText MustTokenize(const std::string& text) {
  auto t = Tokenize(text);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : TokenizedText{};
}

std::vector<std::string> Sentences(const std::string& text) {
  const TokenizedText t = MustTokenize(text);
  std::vector<std::string> out;
  for (const Span& s : t.sentences) out.emplace_back(t.SpanText(s));
  return out;
}

TEST(WrittenWordPerLineTest, ShortLinesAreWords) {
  EXPECT_TRUE(text_internal::WrittenWordPerLine("took\nthem\nall\nsorry"));
  EXPECT_TRUE(text_internal::WrittenWordPerLine(
      "knee\nseven years\nthree\noperations\n\nnothing works at all"));
  EXPECT_FALSE(text_internal::WrittenWordPerLine("no fever\nknee hot\nred"));
  EXPECT_FALSE(text_internal::WrittenWordPerLine(
      "It swelled up on Sunday.\nIt is hot.\nNo fever.\nCan walk."));
}

TEST(WrittenWordPerLineTest, LineBreaksThenJoinTheWords) {
  EXPECT_THAT(Sentences("took\nthem\nall\nsorry"),
              ElementsAre("took\nthem\nall\nsorry"));
  EXPECT_THAT(Sentences("knee hot\nno fever\nred"),
              ElementsAre("knee hot", "no fever", "red"));
}

TEST(SpokenPunctuationTest, DictatedPunctuationEndsSentences) {
  EXPECT_THAT(
      Sentences("my knee hurts full stop it started sunday question mark ok"),
      ElementsAre("my knee hurts full stop", "it started sunday question mark",
                  "ok"));
  const TokenizedText t = MustTokenize("is that normal question mark");
  ASSERT_FALSE(t.tokens.empty());
  EXPECT_EQ(t.tokens.back().kind, TokenKind::kPunctuation);
  EXPECT_EQ(t.tokens.back().norm, "?");
}

TEST(SpokenPunctuationTest, CommaIsAClauseBreak) {
  const TokenizedText t = MustTokenize("not fuss comma just sleep");
  EXPECT_EQ(t.sentences.size(), 1u);
  EXPECT_EQ(t.clauses.size(), 2u);
}

TEST(SpokenPunctuationTest, TheNounIsLeftAlone) {
  EXPECT_THAT(Sentences("the bike came to a full stop and I fell off"),
              ElementsAre("the bike came to a full stop and I fell off"));
  EXPECT_THAT(Sentences("I had a question about my knee"),
              ElementsAre("I had a question about my knee"));
}

}  // namespace
}  // namespace kneechat

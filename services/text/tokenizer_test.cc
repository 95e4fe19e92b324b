#include "services/text/tokenizer.h"

#include <chrono>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Norms(const TokenizedText& t) {
  std::vector<std::string> out;
  for (const Token& token : t.tokens) out.push_back(token.norm);
  return out;
}

std::vector<std::string> Texts(const TokenizedText& t,
                               const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& span : spans) out.emplace_back(t.SpanText(span));
  return out;
}

TokenizedText MustTokenize(std::string_view text) {
  auto result = Tokenize(text);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : TokenizedText{};
}

TEST(TextTokenizerTest, WordsAreLowerCasedAndApostrophesFolded) {
  TokenizedText t =
      MustTokenize("I CAN'T bend it, didnt hurt it; runner’s knee isn`t fun");
  EXPECT_THAT(Norms(t),
              ElementsAre("i", "cant", "bend", "it", ",", "didnt", "hurt", "it",
                          ";", "runners", "knee", "isnt", "fun"));
  EXPECT_EQ(t.tokens[1].kind, TokenKind::kWord);
  EXPECT_EQ(t.tokens[4].kind, TokenKind::kPunctuation);
}

TEST(TextTokenizerTest, OffsetsPointIntoCleanedText) {
  TokenizedText t = MustTokenize("my knee's sore");
  ASSERT_EQ(t.tokens.size(), 3u);
  EXPECT_EQ(
      t.text.substr(t.tokens[1].begin, t.tokens[1].end - t.tokens[1].begin),
      "knee's");
  EXPECT_EQ(t.tokens[1].norm, "knees");
}

TEST(TextTokenizerTest, DigitsAndNumberWords) {
  TokenizedText t = MustTokenize(
      "three weeks, twenty one days, twenty-five, a hundred and one, 38.9");
  std::vector<double> numbers;
  for (const Token& token : t.tokens) {
    if (token.kind == TokenKind::kNumber) numbers.push_back(token.number);
  }
  EXPECT_THAT(numbers, ElementsAre(3, 21, 25, 101, 38.9));
  EXPECT_EQ(t.tokens[0].norm, "three");
}

TEST(TextTokenizerTest, SeparateNumberWordsStaySeparate) {
  TokenizedText t = MustTokenize("one two three");
  ASSERT_EQ(t.tokens.size(), 3u);
  EXPECT_EQ(t.tokens[2].number, 3);
}

TEST(TextTokenizerTest, NumberGluedToUnitIsSplit) {
  TokenizedText t = MustTokenize("39C after a 5k");
  EXPECT_THAT(Norms(t), ElementsAre("39", "c", "after", "a", "5", "k"));
  EXPECT_FALSE(t.tokens[1].space_before);
  EXPECT_TRUE(t.tokens[2].space_before);
}

TEST(TextTokenizerTest, AbbreviationsStayWhole) {
  TokenizedText t = MustTokenize("67 y.o. and 50 y/o, w/o pain");
  EXPECT_THAT(Norms(t),
              ElementsAre("67", "yo", "and", "50", "y/o", ",", "w/o", "pain"));
  EXPECT_EQ(t.sentences.size(), 1u);
}

TEST(TextTokenizerTest, SentencesAndClauses) {
  TokenizedText t = MustTokenize(
      "No swelling, no locking. It clicks but it doesn't hurt! Why?\nok");
  EXPECT_THAT(Texts(t, t.sentences),
              ElementsAre("No swelling, no locking.",
                          "It clicks but it doesn't hurt!", "Why?", "ok"));
  EXPECT_THAT(Texts(t, t.clauses),
              ElementsAre("No swelling,", "no locking.", "It clicks",
                          "but it doesn't hurt!", "Why?", "ok"));
}

TEST(TextTokenizerTest, HoweverAndThoughEndClauses) {
  TokenizedText t =
      MustTokenize("it is stiff however not swollen although hot though");
  EXPECT_EQ(t.clauses.size(), 4u);
}

TEST(TextTokenizerTest, CueKinds) {
  TokenizedText t =
      MustTokenize("not sure maybe but never nope probably however");
  std::vector<CueKind> cues;
  for (const Token& token : t.tokens) cues.push_back(token.cue);
  EXPECT_THAT(cues, ElementsAre(CueKind::kNegation, CueKind::kNone,
                                CueKind::kHedge, CueKind::kTermination,
                                CueKind::kNegation, CueKind::kNegation,
                                CueKind::kHedge, CueKind::kTermination));
}

TEST(TextTokenizerTest, EmptyAndBlank) {
  EXPECT_TRUE(MustTokenize("").tokens.empty());
  EXPECT_TRUE(MustTokenize(" \t\n ").tokens.empty());
  EXPECT_TRUE(MustTokenize("").sentences.empty());
}

TEST(TextTokenizerTest, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("knee \xff pain"), std::string("\xc3"),
                          std::string("\xed\xa0\x80"),  // surrogate
                          std::string("\xc0\xaf")}) {   // overlong
    auto result = Tokenize(bad);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr("UTF-8"));
  }
}

TEST(TextTokenizerTest, RejectsOverLongInputQuickly) {
  const std::string huge(1 << 20, 'a');
  const auto start = std::chrono::steady_clock::now();
  auto result = Tokenize(huge);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("4096"));
  EXPECT_LT(elapsed, std::chrono::milliseconds(5));
}

TEST(TextTokenizerTest, AcceptsExactlyTheLimit) {
  std::string text;
  while (text.size() + 5 <= kMaxTextBytes) text += "knee ";
  text.resize(kMaxTextBytes, 'x');
  EXPECT_TRUE(Tokenize(text).ok());
  text.push_back('x');
  EXPECT_FALSE(Tokenize(text).ok());
}

TEST(TextTokenizerTest, ControlAndZeroWidthCharacters) {
  // zero-width space inside a word, a BOM, a soft hyphen, a NUL, a bell and
  // a C1 control.
  const std::string text =
      std::string("\xEF\xBB\xBFsw\xE2\x80\x8Bol\xC2\xADlen") +
      std::string("\0knee\x07", 6) + "\xC2\x85" + "hot";
  TokenizedText t = MustTokenize(text);
  EXPECT_THAT(Norms(t), ElementsAre("swollen", "knee", "hot"));
  for (char c : t.text) {
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\n');
  }
}

TEST(TextTokenizerTest, CarriageReturnsBecomeSentenceBreaks) {
  TokenizedText t = MustTokenize("no fever\r\nknee hot\rred");
  EXPECT_EQ(t.sentences.size(), 3u);
  EXPECT_EQ(t.text, "no fever\nknee hot\nred");
}

TEST(TextTokenizerTest, EmojiAreSymbols) {
  TokenizedText t = MustTokenize("knee hurts 😭😭 👍🏽");
  ASSERT_GE(t.tokens.size(), 4u);
  EXPECT_EQ(t.tokens[2].kind, TokenKind::kSymbol);
  EXPECT_EQ(t.tokens[2].norm, "😭");
}

TEST(TextTokenizerTest, OnlyPunctuation) {
  TokenizedText t = MustTokenize("?!?!... ,,, ;;");
  for (const Token& token : t.tokens) {
    EXPECT_EQ(token.kind, TokenKind::kPunctuation);
  }
  EXPECT_FALSE(t.sentences.empty());
  EXPECT_TRUE(t.measures.empty());
}

TEST(TextTokenizerTest, VeryLongWord) {
  const std::string word(4000, 'k');
  TokenizedText t = MustTokenize(word);
  ASSERT_EQ(t.tokens.size(), 1u);
  EXPECT_EQ(t.tokens[0].norm.size(), 4000u);
}

TEST(TextTokenizerTest, VeryLongDigitRunIsNotANumberValue) {
  const std::string digits(400, '9');
  TokenizedText t = MustTokenize(digits + " days");
  ASSERT_FALSE(t.tokens.empty());
  for (const Measure& m : t.measures) {
    EXPECT_NE(m.kind, MeasureKind::kAge);
  }
}

TEST(TextTokenizerTest, NonLatinLettersAreWords) {
  TokenizedText t = MustTokenize("colère genou Кolено");
  EXPECT_EQ(t.tokens.size(), 3u);
  for (const Token& token : t.tokens) EXPECT_EQ(token.kind, TokenKind::kWord);
}

TEST(TextTokenizerTest, ManyShortTokensStayWithinLimit) {
  std::string text;
  while (text.size() + 2 <= kMaxTextBytes) text += ", ";
  TokenizedText t = MustTokenize(text);
  EXPECT_EQ(t.tokens.size(), kMaxTextBytes / 2);
}

}  // namespace
}  // namespace kneechat

#include "services/channels/message_text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

using ::testing::SizeIs;

TEST(MessageTextTest, Utf16LengthCountsAstralCodePointsTwice) {
  EXPECT_EQ(Utf16Length("knee"), 4u);
  EXPECT_EQ(Utf16Length("genou \u00E9"), 7u);
  EXPECT_EQ(Utf16Length("\u819D"), 1u);      // 3 bytes, 1 unit
  EXPECT_EQ(Utf16Length("\U0001F9B5"), 2u);  // leg emoji: 4 bytes, 2 units
  EXPECT_EQ(Utf16Length("a\xFF"
                        "b"),
            3u);  // stray byte counts as 1
}

TEST(MessageTextTest, Utf16PrefixNeverCutsACodePoint) {
  const std::string text = "ab\U0001F9B5cd";
  EXPECT_EQ(Utf16Prefix(text, 2), "ab");
  EXPECT_EQ(Utf16Prefix(text, 3), "ab");  // the emoji needs 2 units
  EXPECT_EQ(Utf16Prefix(text, 4), "ab\U0001F9B5");
  EXPECT_EQ(Utf16Prefix(text, 100), text);
}

TEST(MessageTextTest, SplitMessageRespectsLimitAndUtf8) {
  std::string text;
  for (int i = 0; i < 900; ++i) text += "kn\u00E9e \U0001F9B5 pain. ";
  const auto pieces = SplitMessage(text, 4096);
  ASSERT_GT(pieces.size(), 1u);
  std::string joined;
  for (const std::string& piece : pieces) {
    EXPECT_LE(Utf16Length(piece), 4096u);
    EXPECT_TRUE(IsValidUtf8(piece));
    EXPECT_FALSE(piece.empty());
    joined += piece + " ";
  }
  EXPECT_EQ(joined, text);  // cuts only drop the space at the cut
}

TEST(MessageTextTest, SplitMessagePrefersParagraphBreaks) {
  const std::string first(3000, 'a');
  const std::string second(3000, 'b');
  const auto pieces = SplitMessage(first + "\n\n" + second, 4096);
  ASSERT_THAT(pieces, SizeIs(2));
  EXPECT_EQ(pieces[0], first);
  EXPECT_EQ(pieces[1], second);
}

TEST(MessageTextTest, SplitMessageHardCutsUnbrokenText) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "\U0001F9B5";  // no spaces at all
  const auto pieces = SplitMessage(text, 4096);
  ASSERT_THAT(pieces, SizeIs(3));
  for (const std::string& piece : pieces) {
    EXPECT_LE(Utf16Length(piece), 4096u);
    EXPECT_TRUE(IsValidUtf8(piece));
  }
}

TEST(MessageTextTest, SplitMessageOfBlankTextIsEmpty) {
  EXPECT_TRUE(SplitMessage("  \n ", 4096).empty());
}

TEST(MessageTextTest, AbbreviateCutsAtAWordWithEllipsis) {
  EXPECT_EQ(Abbreviate("short text", 20), "short text");
  EXPECT_EQ(Abbreviate("rest your knee and use ice often", 20),
            "rest your knee and\u2026");
  const std::string cut = Abbreviate(std::string(50, 'x'), 10);
  EXPECT_EQ(Utf8Length(cut), 10u);
}

}  // namespace
}  // namespace kneechat

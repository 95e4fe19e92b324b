#include "services/channels/speech_text.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(SpeechTextTest, RemovesCitationMarkers) {
  EXPECT_EQ(SanitizeForSpeech("Rest helps [1]. Ice too [2, 3]."),
            "Rest helps. Ice too.");
  EXPECT_EQ(SanitizeForSpeech("Stretch [1][2] gently"), "Stretch gently");
}

TEST(SpeechTextTest, RemovesUrls) {
  EXPECT_EQ(SanitizeForSpeech("See https://www.nhs.uk/conditions/knee-pain/ "
                              "or www.example.org/x for more."),
            "See or for more.");
  EXPECT_EQ(SanitizeForSpeech("Read this (http://x.y/z)."), "Read this.");
}

TEST(SpeechTextTest, RemovesEmojiAndSymbols) {
  EXPECT_EQ(SanitizeForSpeech("\U0001F6A8 Call now \u26A0\uFE0F!"),
            "Call now!");
  EXPECT_EQ(SanitizeForSpeech("Ice \U0001F9CA\u200D and rest \u2764 \u2192 ok"),
            "Ice and rest ok");
  EXPECT_EQ(SanitizeForSpeech("Caf\u00E9 au lait"), "Caf\u00E9 au lait");
}

TEST(SpeechTextTest, RemovesMarkupAndControlCharacters) {
  EXPECT_EQ(SanitizeForSpeech("<b>Rest</b> *now* and _ice_ `x` # y"),
            "Rest now and ice x y");
  EXPECT_EQ(SanitizeForSpeech("line\none\ttab\x01\x7F end"),
            "line one tab end");
  EXPECT_EQ(SanitizeForSpeech("bad \xC3\x28 byte"), "bad ( byte");
}

TEST(SpeechTextTest, LeavesPlainSpeechAlone) {
  const std::string plain =
      "If you cannot put weight on your leg, go to an urgent care centre "
      "today.";
  EXPECT_EQ(SanitizeForSpeech(plain), plain);
  EXPECT_EQ(SanitizeForSpeech("   "), "");
}

}  // namespace
}  // namespace kneechat

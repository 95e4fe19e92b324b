// ToSpeech is written as loops for speed; its definition is the four
// regular-expression rewrites below, checked against it on written and on
// generated text.
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "re2/re2.h"
#include "services/dialogue/composer.h"

namespace kneechat {
namespace {

std::string Reference(std::string_view text) {
  static const RE2 marker("\\s*\\[\\d+\\]");
  static const RE2 url("(?i)\\b(?:https?://|www\\.)\\S+");
  static const RE2 bullet("•|\\*|_");
  static const RE2 space("\\s+");
  std::string s(text);
  RE2::GlobalReplace(&s, marker, "");
  RE2::GlobalReplace(&s, url, "");
  RE2::GlobalReplace(&s, bullet, " ");
  RE2::GlobalReplace(&s, space, " ");
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

TEST(ToSpeechTest, DropsMarkersUrlsAndBullets) {
  EXPECT_EQ(ToSpeech("Rest it [1] and ice it [2].\n• See www.nhs.uk/knee now"),
            "Rest it and ice it. See now");
  EXPECT_EQ(ToSpeech("  *Call* 111 [12]\t_today_  "), "Call 111 today");
  EXPECT_EQ(ToSpeech("HTTPS://Example.org/x?y=1 then"), "then");
  EXPECT_EQ(ToSpeech("keep [a] and [3x] and []"), "keep [a] and [3x] and []");
  EXPECT_EQ(ToSpeech("xwww.example.org stays"), "xwww.example.org stays");
  EXPECT_EQ(ToSpeech("www. alone"), "www. alone");
  EXPECT_EQ(ToSpeech(""), "");
  EXPECT_EQ(ToSpeech(" \n\t "), "");
}

TEST(ToSpeechTest, MatchesTheRegularExpressionDefinition) {
  const std::vector<std::string> written = {
      "The articles say: rest [1]. [2][3] •• end",
      "a\r\n\f[7] b", "(www.x.y) [b]", "é_https://é x", "[1]", "  [",
      "word[99]word", "http://", "https:// x", "Www.Knee.Org/,next",
  };
  for (const std::string& s : written) EXPECT_EQ(ToSpeech(s), Reference(s)) << s;

  const std::vector<std::string> pieces = {
      " ",       "\n",       "\t",    "[",       "]",    "1",   "42",
      "a",       "Z",        "_",     "*",       "•",    "é",   "www.",
      "http://", "HTTPS://", "x.org", ".",       "w",    "[3]", "\r",
      "\f",      "h",        "W",     "Http://", "wWw.", "[",   "[12"};
  std::mt19937 random(7);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int parts = static_cast<int>(random() % 12);
    for (int p = 0; p < parts; ++p) s += pieces[random() % pieces.size()];
    ASSERT_EQ(ToSpeech(s), Reference(s)) << "input: [" << s << "]";
  }
}

}  // namespace
}  // namespace kneechat

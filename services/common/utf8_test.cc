#include "services/common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("my knee hurts"));
  EXPECT_TRUE(IsValidUtf8("knäsmä runner\xE2\x80\x99s knee"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\xA6\xB5"));  // leg emoji
}

TEST(Utf8Test, RejectsMalformed) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x80"));       // truncated
  EXPECT_FALSE(IsValidUtf8(std::string("a\x80z")));
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(Utf8Length("knee"), 4u);
  EXPECT_EQ(Utf8Length("kn\xC3\xA4"), 3u);
}

}  // namespace
}  // namespace kneechat

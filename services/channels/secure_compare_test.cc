#include "services/channels/secure_compare.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(SecureEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(SecureEquals("s3cret_Token-1", "s3cret_Token-1"));
  EXPECT_TRUE(SecureEquals("", ""));
  EXPECT_FALSE(SecureEquals("s3cret_Token-1", "s3cret_Token-2"));
  EXPECT_FALSE(SecureEquals("s3cret", "s3cret_Token-1"));
  EXPECT_FALSE(SecureEquals("", "x"));
  EXPECT_FALSE(SecureEquals(std::string("a\0b", 3), "a"));
}

}  // namespace
}  // namespace kneechat

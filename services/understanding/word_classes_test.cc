#include "services/understanding/word_classes.h"

#include "gtest/gtest.h"

namespace kneechat::understanding_internal {
namespace {

TEST(WordClassesTest, ExpandsNamesAndLeavesRepetitionsAlone) {
  WordClasses classes;
  ASSERT_TRUE(classes.Define("gone", "dead|gone").ok());
  ASSERT_TRUE(classes.Define("wish_gone", "wish i was {gone}").ok());
  absl::StatusOr<std::string> p =
      classes.Expand(R"(\b{wish_gone}( \w+){0,3}\{x\})");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, R"(\b(?:wish i was (?:dead|gone))( \w+){0,3}\{x\})");
}

TEST(WordClassesTest, RejectsUnknownRepeatedAndBadNames) {
  WordClasses classes;
  EXPECT_FALSE(classes.Expand("{nope}").ok());
  ASSERT_TRUE(classes.Define("a", "x").ok());
  EXPECT_FALSE(classes.Define("a", "y").ok());
  EXPECT_FALSE(classes.Define("Bad", "y").ok());
  EXPECT_FALSE(classes.Define("b", "{missing}").ok());
}

}  // namespace
}  // namespace kneechat::understanding_internal

#include "services/common/pattern_set.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PatternSetTest, FindsEveryOccurringPatternInOrder) {
  const RE2 swollen("swoll?en"), hot("\\bhot\\b"), calf("calf");
  PatternSet set({&swollen, &hot, &calf}, RE2::Options());
  EXPECT_THAT(set.Occurring("calf is swollen"), ElementsAre(0, 2));
  EXPECT_THAT(set.Occurring("nothing here"), IsEmpty());
  EXPECT_TRUE(set.Any("a hot knee"));
  EXPECT_FALSE(set.Any("a photo"));
}

TEST(PatternSetTest, EmptySetFindsNothing) {
  PatternSet set;
  EXPECT_THAT(set.Occurring("anything"), IsEmpty());
  EXPECT_FALSE(set.Any("anything"));
}

TEST(PatternSetTest, UsesTheOptionsItIsGiven) {
  RE2::Options caseless;
  caseless.set_case_sensitive(false);
  const RE2 fever("fever", caseless);
  PatternSet set({&fever}, caseless);
  EXPECT_THAT(set.Occurring("FEVER"), ElementsAre(0));
}

TEST(PatternSetTest, AnswersInFullWhenTheSetRunsOutOfMemory) {
  // A tiny memory budget makes the set's DFA give up on a long text; the
  // answer must still be the one each pattern gives alone.
  RE2::Options small;
  small.set_max_mem(1 << 16);
  std::vector<std::unique_ptr<RE2>> owned;
  std::vector<const RE2*> patterns;
  for (int i = 0; i < 40; ++i) {
    owned.push_back(std::make_unique<RE2>(
        "w" + std::to_string(i) + "[a-z]{0,3}x[0-9]{1,4}y", small));
    patterns.push_back(owned.back().get());
  }
  PatternSet set(patterns, small);
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "w" + std::to_string(i % 40) + "ab ";
  text += "w7abx12y and w31x9y";
  std::vector<int> alone;
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (RE2::PartialMatch(text, *patterns[i])) alone.push_back(i);
  }
  EXPECT_THAT(alone, ElementsAre(7, 31));
  EXPECT_EQ(set.Occurring(text), alone);
  EXPECT_TRUE(set.Any(text));
}

}  // namespace
}  // namespace kneechat

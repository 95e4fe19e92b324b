#include "services/common/request_facts.h"

#include <thread>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

TEST(RequestFactsTest, NothingIsRecordedOutsideAScope) {
  EXPECT_EQ(CurrentRequestFacts(), nullptr);
  ScopedStage stage(TurnStage::kTriage);  // must not crash
}

TEST(RequestFactsTest, NestedStagesAreExclusive) {
  ScopedRequestFacts scope;
  ASSERT_EQ(CurrentRequestFacts(), &scope.facts());
  {
    ScopedStage composing(TurnStage::kComposing);
    Sleep(5);
    {
      ScopedStage retrieval(TurnStage::kRetrieval);
      Sleep(30);
    }
  }
  const RequestFacts& facts = scope.facts();
  EXPECT_TRUE(facts.stages_timed);
  const double retrieval =
      facts.stage_seconds[static_cast<size_t>(TurnStage::kRetrieval)];
  const double composing =
      facts.stage_seconds[static_cast<size_t>(TurnStage::kComposing)];
  EXPECT_GE(retrieval, 0.029);
  EXPECT_GE(composing, 0.004);
  EXPECT_LT(composing, retrieval);  // the nested 30 ms is not counted twice
  EXPECT_EQ(facts.stage_seconds[static_cast<size_t>(TurnStage::kTriage)], 0);
}

TEST(RequestFactsTest, ScopesNestAndRestore) {
  ScopedRequestFacts outer;
  {
    ScopedRequestFacts inner;
    CurrentRequestFacts()->channel = "web";
    EXPECT_EQ(inner.facts().channel, "web");
  }
  EXPECT_EQ(CurrentRequestFacts(), &outer.facts());
  EXPECT_TRUE(outer.facts().channel.empty());
}

TEST(RequestFactsTest, StageNames) {
  EXPECT_STREQ(TurnStageName(TurnStage::kUnderstanding), "understanding");
  EXPECT_STREQ(TurnStageName(TurnStage::kComposing), "composing");
}

}  // namespace
}  // namespace kneechat

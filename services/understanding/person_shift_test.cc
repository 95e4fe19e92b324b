#include "services/understanding/person_shift.h"

#include "gtest/gtest.h"

namespace kneechat::understanding_internal {
namespace {

TEST(PersonShiftTest, RelativeAndPronounsBecomeFirstPerson) {
  EXPECT_EQ(ShiftToFirstPerson("my son says he wants to kill himself"),
            "i say i want to kill myself");
  EXPECT_EQ(ShiftToFirstPerson("shes been cutting her arms again"),
            "im been cutting my arms again");
  EXPECT_EQ(ShiftToFirstPerson("my mum has had enough of living"),
            "i have had enough of living");
}

TEST(PersonShiftTest, HerIsPossessiveOnlyBeforeANoun) {
  EXPECT_EQ(ShiftToFirstPerson("i found her tablets"), "i found my tablets");
  EXPECT_EQ(ShiftToFirstPerson("nobody would miss her"),
            "nobody would miss me");
}

TEST(PersonShiftTest, FirstPersonTextIsUnchanged) {
  EXPECT_EQ(ShiftToFirstPerson("my knee hurts on the stairs"),
            "my knee hurts on the stairs");
  EXPECT_EQ(ShiftToFirstPerson(""), "");
}

}  // namespace
}  // namespace kneechat::understanding_internal

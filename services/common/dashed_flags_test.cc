#include "services/common/dashed_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Convert(std::vector<std::string> args) {
  std::vector<char*> argv = ArgvPointers(args);
  return UnderscoreFlagNames(static_cast<int>(argv.size()), argv.data());
}

TEST(DashedFlagsTest, DashesInNamesBecomeUnderscores) {
  EXPECT_THAT(Convert({"kneechat-server", "--http-listen", "127.0.0.1:0",
                       "--session-ttl=30m", "-max-sessions=5"}),
              ElementsAre("kneechat-server", "--http_listen", "127.0.0.1:0",
                          "--session_ttl=30m", "-max_sessions=5"));
}

TEST(DashedFlagsTest, ValuesOperandsAndArgumentsAfterDoubleDashAreKept) {
  EXPECT_THAT(Convert({"kneechat", "search", "knee-pain", "--config=a-b.txt",
                       "--", "--not-a-flag"}),
              ElementsAre("kneechat", "search", "knee-pain", "--config=a-b.txt",
                          "--", "--not-a-flag"));
}

}  // namespace
}  // namespace kneechat

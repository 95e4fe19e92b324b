#include "services/common/paths.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(DataPathsTest, EnvironmentOverridesCompiledDefaults) {
  ::unsetenv("KNEECHAT_INDEX_DIR");
  const std::string compiled = DefaultDataPaths().index_dir;
  EXPECT_FALSE(compiled.empty());
  ::setenv("KNEECHAT_INDEX_DIR", "/tmp/elsewhere.xapian", 1);
  EXPECT_EQ(DefaultDataPaths().index_dir, "/tmp/elsewhere.xapian");
  ::unsetenv("KNEECHAT_INDEX_DIR");
  EXPECT_EQ(DefaultDataPaths().index_dir, compiled);
}

}  // namespace
}  // namespace kneechat

#include "services/common/paths.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "kneechat/build_paths.h"

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

TEST(DataPathsTest, InstalledLayoutIsBesideTheBinDirectory) {
  const DataPaths paths = InstalledDataPaths("/opt/kc/bin/kneechat-server");
  EXPECT_EQ(paths.corpus_dir, "/opt/kc/share/kneechat/corpus");
  EXPECT_EQ(paths.index_dir, "/opt/kc/share/kneechat/kneechat.xapian");
  EXPECT_EQ(paths.web_dir, "/opt/kc/share/kneechat/web");
  EXPECT_EQ(InstalledDataPaths("/usr/bin/kneechat-server").corpus_dir,
            "/usr/share/kneechat/corpus");
  EXPECT_EQ(InstalledDataPaths("/bin/kneechat-server").corpus_dir,
            "/share/kneechat/corpus");
}

TEST(DataPathsTest, BuildTreeBinaryFallsBackToCompiledPaths) {
  // This test binary is not installed: no share/kneechat beside it.
  ::unsetenv("KNEECHAT_CORPUS_DIR");
  EXPECT_EQ(DefaultDataPaths().corpus_dir, KNEECHAT_BUILD_CORPUS_DIR);
}

}  // namespace
}  // namespace kneechat

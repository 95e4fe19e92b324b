#include "services/common/paths.h"

#include <cstdlib>

#include "kneechat/build_paths.h"

namespace kneechat {
namespace {

std::string FromEnv(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? value : fallback;
}

}  // namespace

DataPaths DefaultDataPaths() {
  DataPaths paths;
  paths.corpus_dir = FromEnv("KNEECHAT_CORPUS_DIR", KNEECHAT_BUILD_CORPUS_DIR);
  paths.index_dir = FromEnv("KNEECHAT_INDEX_DIR", KNEECHAT_BUILD_INDEX_DIR);
  paths.web_dir = FromEnv("KNEECHAT_WEB_DIR", KNEECHAT_BUILD_WEB_DIR);
  return paths;
}

}  // namespace kneechat

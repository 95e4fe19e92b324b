#include "services/common/paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "kneechat/build_paths.h"

namespace kneechat {
namespace {

std::string FromEnv(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? value : fallback;
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string RunningExecutable() {
  char buffer[4096];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return "";
  return std::string(buffer, static_cast<size_t>(n));
}

bool IsDirectory(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

}  // namespace

DataPaths InstalledDataPaths(const std::string& exe_path) {
  const std::string prefix = Dirname(Dirname(exe_path));
  const std::string data =
      (prefix == "/" ? std::string() : prefix) + "/" + kInstalledDataDir;
  return DataPaths{data + "/corpus", data + "/kneechat.xapian", data + "/web"};
}

DataPaths DefaultDataPaths() {
  DataPaths fallback{KNEECHAT_BUILD_CORPUS_DIR, KNEECHAT_BUILD_INDEX_DIR,
                     KNEECHAT_BUILD_WEB_DIR};
  const std::string exe = RunningExecutable();
  if (!exe.empty()) {
    DataPaths installed = InstalledDataPaths(exe);
    if (IsDirectory(installed.corpus_dir)) fallback = std::move(installed);
  }
  DataPaths paths;
  paths.corpus_dir = FromEnv("KNEECHAT_CORPUS_DIR", fallback.corpus_dir);
  paths.index_dir = FromEnv("KNEECHAT_INDEX_DIR", fallback.index_dir);
  paths.web_dir = FromEnv("KNEECHAT_WEB_DIR", fallback.web_dir);
  return paths;
}

}  // namespace kneechat

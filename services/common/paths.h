// Locations of kneechat's data: the curated corpus directory (articles,
// rules, lexicons, dialogue text), the Xapian index, and the web assets.
#pragma once

#include <string>

namespace kneechat {

struct DataPaths {
  std::string corpus_dir;  // e.g. <source>/corpus
  std::string index_dir;   // e.g. <build>/data/kneechat.xapian
  std::string web_dir;     // e.g. <source>/clients/web
};

// The defaults a build-tree binary uses without flags: the paths compiled in
// by CMake, each overridable by the environment variables KNEECHAT_CORPUS_DIR,
// KNEECHAT_INDEX_DIR and KNEECHAT_WEB_DIR. Thread-safe.
DataPaths DefaultDataPaths();

}  // namespace kneechat

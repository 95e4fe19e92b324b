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

// Where `cmake --install` (and the Debian package) put the data, relative
// to the install prefix: <prefix>/share/kneechat/{corpus,kneechat.xapian,web}.
inline constexpr char kInstalledDataDir[] = "share/kneechat";

// The installed layout for an executable at `exe_path` (<prefix>/bin/x):
// <prefix>/share/kneechat/... Pure; does not look at the file system.
DataPaths InstalledDataPaths(const std::string& exe_path);

// The defaults a binary uses without flags, each overridable by the
// environment variables KNEECHAT_CORPUS_DIR, KNEECHAT_INDEX_DIR and
// KNEECHAT_WEB_DIR. Without them: the installed layout next to the running
// executable when <prefix>/share/kneechat/corpus exists (an installed
// server runs with no flags), else the build-tree paths compiled in by
// CMake. Thread-safe.
DataPaths DefaultDataPaths();

}  // namespace kneechat

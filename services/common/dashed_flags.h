// Lets command lines spell flag names with dashes (--http-listen) as well as
// with the underscores Abseil flag names require (--http_listen).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace kneechat {

// Returns `argv` with '-' replaced by '_' inside each "--name" or
// "--name=value" flag name (values are left alone). Arguments after a bare
// "--" are left alone. The result owns its strings; see ArgvPointers().
inline std::vector<std::string> UnderscoreFlagNames(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 3 || arg[0] != '-') continue;
    const size_t name_begin = arg[1] == '-' ? 2 : 1;
    const size_t name_end = std::min(arg.find('='), arg.size());
    for (size_t j = name_begin; j < name_end; ++j) {
      if (arg[j] == '-') arg[j] = '_';
    }
  }
  return args;
}

// Pointers into `args` suitable for absl::ParseCommandLine; valid while
// `args` is alive and unchanged.
inline std::vector<char*> ArgvPointers(std::vector<std::string>& args) {
  std::vector<char*> pointers;
  pointers.reserve(args.size());
  for (std::string& arg : args) pointers.push_back(arg.data());
  return pointers;
}

}  // namespace kneechat

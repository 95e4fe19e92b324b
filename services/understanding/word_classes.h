// Named word classes for lexicon patterns: a knowledge file defines a class
// once ("class <TAB> goneness <TAB> dead|gone|not here") and its patterns
// say {goneness} wherever any member may stand. This lets a file state a
// frame ("a wish, then within a few words a way of not existing") instead
// of listing every sentence that fills it.
//
// Thread-safety: build on one thread; Expand is const.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kneechat::understanding_internal {

class WordClasses {
 public:
  // Defines `name` ([a-z_]+) as the RE2 alternation `members`, which may
  // use classes defined before it. Errors: kInvalidArgument for a bad or
  // repeated name, or an unknown class inside `members`.
  absl::Status Define(std::string_view name, std::string_view members);

  // `pattern` with every {name} replaced by a non-capturing group of the
  // class's members. RE2 repetitions ({2}, {0,3}) are left alone.
  // Errors: kInvalidArgument naming an unknown class.
  absl::StatusOr<std::string> Expand(std::string_view pattern) const;

 private:
  std::map<std::string, std::string, std::less<>> classes_;
};

}  // namespace kneechat::understanding_internal

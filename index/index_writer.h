// Writes passages to a Xapian index directory, atomically: the index is
// built in a temporary directory next to `out_dir` and then swapped in, so a
// reader sees either the old complete index or the new one, never a part.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/passage.h"

namespace kneechat {

// Replaces `out_dir` with an index of `passages` (creating parent
// directories). kInvalidArgument if there are no passages or `out_dir`
// exists and is not a directory; kInternal on Xapian or file system errors.
// Not safe to run concurrently for the same `out_dir`.
absl::Status WriteIndex(const std::vector<Passage>& passages,
                        const std::string& out_dir);

// LoadCorpus(corpus_dir) then WriteIndex; returns the number of passages.
absl::StatusOr<int> BuildIndexFromCorpus(const std::string& corpus_dir,
                                         const std::string& out_dir);

}  // namespace kneechat

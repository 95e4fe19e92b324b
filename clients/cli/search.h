// `kneechat search`: cited passages for a query.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"

namespace kneechat::cli {

struct SearchOptions {
  // 1..50; 0 lets the server choose (5).
  int page_size = 0;
  size_t width = 80;
  absl::Duration timeout = absl::Seconds(10);
};

// Prints each passage (see RenderPassage), or a line saying nothing matched.
// On an RPC error prints "error: CODE: message" on `err`. Returns the
// process exit code (0 or 1).
int RunSearch(v1::KneeChat::StubInterface& stub, const std::string& query,
              std::ostream& out, std::ostream& err,
              const SearchOptions& options);

}  // namespace kneechat::cli

// The process's open-file limit. A server that accepts connections needs
// one descriptor per connection: the soft limit (often 1024) is raised to
// the hard limit at start so that a burst of idle connections does not
// exhaust descriptors long before the machine would.
//
// Thread-safety: call once at start, before threads begin.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"

namespace kneechat {

// Raises RLIMIT_NOFILE's soft limit to its hard limit and returns the new
// soft limit. kInternal (naming errno) if the limit cannot be read or set.
absl::StatusOr<uint64_t> RaiseOpenFileLimit();

}  // namespace kneechat

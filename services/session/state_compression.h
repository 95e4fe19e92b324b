// Compression of the serialised sessions the memory store keeps while they
// are idle (zstd, one frame per session, its size in the frame header).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kneechat {

// The most a compressed session may expand to; a frame that claims more is
// refused unread (kDataLoss), so damaged data never makes a huge allocation.
inline constexpr size_t kMaxDecompressedStateBytes = size_t{64} << 20;

// `raw` compressed into a string of exactly its compressed size. Never fails
// (zstd's output bound is always available).
std::string CompressState(std::string_view raw);

// What CompressState was given; kDataLoss when `compressed` is not one whole
// frame it made (damaged, cut short, or larger than
// kMaxDecompressedStateBytes). Never crashes on any input.
absl::StatusOr<std::string> DecompressState(std::string_view compressed);

}  // namespace kneechat

#include "services/session/state_compression.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

std::string Typical() {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "front of my left knee aches after long runs, turn " +
            std::to_string(i) + "; ";
  }
  return text;
}

TEST(StateCompressionTest, ReadsBackWhatItWasGiven) {
  for (const std::string& raw : {std::string(), std::string("x"), Typical(),
                                 std::string("\0\1\2\377 binary", 12)}) {
    const std::string compressed = CompressState(raw);
    absl::StatusOr<std::string> back = DecompressState(compressed);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, raw);
  }
  EXPECT_LT(CompressState(Typical()).size(), Typical().size() / 4);
}

TEST(StateCompressionTest, HoldsNoSpareCapacity) {
  const std::string compressed = CompressState(Typical());
  EXPECT_LE(compressed.capacity(), compressed.size() + 16);
}

TEST(StateCompressionTest, DamagedDataIsAnErrorNotACrash) {
  const std::string good = CompressState(Typical());
  for (const std::string& bad : {
           std::string(), std::string("not zstd at all"),
           good.substr(0, good.size() / 2),  // cut short
           good + "trailing",                // not one whole frame
           good.substr(0, 4),                // the magic number only
       }) {
    absl::StatusOr<std::string> back = DecompressState(bad);
    ASSERT_FALSE(back.ok()) << bad.size();
    EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
  }
  // A flipped bit anywhere is refused (the frame's checksum), or lands where
  // it changes nothing: it is never read as another state.
  int refused = 0;
  for (size_t at = 0; at < good.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = good;
      flipped[at] = static_cast<char>(flipped[at] ^ (1 << bit));
      absl::StatusOr<std::string> back = DecompressState(flipped);
      if (back.ok()) {
        EXPECT_EQ(*back, Typical()) << at << ":" << bit;
      } else {
        EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, static_cast<int>(good.size() * 8 * 9 / 10));
}

TEST(StateCompressionTest, AFrameClaimingTooMuchIsRefusedUnread) {
  // A frame header: magic, single segment with an 8-byte content size of
  // 1 TiB, and nothing else.
  std::string frame("\x28\xb5\x2f\xfd\xe0", 5);
  const unsigned long long size = 1ULL << 40;
  for (int i = 0; i < 8; ++i)
    frame.push_back(static_cast<char>(size >> (8 * i)));
  absl::StatusOr<std::string> back = DecompressState(frame);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace kneechat

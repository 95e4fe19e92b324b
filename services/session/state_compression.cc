#include "services/session/state_compression.h"

#include <zstd.h>

#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace kneechat {
namespace {

// zstd's default level. On the benchmark conversations' states (4.6 KB
// mean) it gives 1.78 KB in 12 us and reads back in 4.5 us; level 1 is 2%
// larger for 2 us less, level 6 2% smaller at twice the time; zlib level 6
// is 3% smaller but takes 65 us to compress and 9 us to read back.
constexpr int kLevel = 3;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread, made on first use and reused: making one costs
// more than compressing a session.
ZSTD_CCtx* NewCCtx() {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (cctx == nullptr) abort();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel);
  // A checksum (4 bytes) so that damaged data is refused, never read as
  // another session.
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  return cctx;
}
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(NewCCtx());
  return cctx.get();
}
ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) abort();
  return dctx.get();
}

absl::Status Damaged(absl::string_view why) {
  return absl::DataLossError(
      absl::StrCat("a compressed session could not be read: ", why));
}

}  // namespace

std::string CompressState(std::string_view raw) {
  thread_local std::string scratch;
  scratch.resize(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress2(ThreadCCtx(), scratch.data(), scratch.size(),
                                  raw.data(), raw.size());
  // Only a bad parameter, a too-small buffer or no memory fail.
  if (ZSTD_isError(n)) abort();
  return std::string(scratch.data(), n);  // allocated at exactly n
}

absl::StatusOr<std::string> DecompressState(std::string_view compressed) {
  const unsigned long long size =
      ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Damaged("no frame header");
  }
  if (size > kMaxDecompressedStateBytes) return Damaged("claims too much");
  const size_t frame =
      ZSTD_findFrameCompressedSize(compressed.data(), compressed.size());
  if (ZSTD_isError(frame) || frame != compressed.size()) {
    return Damaged("not one whole frame");
  }
  std::string raw(static_cast<size_t>(size), '\0');
  const size_t n = ZSTD_decompressDCtx(ThreadDCtx(), raw.data(), raw.size(),
                                       compressed.data(), compressed.size());
  if (ZSTD_isError(n)) return Damaged(ZSTD_getErrorName(n));
  if (n != raw.size()) return Damaged("shorter than its header says");
  return raw;
}

}  // namespace kneechat

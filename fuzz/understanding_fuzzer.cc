// Fuzzes the understanding layer with the shipped knowledge files
// (corpus/understanding/, loaded once): any message, with any of the slots
// the dialogue may be asking about, must be understood or cleanly refused,
// and every finding and slot it reports must be named, with evidence that is
// valid UTF-8.
//
// Input: the first byte picks what the dialogue last asked; the rest is the
// message.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "services/common/limits.h"
#include "services/common/paths.h"
#include "services/common/utf8.h"
#include "services/understanding/extractor.h"

namespace {

const kneechat::Extractor* extractor = nullptr;

void Check(bool condition) {
  if (!condition) std::abort();
}

kneechat::UnderstandingContext ContextFor(uint8_t selector) {
  static const char* const kSlots[] = {
      "",    "location", "onset",          "activity",  "duration",
      "age", "swelling", "weight_bearing", "red_flags", "side"};
  kneechat::UnderstandingContext context;
  context.asking = kSlots[selector % (sizeof(kSlots) / sizeof(kSlots[0]))];
  if (selector & 0x80) context.asking_findings = {"fever", "hot_knee"};
  if (context.asking == "red_flags") {
    context.asking_findings = {"fever", "calf_pain", "cannot_bear_weight"};
  }
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  absl::StatusOr<std::unique_ptr<kneechat::Extractor>> loaded =
      kneechat::Extractor::Load(kneechat::DefaultDataPaths().corpus_dir);
  if (!loaded.ok()) {
    std::fprintf(stderr, "understanding_fuzzer: %s\n",
                 loaded.status().ToString().c_str());
    std::abort();
  }
  extractor = loaded->release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const kneechat::UnderstandingContext context = ContextFor(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  absl::StatusOr<kneechat::Understanding> understood =
      extractor->Understand(text, context);
  if (!understood.ok()) {
    Check(!kneechat::IsValidUtf8(text) ||
          text.size() > kneechat::kMaxMessageBytes);
    return 0;
  }
  for (const kneechat::Finding& finding : understood->findings) {
    Check(!finding.id.empty());
    Check(kneechat::IsValidUtf8(finding.evidence));
  }
  for (const auto& [slot, value] : understood->slots) {
    Check(!slot.empty() && !value.value.empty());
    Check(kneechat::IsValidUtf8(value.evidence));
  }
  return 0;
}

// Fuzzes the tokeniser and text_normalize with any bytes: Tokenize must
// reject invalid UTF-8 and over-long text cleanly, and on valid text its
// tokens, spans and measures must point inside the cleaned text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/common/utf8.h"
#include "services/text/text_normalize.h"
#include "services/text/tokenizer.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<kneechat::TokenizedText> tokens = kneechat::Tokenize(text);
  if (!kneechat::IsValidUtf8(text) || size > kneechat::kMaxTextBytes) {
    Check(!tokens.ok());
    return 0;
  }
  Check(tokens.ok());
  Check(kneechat::IsValidUtf8(tokens->text));
  const size_t n = tokens->tokens.size();
  for (const kneechat::Token& token : tokens->tokens) {
    Check(token.begin <= token.end && token.end <= tokens->text.size());
  }
  for (const auto* spans : {&tokens->sentences, &tokens->clauses}) {
    for (const kneechat::Span& span : *spans) {
      Check(span.first_token <= span.end_token && span.end_token <= n);
      tokens->SpanText(span);
    }
  }
  for (const kneechat::Measure& measure : tokens->measures) {
    Check(measure.first_token <= measure.last_token && measure.last_token < n);
  }

  const std::string spaced = kneechat::NormalizeSpaces(text);
  Check(kneechat::IsValidUtf8(spaced));
  Check(kneechat::NormalizeSpaces(spaced) == spaced);
  const std::string folded = kneechat::FoldForMatching(text);
  Check(kneechat::IsValidUtf8(folded));
  Check(kneechat::CountWords(text) ==
        static_cast<int>(kneechat::SplitWords(text).size()));
  const std::string reply = kneechat::FoldReply(text);
  Check(kneechat::FoldReply(reply) == reply);
  for (size_t i = 0, length = 0; i < size; ++i) {
    if (kneechat::ApostropheAt(text, i, &length)) Check(i + length <= size);
  }
  return 0;
}

// kneechat's understanding layer: reads one user message (with what the
// dialogue last asked) and reports slot values, clinical findings with their
// ConText attributes (polarity, temporality, experiencer) and conversational
// intents. See understanding.h for the value types and normalised values.
//
// Everything it knows comes from reviewable files in
// <corpus>/understanding/ (listed in lexicon.h); the C++ holds only the
// mechanics (tokens, clauses, cue scopes, slot policies).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/understanding/understanding.h"

namespace kneechat {

namespace understanding_internal {
struct Lexicon;
}  // namespace understanding_internal

class Extractor {
 public:
  // Loads corpus_dir/understanding/: findings.tsv, every
  // findings_patterns*.tsv, and the cue, slot, intent, topic and spelling
  // lexicons. Errors name the file and line:
  //   kNotFound         a required file (or every findings_patterns file) is
  //                     missing
  //   kInvalidArgument  a finding id not in findings.tsv, a pattern RE2
  //                     rejects, an unknown slot, value, cue kind or intent,
  //                     or a malformed line
  static absl::StatusOr<std::unique_ptr<Extractor>> Load(
      const std::string& corpus_dir);

  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // Understands one message. Never fails on valid UTF-8 text within the
  // tokeniser's limit; the tokeniser's kInvalidArgument (over-long text,
  // invalid UTF-8) is returned as is. Empty text gives an empty result.
  // Thread-safe: const, and the loaded lexicons are shared read-only.
  absl::StatusOr<Understanding> Understand(
      std::string_view text, const UnderstandingContext& context) const;

 private:
  explicit Extractor(
      std::unique_ptr<const understanding_internal::Lexicon> lexicon);

  std::unique_ptr<const understanding_internal::Lexicon> lexicon_;
};

}  // namespace kneechat

// Crisis reading: finds thoughts of suicide or self-harm in one message,
// sentence by sentence, with the tiers of <corpus>/understanding/crisis.tsv.
// It runs before any other reading of the message and does not go through
// ConText negation: crisis phrases carry their own negations ("don't want to
// be here"), and only an explicit denial cancels the milder tier. Internal
// to the understanding layer; the Extractor reports what it finds as the
// findings self_harm_danger, self_harm and crisis_means.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/understanding/canonical_text.h"
#include "services/understanding/lexicon.h"

namespace kneechat::understanding_internal {

// Indices in CanonicalText::sentences of the sentences that raised each
// tier; empty when nothing did.
struct CrisisSignal {
  // A plan, intent, means at hand, preparation, an attempt, unsafe now.
  std::vector<size_t> danger_sentences;
  // A wish to be dead, feeling a burden, self-injury, active thoughts.
  std::vector<size_t> thought_sentences;
  // A method or means named.
  std::vector<size_t> means_sentences;
  // One act of putting affairs in order or saying goodbye (tier act), also
  // in means_sentences; two acts of preparation, or an act beside a means
  // named in the message, are danger instead.
  std::vector<size_t> prep_sentences;
  // Every act of preparation not taken back (tier prep or act), however
  // many, unless the message denies a crisis: the dialogue joins acts told
  // in different messages.
  std::vector<size_t> step_sentences;
};

// Thread-safe: pure function of its arguments.
// `raw` is the message as typed, for the safety-net score (crisis_scorer.h).
CrisisSignal ReadCrisis(const CanonicalText& text, std::string_view raw,
                        const Lexicon& lexicon);

}  // namespace kneechat::understanding_internal

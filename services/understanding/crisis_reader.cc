#include "services/understanding/crisis_reader.h"

#include <utility>

#include "services/understanding/crisis_scorer.h"

namespace kneechat::understanding_internal {
namespace {

struct Span {
  size_t begin;
  size_t end;
};

bool Inside(const PatternHit& hit, const std::vector<Span>& spans) {
  for (const Span& s : spans) {
    if (hit.begin < s.end && s.begin < hit.end) return true;
  }
  return false;
}

}  // namespace

CrisisSignal ReadCrisis(const CanonicalText& text, std::string_view raw,
                        const Lexicon& lexicon) {
  CrisisSignal out;
  bool denied = false;
  bool figurative = false;  // a figure of speech or a past event somewhere
  std::vector<size_t> venting;
  for (size_t s = 0; s < text.sentences.size(); ++s) {
    const std::string& sentence = text.sentences[s].text;
    const std::vector<PatternHit> hits = lexicon.crisis.FindAll(sentence);
    // A figure of speech ("this knee is killing me") and an explicit
    // denial ("I'm not going to hurt myself") each take back the crisis
    // phrases inside them; a denial elsewhere leaves a wish standing.
    std::vector<Span> figures;
    for (const PatternHit& hit : hits) {
      const CrisisTier tier =
          lexicon.crisis_tiers[lexicon.crisis.payload(hit.pattern)];
      if (tier == CrisisTier::kFigure || tier == CrisisTier::kDenial) {
        figures.push_back({hit.begin, hit.end});
        if (tier == CrisisTier::kFigure) figurative = true;
      }
    }
    bool danger = false, wish = false, vent = false, means = false;
    bool past = false;
    for (const PatternHit& hit : hits) {
      const CrisisTier tier =
          lexicon.crisis_tiers[lexicon.crisis.payload(hit.pattern)];
      if (tier == CrisisTier::kDenial) {
        denied = true;
        continue;
      }
      if (tier == CrisisTier::kPast) {
        past = true;
        figurative = true;
        continue;
      }
      if (tier == CrisisTier::kFigure || Inside(hit, figures)) continue;
      switch (tier) {
        case CrisisTier::kDanger:
          danger = true;
          break;
        case CrisisTier::kMeans:
          means = true;
          break;
        case CrisisTier::kWish:
          wish = true;
          break;
        case CrisisTier::kVenting:
          vent = true;
          break;
        case CrisisTier::kDenial:
          denied = true;
          break;
        case CrisisTier::kFigure:
        case CrisisTier::kPast:
          break;
      }
    }
    // An attempt or plan told as history ("years ago, as a teenager") is a
    // past attempt: a crisis thought, not danger now (C-SSRS counts
    // behaviour within three months as recent).
    if (danger && past) {
      danger = false;
      wish = true;
    }
    // "My brother took his own life many years ago": grief for what
    // happened long ago, not a thought now.
    if (past) vent = false;
    if (danger) out.danger_sentences.push_back(s);
    if (wish) out.thought_sentences.push_back(s);
    if (vent && !wish) venting.push_back(s);
    if (means) out.means_sentences.push_back(s);
  }
  // The safety net: wordings no pattern names, read like venting (a denial
  // in the message takes it back). A message with a figure of speech or a
  // past event in it has had its crisis-looking words explained already.
  if (out.danger_sentences.empty() && out.thought_sentences.empty() &&
      venting.empty() && !figurative && lexicon.crisis_scorer != nullptr &&
      lexicon.crisis_scorer->Flags(raw)) {
    for (size_t s = 0; s < text.sentences.size(); ++s) venting.push_back(s);
  }
  // A denial anywhere in the message ("I'm not suicidal, just can't go on
  // like this with the pain") takes back the venting, never a wish.
  if (!denied) {
    out.thought_sentences.insert(out.thought_sentences.end(), venting.begin(),
                                 venting.end());
  }
  return out;
}

}  // namespace kneechat::understanding_internal

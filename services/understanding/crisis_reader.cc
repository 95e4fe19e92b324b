#include "services/understanding/crisis_reader.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "services/understanding/crisis_scorer.h"
#include "services/understanding/person_shift.h"

namespace kneechat::understanding_internal {
namespace {

struct Span {
  size_t begin;
  size_t end;
};

// How many separate stretches the spans cover (overlapping ones are one).
size_t DisjointSpans(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  size_t count = 0, end = 0;
  for (const Span& s : spans) {
    if (count == 0 || s.begin >= end) {
      ++count;
      end = s.end;
    } else {
      end = std::max(end, s.end);
    }
  }
  return count;
}

// Whether the words between byte offsets `from` and `to` of `words` turn
// the sentence ("but", "though", "mostly" ...): what follows is then told
// for its own sake.
bool TurnBetween(absl::string_view words, size_t from, size_t to) {
  static constexpr absl::string_view kTurns[] = {
      "but",  "though", "although", "however", "mostly", "anyway", "besides",
      "plus", "also",   "except",   "yet",     "still",  "and",    "then"};
  if (to <= from) return false;
  for (absl::string_view word :
       absl::StrSplit(words.substr(from, to - from), ' ', absl::SkipEmpty())) {
    for (absl::string_view turn : kTurns) {
      if (word == turn) return true;
    }
  }
  return false;
}

// Whether one of the two words before byte `at` of `words` denies what
// follows ("I'm not moving house", "never retiring").
bool DeniedBefore(absl::string_view words, size_t at) {
  static constexpr absl::string_view kDenials[] = {
      "not",  "never", "no",    "isnt", "arent", "wasnt",
      "wont", "dont",  "didnt", "aint", "cant"};
  std::vector<absl::string_view> before =
      absl::StrSplit(words.substr(0, at), ' ', absl::SkipEmpty());
  for (size_t i = before.size() >= 2 ? before.size() - 2 : 0; i < before.size();
       ++i) {
    for (absl::string_view denial : kDenials) {
      if (before[i] == denial) return true;
    }
  }
  return false;
}

// Whether the sentence opens by turning from what came before ("But
// mostly ...", "Also ..."): what it tells is then told for its own sake.
bool OpensWithTurn(absl::string_view sentence) {
  static constexpr absl::string_view kOpenings[] = {
      "but",    "though",  "although", "however", "mostly",
      "anyway", "besides", "plus",     "also",    "except",
      "yet",    "still",   "really",   "truth",   "honestly"};
  for (absl::string_view word :
       absl::StrSplit(sentence, ' ', absl::SkipEmpty())) {
    if (word == "," || word == "and" || word == "oh" || word == "so") {
      continue;
    }
    for (absl::string_view turn : kOpenings) {
      if (word == turn) return true;
    }
    return false;
  }
  return false;
}

// Whether a span holds the first word of `hit`.
bool HoldsStart(const PatternHit& hit, const std::vector<Span>& spans) {
  for (const Span& s : spans) {
    if (s.begin <= hit.begin && hit.begin < s.end) return true;
  }
  return false;
}

bool Inside(const PatternHit& hit, const std::vector<Span>& spans) {
  for (const Span& s : spans) {
    if (hit.begin < s.end && s.begin < hit.end) return true;
  }
  return false;
}

// What one sentence says, before the message-level rules.
struct SentenceReading {
  bool danger = false, wish = false, vent = false, means = false;
  bool past = false;
  // Acts of preparation read, as spans of the sentence's words; hits that
  // overlap are one act told by two rows.
  std::vector<Span> prep;
  // Those of them that put affairs in order or say goodbye (tier act).
  std::vector<Span> acts;
  bool figurative = false;  // a figure of speech or a past event
  bool denied = false;
  bool ordinary = false;  // an ordinary reason for what looks like prep
  bool current = false;   // told as now or to come ("again", "on Friday")
  bool earnest = false;   // "not as a joke": figures of speech do not hold
  // A life change (tier change) told in the sentence, not denied ("I'm not
  // moving house").
  bool change = false;
  bool Crisis() const {
    return danger || wish || vent || means || !prep.empty();
  }
};

// The sentence's two readings, made in one pass. `words`: the sentence
// without its commas (crisis frames span a clause break, "if this is my life
// from now on, I don't want it", as readily as a run of words). `reduced`:
// the same without its hedges, intensifiers and oaths too ("would genuinely
// love to just stop existing" reads as "would love to stop existing");
// empty when the sentence has none.
struct Readings {
  std::string words;
  std::string reduced;
};

Readings ReadingsOf(const std::string& sentence,
                    const absl::flat_hash_set<std::string>& fillers) {
  Readings out;
  out.words.reserve(sentence.size());
  out.reduced.reserve(sentence.size());
  bool has_filler = false;
  for (absl::string_view word : absl::StrSplit(sentence, ' ')) {
    if (word == "," || word.empty()) continue;
    if (!out.words.empty()) out.words.push_back(' ');
    out.words.append(word.data(), word.size());
    if (fillers.contains(word)) {
      has_filler = true;
      continue;
    }
    if (!out.reduced.empty()) out.reduced.push_back(' ');
    out.reduced.append(word.data(), word.size());
  }
  if (!has_filler) out.reduced.clear();
  return out;
}

SentenceReading ReadWords(const std::string& words, const Lexicon& lexicon,
                          bool earnest) {
  SentenceReading r;
  std::vector<PatternHit> hits = lexicon.crisis.FindAll(words);
  // Told as meant ("like actually, not as a joke"): a figure of speech in
  // the message explains nothing.
  if (earnest) {
    hits.erase(
        std::remove_if(hits.begin(), hits.end(),
                       [&lexicon](const PatternHit& hit) {
                         return lexicon.crisis_tiers[lexicon.crisis.payload(
                                    hit.pattern)] == CrisisTier::kFigure;
                       }),
        hits.end());
  }
  // A figure of speech ("this knee is killing me") and an explicit
  // denial ("I'm not going to hurt myself") each take back the crisis
  // phrases inside them; a denial elsewhere leaves a wish standing.
  std::vector<Span> figures;
  std::vector<Span> earnest_spans;  // "not lol": its "not" denies nothing
  std::vector<Span> means;
  std::vector<Span> reasons;    // ordinary reasons
  std::vector<Span> changes;    // life changes (tier change)
  std::vector<Span> farewells;  // acts that are danger on their own
  for (const PatternHit& hit : hits) {
    if (lexicon.crisis_tiers[lexicon.crisis.payload(hit.pattern)] ==
        CrisisTier::kEarnest) {
      earnest_spans.push_back({hit.begin, hit.end});
    }
  }
  // "ok not lol, I've been thinking of killing myself": a denial that
  // overlaps a word saying it is meant is not one.
  auto overlaps_earnest = [&earnest_spans](const PatternHit& hit) {
    for (const Span& e : earnest_spans) {
      if (hit.begin < e.end && e.begin < hit.end) return true;
    }
    return false;
  };
  for (const PatternHit& hit : hits) {
    const CrisisTier tier =
        lexicon.crisis_tiers[lexicon.crisis.payload(hit.pattern)];
    if (tier == CrisisTier::kDenial && overlaps_earnest(hit)) continue;
    if (tier == CrisisTier::kFigure || tier == CrisisTier::kDenial) {
      figures.push_back({hit.begin, hit.end});
      if (tier == CrisisTier::kFigure) r.figurative = true;
    }
  }
  for (const PatternHit& hit : hits) {
    const CrisisTier tier =
        lexicon.crisis_tiers[lexicon.crisis.payload(hit.pattern)];
    if (tier == CrisisTier::kDenial) {
      if (!overlaps_earnest(hit)) r.denied = true;
      continue;
    }
    if (tier == CrisisTier::kPast) {
      r.past = true;
      r.figurative = true;
      continue;
    }
    // "I'm not moving house": a denied life change explains nothing.
    if (tier == CrisisTier::kChange && DeniedBefore(words, hit.begin)) {
      continue;
    }
    if (tier == CrisisTier::kOrdinary || tier == CrisisTier::kChange) {
      r.ordinary = true;
      (tier == CrisisTier::kChange ? changes : reasons)
          .push_back({hit.begin, hit.end});
      continue;
    }
    if (tier == CrisisTier::kCurrent) {
      r.current = true;
      continue;
    }
    if (tier == CrisisTier::kEarnest) {
      r.earnest = true;
      continue;
    }
    // A figure of speech takes back the crisis phrases it overlaps, but a
    // plan or a means only when the figure holds its first word ("I could
    // kill for a takeaway"): "put a climbing rope over the beam" is a plan
    // whatever the rope is for.
    const bool strong =
        tier == CrisisTier::kDanger || tier == CrisisTier::kMeans;
    if (tier == CrisisTier::kFigure ||
        (strong ? HoldsStart(hit, figures) : Inside(hit, figures))) {
      continue;
    }
    switch (tier) {
      case CrisisTier::kDanger:
        r.danger = true;
        break;
      case CrisisTier::kMeans:
        means.push_back({hit.begin, hit.end});
        break;
      case CrisisTier::kWish:
        r.wish = true;
        break;
      case CrisisTier::kVenting:
        r.vent = true;
        break;
      case CrisisTier::kPrep:
        r.prep.push_back({hit.begin, hit.end});
        break;
      case CrisisTier::kFarewell:
        farewells.push_back({hit.begin, hit.end});
        [[fallthrough]];
      case CrisisTier::kAct:
        r.prep.push_back({hit.begin, hit.end});
        r.acts.push_back({hit.begin, hit.end});
        break;
      case CrisisTier::kDenial:
      case CrisisTier::kFigure:
      case CrisisTier::kPast:
      case CrisisTier::kOrdinary:
      case CrisisTier::kEarnest:
        break;
    }
  }
  // "Given my son my passwords so he can pay the bills while I'm in": an
  // ordinary reason or a life change takes back the preparation and means
  // told before it (not a plan or a wish).
  auto before_any = [](const std::vector<Span>& list, const Span& span) {
    for (const Span& reason : list) {
      if (span.begin < reason.end) return true;
    }
    return false;
  };
  auto before_reason = [&](const Span& span) {
    return before_any(reasons, span) || before_any(changes, span);
  };
  // A life change also explains the acts right after it, up to a turn or
  // an "and" ("retiring Friday, said goodbye to all the lads"), but not
  // "because I can't walk her, but mostly so she's sorted before I go".
  auto after_change = [&](const Span& span) {
    for (const Span& change : changes) {
      if (span.begin >= change.end &&
          !TurnBetween(words, change.end, span.begin)) {
        return true;
      }
    }
    return false;
  };
  auto explained = [&](const Span& span) {
    return before_reason(span) || after_change(span);
  };
  const size_t before = r.prep.size() + means.size();
  r.prep.erase(std::remove_if(r.prep.begin(), r.prep.end(), explained),
               r.prep.end());
  r.acts.erase(std::remove_if(r.acts.begin(), r.acts.end(), explained),
               r.acts.end());
  means.erase(std::remove_if(means.begin(), means.end(), before_reason),
              means.end());
  // "Said my goodbyes" is danger on its own unless a life change explains
  // it ("last week at the depot after 38 years, done my goodbyes").
  for (const Span& farewell : farewells) {
    if (!before_any(changes, farewell) && !after_change(farewell)) {
      r.danger = true;
    }
  }
  r.change = !changes.empty();
  r.means = !means.empty();
  // A reason that took something back and left nothing standing explains
  // the sentence: like a figure of speech, it keeps the word-score safety
  // net quiet. A reason with nothing to explain leaves the net alone.
  const bool took_back = r.prep.size() + means.size() < before;
  if (took_back && r.prep.empty() && !r.means) r.figurative = true;
  return r;
}

// Reads the sentence as written (commas aside), then without its fillers
// when that differs; the second reading only adds. A sentence with a figure
// of speech or a denial in it is read as written only, since leaving words
// out could break the figure apart ("really dying to").
SentenceReading ReadSentence(const std::string& sentence,
                             const Lexicon& lexicon, bool earnest) {
  const Readings readings = ReadingsOf(sentence, lexicon.crisis_fillers);
  SentenceReading r = ReadWords(readings.words, lexicon, earnest);
  if (r.figurative || r.denied || readings.reduced.empty()) return r;
  const SentenceReading more = ReadWords(readings.reduced, lexicon, earnest);
  if (more.figurative || more.denied) return r;
  r.danger |= more.danger;
  r.wish |= more.wish;
  r.vent |= more.vent;
  r.means |= more.means;
  r.past |= more.past;
  r.current |= more.current;
  r.change |= more.change;
  if (r.ordinary) return r;  // the second reading could undo its reason
  if (r.prep.empty()) {      // spans of the other reading
    r.prep = more.prep;
    r.acts = more.acts;
  }
  return r;
}

// The message read with its figures of speech (`earnest` false) or without
// them; `*told_earnest` is set when a sentence says it is meant.
CrisisSignal ReadMessage(const CanonicalText& text, std::string_view raw,
                         const Lexicon& lexicon, bool earnest,
                         bool* told_earnest) {
  CrisisSignal out;
  bool denied = false;
  bool figurative = false;  // a figure of speech or a past event somewhere
  std::vector<size_t> venting;
  std::vector<size_t> prep_sentences;
  std::vector<size_t> act_sentences;
  size_t prep_acts = 0;
  bool change_told = false;  // a life change in the sentence before
  for (size_t s = 0; s < text.sentences.size(); ++s) {
    const std::string& sentence = text.sentences[s].text;
    SentenceReading r = ReadSentence(sentence, lexicon, earnest);
    if (r.earnest) *told_earnest = true;
    // A relative's or friend's crisis, told by someone worried about them
    // ("my daughter says she wants to die"), is read with the same frames
    // in the first person. It is a crisis thought (URGENT, with the crisis
    // line) or, with a plan or means, danger; a means alone stays quiet.
    // Their acts of preparation ("Mum's been giving all her things away")
    // count as one's own would: two are danger, also when one of them was
    // read without the shift ("and she's written cards to the grandkids").
    // Not tried when the sentence already holds a thought, a plan or a
    // means read without it; an ordinary reason in the shifted reading
    // takes back only its preparation.
    const bool only_prep = !r.danger && !r.wish && !r.vent && !r.means;
    if (only_prep && !r.figurative && !r.denied) {
      const std::string shifted = ShiftToFirstPerson(sentence);
      if (shifted != sentence) {
        const SentenceReading other = ReadSentence(shifted, lexicon, earnest);
        if (!other.figurative && !other.denied && !other.past) {
          if (r.prep.empty()) {
            r.danger = other.danger;
            r.wish = other.wish || other.vent;
          }
          if (!other.ordinary &&
              DisjointSpans(other.prep) > DisjointSpans(r.prep)) {
            r.prep = other.prep;
            r.acts = other.acts;
          }
        }
      }
    }
    // "We're emigrating in March. Most of the furniture has gone to my
    // sister and I've said goodbye to everyone at work": a life change
    // explains the acts of the sentence right after it, as it does inside
    // its own sentence; not a sentence that turns ("But mostly I want them
    // sorted before I go"), nor one with a thought, a means or danger of
    // its own (farewells such as "written my letters" stay danger).
    if (change_told && !r.prep.empty() && !r.wish && !r.vent && !r.means &&
        !r.danger && !r.past && !OpensWithTurn(sentence)) {
      r.prep.clear();
      r.acts.clear();
      r.figurative = true;
    }
    change_told = r.change;
    if (r.denied) denied = true;
    if (r.figurative) figurative = true;
    bool danger = r.danger, wish = r.wish, vent = r.vent, means = r.means;
    // Not history when the sentence also tells the present or what is to
    // come ("overdosed last year and I'm going to do it on Friday").
    const bool past = r.past && !r.current;
    // An attempt or plan told as history ("years ago, as a teenager") is a
    // past attempt: a crisis thought, not danger now (C-SSRS counts
    // behaviour within three months as recent).
    if (danger && past) {
      danger = false;
      wish = true;
    }
    // The means of that past attempt ("in hospital after an overdose last
    // year") is not a means at hand now.
    if (past) means = false;
    // "My brother took his own life many years ago": grief for what
    // happened long ago, not a thought now.
    if (past) vent = false;
    if (danger) out.danger_sentences.push_back(s);
    if (wish) out.thought_sentences.push_back(s);
    if (vent && !wish) venting.push_back(s);
    if (means) out.means_sentences.push_back(s);
    if (!r.prep.empty() && !past) {
      prep_sentences.push_back(s);
      if (!r.acts.empty()) act_sentences.push_back(s);
      prep_acts += DisjointSpans(r.prep);
    }
  }
  // Acts of preparation (giving things away, goodbyes, affairs put in
  // order): one is a means, EMERGENCY only with a crisis thought; two
  // different ones in a message are a plan being carried out (C-SSRS
  // preparatory behaviour).
  // An act beside a means named in the same message ("wrote the letters;
  // the tablets are in the drawer", "keep going up the car park to see how
  // high the railings are") is one too.
  const bool act_and_means =
      !prep_sentences.empty() && !out.means_sentences.empty();
  for (size_t s : prep_sentences) {
    (prep_acts >= 2 || act_and_means ? out.danger_sentences
                                     : out.means_sentences)
        .push_back(s);
  }
  // One act of putting affairs in order or saying goodbye, alone: kneechat
  // checks gently and asks directly (finding crisis_prep, URGENT).
  if (prep_acts < 2 && !act_and_means) out.prep_sentences = act_sentences;
  // A message that denies a crisis ("I'm not suicidal, I signed my will
  // because everyone my age should") adds no step to join with another.
  if (!denied) out.step_sentences = prep_sentences;
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

}  // namespace

CrisisSignal ReadCrisis(const CanonicalText& text, std::string_view raw,
                        const Lexicon& lexicon) {
  bool told_earnest = false;
  CrisisSignal out =
      ReadMessage(text, raw, lexicon, /*earnest=*/false, &told_earnest);
  // "I literally wanted to die when they all laughed. Like actually, not as
  // a joke.": told as meant, what looked like a figure of speech is not one.
  if (told_earnest) {
    out = ReadMessage(text, raw, lexicon, /*earnest=*/true, &told_earnest);
  }
  return out;
}

}  // namespace kneechat::understanding_internal

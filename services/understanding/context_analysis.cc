#include "services/understanding/context_analysis.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace kneechat::understanding_internal {
namespace {

// Words that may join list items after a comma: "not red, or hot".
bool IsListConnector(const std::string& word) {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "or",     "nor",  "and", "any",  "no", "not",
      "really", "very", "too", "even", "at", "all"};
  return words->contains(word);
}

// A word that opens a statement about someone: "she is normal".
bool IsSubject(const std::string& word) {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "i", "im", "he", "hes", "she", "shes", "they", "theyre", "we", "were"};
  return words->contains(word);
}

// Words allowed between a phrase and its post-negation: "swelling is none",
// "temp was normal".
bool IsLinkingWord(const std::string& word) {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "is",   "was",   "are",  "were", "seems",  "seem",     "looks",
      "look", "feels", "feel", "all",  "now",    "totally",  "completely",
      "its",  "been",  "has",  "have", "seemed", "basically"};
  return words->contains(word);
}

std::string WithoutBytes(const std::string& text, size_t begin, size_t end) {
  std::string out = text.substr(0, begin) + " " + text.substr(end);
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed.push_back(c);
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

// Whether a verb in the clause is in the past tense ("was", "went", any
// "-ed" word of five letters or more).
bool ToldInThePast(const Clause& clause) {
  static const auto* const kPast = new absl::flat_hash_set<std::string>{
      "was",  "were", "had",  "did",   "went",  "got",  "came", "felt",
      "gave", "took", "fell", "burst", "swole", "blew", "hurt", "kept"};
  for (const Word& w : clause.words) {
    if (kPast->contains(w.text) ||
        (w.text.size() > 4 && absl::EndsWith(w.text, "ed"))) {
      return true;
    }
  }
  return false;
}

}  // namespace

ContextAnalysis::ContextAnalysis(const CanonicalText& text,
                                 const Lexicon& lexicon)
    : text_(text),
      lexicon_(lexicon),
      cues_(text.clauses.size()),
      findings_(text.clauses.size()),
      consumed_(text.clauses.size()),
      question_like_(text.sentences.size(), false) {
  for (size_t c = 0; c < text.clauses.size(); ++c) {
    const Clause& clause = text.clauses[c];
    for (const PatternHit& hit : lexicon.cues.FindAll(clause.text)) {
      CueHit cue;
      cue.kind = static_cast<Cue>(lexicon.cues.payload(hit.pattern));
      cue.begin = hit.begin;
      cue.end = hit.end;
      cue.first = clause.WordAt(hit.begin);
      cue.last = clause.WordAt(hit.end - 1);
      cues_[c].push_back(cue);
    }
    std::sort(cues_[c].begin(), cues_[c].end(),
              [](const CueHit& a, const CueHit& b) {
                return a.first != b.first ? a.first < b.first : a.last > b.last;
              });
    consumed_[c].assign(cues_[c].size(), false);
    for (const CueHit& cue : cues_[c]) {
      if (cue.kind == Cue::kQuestionMarker) {
        question_like_[clause.sentence] = true;
      }
      // "like my mate's did" compares; it does not change who is speaking.
      const bool comparison =
          cue.first > 0 && (clause.words[cue.first - 1].text == "like" ||
                            clause.words[cue.first - 1].text == "as" ||
                            clause.words[cue.first - 1].text == "than");
      if (comparison) continue;
      if (cue.kind == Cue::kOther || cue.kind == Cue::kFamilyHistory) {
        persons_.push_back({c, cue.first, true});
      } else if (cue.kind == Cue::kSelf) {
        persons_.push_back({c, cue.first, false});
      }
    }
  }
  for (size_t s = 0; s < text.sentences.size(); ++s) {
    if (text.sentences[s].question) question_like_[s] = true;
  }
  // "what if it locks and won't straighten": a clause opened by a joined
  // predicate goes on with the supposition of the clause before it.
  carried_hypothetical_.assign(text.clauses.size(), false);
  for (size_t c = 1; c < text.clauses.size(); ++c) {
    if (text.clauses[c].sentence != text.clauses[c - 1].sentence) continue;
    const bool joined =
        std::any_of(cues_[c].begin(), cues_[c].end(), [](const CueHit& cue) {
          return cue.kind == Cue::kContinuation && cue.first == 0;
        });
    if (!joined) continue;
    bool supposed = carried_hypothetical_[c - 1];
    for (const CueHit& cue : cues_[c - 1]) {
      if (cue.kind == Cue::kSupposition && !Cancelled(c - 1, cue)) {
        supposed = true;
      }
    }
    carried_hypothetical_[c] = supposed;
  }
  // Ordered by position; at one position "other" ("my son") after "self"
  // ("my"), so that it wins.
  std::stable_sort(persons_.begin(), persons_.end(),
                   [](const PersonCue& a, const PersonCue& b) {
                     if (a.clause != b.clause) return a.clause < b.clause;
                     if (a.word != b.word) return a.word < b.word;
                     return !a.other && b.other;
                   });
}

void ContextAnalysis::SetFindings(size_t clause,
                                  const std::vector<PhraseHit>& findings) {
  findings_[clause] = findings;
  const std::vector<CueHit>& cues = cues_[clause];
  for (size_t i = 0; i < cues.size(); ++i) {
    if (cues[i].kind != Cue::kNegation) continue;
    for (const PhraseHit& phrase : findings) {
      if (phrase.negation_is_content) continue;
      if (cues[i].first >= phrase.first && cues[i].last <= phrase.last &&
          Intrinsic(clause, cues[i], phrase)) {
        consumed_[clause][i] = true;
      }
    }
  }
}

bool ContextAnalysis::HasCue(size_t clause, Cue kind) const {
  for (const CueHit& cue : cues_[clause]) {
    if (cue.kind == kind) return true;
  }
  return false;
}

// A trigger is part of the phrase if the phrase no longer matches without it
// ("can't bend" -> "bend"), as opposed to "calf's not swollen" -> "calf's
// swollen", which still matches and so is negated.
bool ContextAnalysis::Intrinsic(size_t clause, const CueHit& trigger,
                                const PhraseHit& phrase) const {
  if (trigger.begin < phrase.begin || trigger.end > phrase.end) return false;
  // The phrase's own text, and where the clause's bytes sit in it: over the
  // sentence for a sentence phrase, else the clause's part.
  const std::string& clause_text = text_.clauses[clause].text;
  const std::string matched =
      phrase.sentence
          ? phrase.sentence_match
          : clause_text.substr(phrase.begin, phrase.end - phrase.begin);
  const std::ptrdiff_t offset =
      phrase.sentence ? phrase.sentence_offset
                      : -static_cast<std::ptrdiff_t>(phrase.begin);
  const std::string without =
      WithoutBytes(matched, static_cast<size_t>(trigger.begin + offset),
                   static_cast<size_t>(trigger.end + offset));
  return !RE2::PartialMatch(without, phrase.bank->pattern(phrase.pattern));
}

bool ContextAnalysis::Cancelled(size_t clause, const CueHit& trigger) const {
  for (const CueHit& cue : cues_[clause]) {
    if (cue.kind == Cue::kPseudo && cue.first <= trigger.first &&
        cue.last >= trigger.first) {
      return true;
    }
  }
  return false;
}

size_t ContextAnalysis::ScopeEnd(size_t clause, size_t trigger_index) const {
  const Clause& c = text_.clauses[clause];
  const CueHit& trigger = cues_[clause][trigger_index];
  const size_t n = c.words.size();
  // Where a phrase-owned trigger starts, this scope stops.
  std::vector<bool> stop(n, false);
  for (size_t i = 0; i < cues_[clause].size(); ++i) {
    if (i != trigger_index && consumed_[clause][i] &&
        cues_[clause][i].first > trigger.last) {
      stop[cues_[clause][i].first] = true;
    }
    // "not been right since the crash": the event that dates a state is
    // not what the negation denies.
    if (cues_[clause][i].kind == Cue::kNegationStop &&
        cues_[clause][i].first > trigger.last) {
      stop[cues_[clause][i].first] = true;
    }
  }
  // A list item the negation can reach is a finding named bare ("no pop,
  // swelling"); an item that itself says all is well ("walked off fine")
  // is a new statement, and the list ends before it.
  auto starts_phrase = [&](size_t word) {
    for (const PhraseHit& p : findings_[clause]) {
      if (p.first == word && !p.negation_is_content) return true;
    }
    return false;
  };
  // A phrase whose negation is its own content (an "!id" row: "walked
  // fine", "can walk"), after a finding the negation already denies, is a
  // new statement even without a comma ("no fever walked fine"); as the
  // first thing denied it is what is denied ("no way I can walk").
  auto starts_all_clear = [&](size_t word) {
    for (const PhraseHit& p : findings_[clause]) {
      if (p.first == word && p.negation_is_content) return true;
    }
    return false;
  };
  auto finding_between = [&](size_t from, size_t to) {
    for (const PhraseHit& p : findings_[clause]) {
      if (p.first >= from && p.last < to && !p.negation_is_content) {
        return true;
      }
    }
    return false;
  };
  size_t end = trigger.last;
  size_t count = 0;
  size_t pos = trigger.last + 1;
  while (pos < n) {
    if (stop[pos]) break;
    if (starts_all_clear(pos) && finding_between(trigger.last + 1, pos)) break;
    if (c.words[pos].text == ",") {
      size_t next = pos + 1;
      while (next < n && IsListConnector(c.words[next].text)) ++next;
      if (next < n && starts_phrase(next)) {
        end = next - 1;
        pos = next;
        count = 0;
        continue;
      }
      break;
    }
    if (++count > kNegationWindow) break;
    end = pos;
    ++pos;
  }
  return end;
}

bool ContextAnalysis::Negated(size_t clause, const PhraseHit& phrase) const {
  const Clause& c = text_.clauses[clause];
  const std::vector<CueHit>& cues = cues_[clause];
  for (size_t i = 0; i < cues.size(); ++i) {
    const CueHit& trigger = cues[i];
    if (trigger.kind == Cue::kNegation) {
      if (consumed_[clause][i] || Cancelled(clause, trigger)) continue;
      // The "no" of "no temp" is the content of that phrase: it denies
      // nothing after it ("no temp walked home fine").
      bool owned = false;
      for (const PhraseHit& p : findings_[clause]) {
        if (p.negation_is_content && &p != &phrase &&
            p.first <= trigger.first && trigger.last <= p.last &&
            !(p.first == phrase.first && p.last == phrase.last)) {
          owned = true;
        }
      }
      if (owned) continue;
      const bool inside =
          trigger.first >= phrase.first && trigger.last <= phrase.last;
      if (inside) {
        if (trigger.last < phrase.last && !Intrinsic(clause, trigger, phrase)) {
          return true;
        }
      } else if (trigger.last < phrase.first &&
                 ScopeEnd(clause, i) >= phrase.first) {
        // A phrase that itself states absence ("walks fine") is turned
        // round only by a negation of its own ("no way he walks fine"), not
        // by one carried along a list ("he isn't limping and walks fine").
        if (phrase.negation_is_content &&
            std::any_of(c.words.begin() + trigger.last + 1,
                        c.words.begin() + phrase.first, [](const Word& w) {
                          return w.text == "and" || w.text == "," ||
                                 w.text == "or" || w.text == "but";
                        })) {
          continue;
        }
        // Nor by "without" and its object before the phrase's own subject:
        // "without shoes she is normal" (not "no way she is fine", "I
        // wouldn't say she is ok").
        if (phrase.negation_is_content && trigger.last + 1 < phrase.first &&
            c.words[trigger.first].text == "without" &&
            IsSubject(c.words[phrase.first].text)) {
          continue;
        }
        return true;
      }
    } else if (trigger.kind == Cue::kNegationPost) {
      // "walked home fine": a trailing "fine" agrees with a phrase that
      // states absence; it does not negate it.
      if (phrase.negation_is_content) continue;
      if (Cancelled(clause, trigger) || trigger.first <= phrase.last ||
          trigger.first - phrase.last > 3) {
        continue;
      }
      bool blocked = false;
      for (size_t w = phrase.last + 1; w < trigger.first; ++w) {
        if (!IsLinkingWord(c.words[w].text)) blocked = true;
      }
      for (const PhraseHit& other : findings_[clause]) {
        if (other.first > phrase.last && other.first < trigger.first) {
          blocked = true;
        }
      }
      // It must end the clause or a list item: the next word is a comma,
      // or the cue's own pattern ends with one ("swelling x , redness x").
      const size_t after = trigger.last + 1;
      if (after < c.words.size() && c.words[after].text != "," &&
          c.words[trigger.last].text != ",") {
        blocked = true;
      }
      if (!blocked) return true;
    }
  }
  return false;
}

void ContextAnalysis::AssessContext(size_t clause, size_t first, size_t last,
                                    Assessment* out) const {
  const Clause& c = text_.clauses[clause];
  const std::vector<CueHit>& cues = cues_[clause];
  const bool question_like = question_like_[c.sentence];
  if (carried_hypothetical_[clause]) out->hypothetical = true;
  for (const CueHit& cue : cues) {
    switch (cue.kind) {
      case Cue::kHedge: {
        // A hedge after a comma hedges its own stretch of the clause when
        // that stretch tells something of its own (a sign, or three words
        // or more: "she went over in the kitchen, caught her slipper on the
        // mat I think" - the slipper is unsure, not the fall); a hedge with
        // nothing else after its comma hedges what came before ("it's
        // swollen, I think").
        size_t comma = c.words.size();
        for (size_t w = last + 1; w < cue.first && w < c.words.size(); ++w) {
          if (c.words[w].text == ",") comma = w;
        }
        bool own_stretch = comma < c.words.size() && cue.first >= comma + 4;
        if (comma < c.words.size()) {
          for (const PhraseHit& other : findings_[clause]) {
            if (other.first > comma && other.last < cue.first) {
              own_stretch = true;
            }
          }
        }
        if (!own_stretch) out->hedged = true;
        break;
      }
      case Cue::kHypothetical:
        if (cue.first <= last && !Cancelled(clause, cue)) {
          out->hypothetical = true;
        }
        break;
      case Cue::kConditional: {
        if (!question_like || cue.last >= first || Cancelled(clause, cue)) {
          break;
        }
        bool comma = false;
        for (size_t w = cue.last + 1; w < first; ++w) {
          if (c.words[w].text == ",") comma = true;
        }
        if (!comma) out->hypothetical = true;
        break;
      }
      case Cue::kFamilyHistory:
        // "my mum had a fall this morning" is not her history.
        if (!HasCue(clause, Cue::kCurrent)) {
          out->historical = true;
          out->family = true;
        }
        break;
      case Cue::kHistory: {
        // "started locking two months ago": the time dates a problem that
        // goes on, not a past one.
        if (Cancelled(clause, cue)) break;
        bool separated = false;
        for (const CueHit& now : cues) {
          if (now.kind != Cue::kCurrent) continue;
          const bool between = (now.first > cue.last && now.last < first) ||
                               (now.first > last && now.last < cue.first);
          if (between) separated = true;
        }
        if (!separated) out->historical = true;
        break;
      }
      default:
        break;
    }
  }
  // "Two months ago, my knee was locking": a time set before the clause,
  // in a clause of its own, dates this one too, unless this one says it
  // is so now.
  if (!out->historical && !HasCue(clause, Cue::kCurrent) &&
      (FrontedHistory(clause) || HistoryGoesOn(clause))) {
    out->historical = true;
  }
  // Experiencer: the last person named at or before the phrase.
  const PersonCue* chosen = nullptr;
  for (const PersonCue& p : persons_) {
    if (p.clause < clause || (p.clause == clause && p.word <= first)) {
      chosen = &p;
    }
  }
  if (chosen == nullptr) {
    for (const PersonCue& p : persons_) {
      if (p.clause == clause && p.word > first) {
        if (chosen != nullptr && chosen->word != p.word) break;
        chosen = &p;  // at one position, "other" comes last
      }
    }
  }
  // "My wife kicked me in the knee", "a lad tackled me", "his mate kicked
  // him": the person the phrase acts on (inside it or right after it) is
  // the one it happened to, whoever did it.
  for (const PersonCue& p : persons_) {
    if (p.clause == clause && p.word > first && p.word <= last + 1) {
      chosen = &p;
      break;
    }
  }
  out->other = chosen != nullptr && chosen->other;
  if (HasCue(clause, Cue::kFamilyHistory)) out->other = true;
}

bool ContextAnalysis::FrontedHistory(size_t clause) const {
  if (clause == 0) return false;
  const size_t before = clause - 1;
  const Clause& c = text_.clauses[before];
  if (c.sentence != text_.clauses[clause].sentence) return false;
  if (!findings_[before].empty()) return false;
  // "Six months ago, my calf is swollen", "Last summer, my knee started
  // locking": a clause told in the present, or telling a start, is about
  // now, whatever time was set before it.
  static const auto* const kOngoing = new absl::flat_hash_set<std::string>{
      "is",    "are",   "am",     "has",     "have",     "keeps",
      "keep",  "still", "cant",   "cannot",  "wont",     "doesnt",
      "dont",  "isnt",  "arent",  "started", "starting", "began",
      "begun", "start", "starts", "since"};
  for (const Word& w : text_.clauses[clause].words) {
    if (kOngoing->contains(w.text)) return false;
  }
  for (const CueHit& cue : cues_[before]) {
    if (cue.kind != Cue::kHistory || Cancelled(before, cue)) continue;
    // The clause is the time phrase, give or take a word ("about two
    // months ago ,", "back in 2019 ,").
    size_t words = 0;
    for (const Word& w : c.words) {
      if (w.text != ",") ++words;
    }
    const size_t cue_words = cue.last - cue.first + 1;
    if (words <= cue_words + kFrontedSlack) return true;
  }
  return LongAgoNarrative(clause, *kOngoing);
}

// "Three years ago I had gout in this knee, it was red and hot": a sentence
// that opens on a time years back tells its past-tense clauses in that
// time, up to the first one told in the present. Only years back: a
// fortnight ago is close enough to count now.
bool ContextAnalysis::LongAgoNarrative(
    size_t clause, const absl::flat_hash_set<std::string>& ongoing) const {
  static const auto* const kLongAgo = new absl::flat_hash_set<std::string>{
      "year", "years", "yrs",      "decade", "decades", "was", "childhood",
      "kid",  "child", "teenager", "teen",   "school",  "uni"};
  const size_t sentence = text_.clauses[clause].sentence;
  size_t first = clause;
  while (first > 0 && text_.clauses[first - 1].sentence == sentence) --first;
  if (first == clause) return false;
  bool opens_long_ago = false;
  for (const CueHit& cue : cues_[first]) {
    if (cue.kind != Cue::kHistory || cue.first > 2 || Cancelled(first, cue)) {
      continue;
    }
    const Clause& c = text_.clauses[first];
    for (size_t w = cue.first; w <= cue.last && w < c.words.size(); ++w) {
      const std::string& t = c.words[w].text;
      if (kLongAgo->contains(t) ||
          (t.size() == 4 && std::all_of(t.begin(), t.end(), [](char ch) {
             return absl::ascii_isdigit(ch);
           }))) {
        opens_long_ago = true;
      }
    }
  }
  if (!opens_long_ago) return false;
  // The sentence closes the episode ("been fine since", "it settled"):
  // "years ago I had a DVT, my calf swelled up" may be telling of now.
  static const auto* const kClosed = new absl::flat_hash_set<std::string>{
      "since",   "settled",  "sorted",  "cleared", "recovered", "resolved",
      "healed",  "perfect",  "fine",    "better",  "gone",      "again",
      "treated", "operated", "drained", "fixed"};
  bool closed = false;
  for (size_t k = first;
       k < text_.clauses.size() && text_.clauses[k].sentence == sentence; ++k) {
    for (const Word& w : text_.clauses[k].words) {
      closed |= kClosed->contains(w.text);
    }
  }
  if (!closed) return false;
  for (size_t k = first + 1; k <= clause; ++k) {
    const Clause& c = text_.clauses[k];
    if (HasCue(k, Cue::kCurrent) || !ToldInThePast(c)) return false;
    for (const Word& w : c.words) {
      if (ongoing.contains(w.text)) return false;
    }
  }
  return true;
}

// "My left kneecap dislocated when I was 15. It went back in at A&E and I
// did the physio.": a sentence that opens on "it" (or "that", "which") and
// is told in the past tense, right after a sentence told as history, goes
// on with that story. Not when a clause up to this one is told now or
// names a time close by ("It came out again last week"), and not a person's
// story ("She fell and couldn't get up" may be today's).
// Whether the clause is told in the past and of the past only: a past
// verb, no current cue and no word of now ("is", "still", "again",
// "today", "since").
bool ContextAnalysis::OfThePastOnly(size_t clause) const {
  static const auto* const kNow = new absl::flat_hash_set<std::string>{
      "is",      "are",       "am",      "has",      "have",    "keeps",
      "keep",    "still",     "cant",    "cannot",   "wont",    "doesnt",
      "dont",    "isnt",      "arent",   "again",    "now",     "today",
      "tonight", "yesterday", "week",    "weekend",  "morning", "recently",
      "lately",  "since",     "started", "starting", "began"};
  if (HasCue(clause, Cue::kCurrent)) return false;
  for (const Word& w : text_.clauses[clause].words) {
    if (kNow->contains(w.text)) return false;
  }
  return ToldInThePast(text_.clauses[clause]);
}

bool ContextAnalysis::HistoryGoesOn(size_t clause) const {
  static const auto* const kAnaphor =
      new absl::flat_hash_set<std::string>{"it", "that", "which"};
  const size_t sentence = text_.clauses[clause].sentence;
  if (sentence == 0) return false;
  size_t first = clause;
  while (first > 0 && text_.clauses[first - 1].sentence == sentence) --first;
  const std::vector<Word>& opening = text_.clauses[first].words;
  if (opening.empty() || !kAnaphor->contains(opening[0].text)) return false;
  for (size_t k = first; k <= clause; ++k) {
    if (!OfThePastOnly(k)) return false;
  }
  for (size_t k = 0; k < first; ++k) {
    if (text_.clauses[k].sentence + 1 != sentence) continue;
    for (const CueHit& cue : cues_[k]) {
      if (cue.kind == Cue::kHistory && !Cancelled(k, cue)) return true;
    }
  }
  return false;
}

bool ContextAnalysis::OpensWithDating(size_t sentence) const {
  static const auto* const kThat = new absl::flat_hash_set<std::string>{
      "that", "this", "it", "which", "all", "thats", "its"};
  static const auto* const kWas = new absl::flat_hash_set<std::string>{
      "was", "were", "happened", "thats", "its"};
  bool dating = false;
  bool checked = false;
  for (size_t c = 0; c < text_.clauses.size(); ++c) {
    if (text_.clauses[c].sentence != sentence) continue;
    // Told as now or again of what came before ("that was 2016, but it's
    // doing it again now"): a current cue in a clause with no sign of its
    // own.
    // "It's never done it again" (over_kept) says the opposite.
    if (findings_[c].empty()) {
      for (const CueHit& cue : cues_[c]) {
        if (cue.kind != Cue::kCurrent || Cancelled(c, cue)) continue;
        bool kept = false;
        for (const CueHit& k : cues_[c]) {
          kept |= k.kind == Cue::kOverKept && k.first <= cue.first &&
                  k.last >= cue.last;
        }
        if (!kept) return false;
      }
    }
    if (checked) continue;
    const std::vector<Word>& words = text_.clauses[c].words;
    for (const CueHit& cue : cues_[c]) {
      if (cue.kind != Cue::kHistory || Cancelled(c, cue)) continue;
      checked = true;
      // "That was 2016", "it was years ago", "all that was back in May".
      for (size_t w = 0; w + 1 < words.size() && w < 3; ++w) {
        if (kThat->contains(words[w].text) &&
            kWas->contains(words[w + 1].text)) {
          dating = true;
        }
      }
    }
    // Dating only: a sign of its own in the clause that dates is not the
    // old one ("that was years ago, it's just stiff now" still dates).
    if (dating) {
      for (const PhraseHit& p : findings_[c]) {
        Assessment a;
        AssessContext(c, p.first, p.last, &a);
        if (!a.historical) return false;
      }
    }
  }
  return dating;
}

bool ContextAnalysis::DatedByTheNext(size_t sentence) const {
  // Once per sentence: every phrase of the sentence asks the same.
  if (dated_by_next_.empty()) {
    dated_by_next_.assign(text_.sentences.size(), false);
    for (size_t s = 0; s + 1 < text_.sentences.size(); ++s) {
      if (!DatesTheOneBefore(s + 1)) continue;
      bool past = true;
      for (size_t k = 0; k < text_.clauses.size(); ++k) {
        if (text_.clauses[k].sentence == s) past = past && OfThePastOnly(k);
      }
      dated_by_next_[s] = past;
    }
  }
  return dated_by_next_[sentence];
}

bool ContextAnalysis::DatesTheOneBefore(size_t sentence) const {
  for (size_t c = 0; c < text_.clauses.size(); ++c) {
    if (text_.clauses[c].sentence == sentence && !findings_[c].empty()) {
      return false;
    }
  }
  return OpensWithDating(sentence);
}

Revision ContextAnalysis::RevisesPrevious() const {
  Revision found = Revision::kNone;
  for (size_t c = 0; c < text_.clauses.size(); ++c) {
    if (text_.clauses[c].sentence != 0) break;
    for (const CueHit& cue : cues_[c]) {
      if (Cancelled(c, cue) || found != Revision::kNone) continue;
      if (cue.kind == Cue::kExplained || cue.kind == Cue::kExplainedOver) {
        // Every phrase of the sentence up to here is explained by it.
        for (size_t k = c;
             k < text_.clauses.size() && text_.clauses[k].sentence == 0; ++k) {
          for (const PhraseHit& p : findings_[k]) {
            if (k > c || p.first > cue.last) return Revision::kNone;
          }
        }
        found = Revision::kExplained;
      }
      if (cue.kind == Cue::kHistory && OpensWithDating(0)) {
        found = Revision::kDated;
      }
    }
  }
  return found;
}

bool ContextAnalysis::Explained(size_t clause, size_t last, Cue kind,
                                bool must_stay) const {
  const size_t sentence = text_.clauses[clause].sentence;
  for (size_t c = clause; c < text_.clauses.size(); ++c) {
    if (text_.clauses[c].sentence != sentence) {
      // An explanation that opens the next sentence ("Heard a crack.
      // Turns out it was my phone.", "It turned out to be an irritable
      // hip.", "Then I realised it was my phone.") explains this one too:
      // before it in its clause only words that lead into a discovery.
      static const auto* const kLeadIn = new absl::flat_hash_set<std::string>{
          "it",     "that",       "this",     "but",      "oh",   "ok",
          "okay",   "then",       "so",       "and",      "i",    "we",
          "he",     "she",        "realised", "realized", "saw",  "noticed",
          "found",  "discovered", "false",    "alarm",    "well", "actually",
          "anyway", "phew",       "lol",      "haha"};
      const std::vector<Word>& words = text_.clauses[c].words;
      auto led_in = [&](size_t first) {
        for (size_t w = 0; w < first && w < words.size(); ++w) {
          if (!kLeadIn->contains(words[w].text)) return false;
        }
        return first <= 4;
      };
      for (const CueHit& cue : cues_[c]) {
        if (cue.kind == kind && led_in(cue.first) && !Cancelled(c, cue) &&
            (!must_stay || Stays(c, cue))) {
          return true;
        }
      }
      break;
    }
    for (const CueHit& cue : cues_[c]) {
      if (cue.kind == kind && !Cancelled(c, cue) &&
          (c > clause || cue.first > last) && (!must_stay || Stays(c, cue))) {
        return true;
      }
    }
  }
  return false;
}

size_t ContextAnalysis::NextSentenceEnd(size_t clause) const {
  const size_t s = text_.clauses[clause].sentence;
  size_t end = clause + 1;
  while (end < text_.clauses.size() && text_.clauses[end].sentence <= s + 1) {
    ++end;
  }
  return end;
}

bool ContextAnalysis::OverForGood(size_t clause, size_t last) const {
  return Explained(clause, last, Cue::kExplainedOver, /*must_stay=*/true);
}

bool ContextAnalysis::Undoes(size_t clause, const CueHit& cue) const {
  if (cue.kind != Cue::kOverUndone) return false;
  // "fine since", "not happened again": the undoing word says it stayed
  // away.
  for (const CueHit& kept : cues_[clause]) {
    if (kept.kind == Cue::kOverKept && kept.first <= cue.first &&
        kept.last >= cue.last) {
      return false;
    }
  }
  // "... and grand | ever since": a termination ("ever since", "since then")
  // opened this clause right after an over_kept word closed the last one.
  if (cue.first <= 1 && clause > 0 &&
      text_.clauses[clause - 1].sentence == text_.clauses[clause].sentence) {
    const size_t closing = text_.clauses[clause - 1].words.size() - 1;
    for (const CueHit& kept : cues_[clause - 1]) {
      if (kept.kind == Cue::kOverKept && kept.last == closing) return false;
    }
  }
  return true;
}

bool ContextAnalysis::Stays(size_t clause, const CueHit& over) const {
  // Asked ("fine since?"), not told; a question word alone ("the list of
  // things to worry about") does not make it one.
  if (text_.sentences[text_.clauses[clause].sentence].question) return false;
  for (const CueHit& cue : cues_[clause]) {
    if (cue.first > over.last && Undoes(clause, cue)) return false;
  }
  return !UndoneAfter(clause);
}

bool ContextAnalysis::UndoneAfter(size_t clause) const {
  const size_t end = NextSentenceEnd(clause);
  for (size_t k = clause + 1; k < end; ++k) {
    for (const CueHit& cue : cues_[k]) {
      if (Undoes(k, cue)) return true;
    }
  }
  return false;
}

bool ContextAnalysis::OverByName(size_t clause, size_t last, bool other) const {
  const size_t sentence = text_.clauses[clause].sentence;
  const size_t end = NextSentenceEnd(clause);
  for (size_t c = clause; c < end; ++c) {
    const size_t s = text_.clauses[c].sentence;
    for (const CueHit& cue : cues_[c]) {
      if (cue.kind != Cue::kExplainedOverNamed || Cancelled(c, cue)) continue;
      if (c == clause && cue.first <= last) continue;
      // Of someone else than the sign ("his came back, mine hasn't").
      if (HasCue(c, Cue::kOther) != other) continue;
      bool void_cue = false;
      bool told_before = false;
      bool undone = question_like_[s];
      for (const CueHit& more : cues_[c]) {
        void_cue |= more.kind == Cue::kOverVoid && more.first <= cue.first &&
                    more.last >= cue.first;
        undone |= Undoes(c, more) && more.first > cue.last;
      }
      for (const PhraseHit& p : findings_[c]) {
        told_before |= p.first < cue.first;
      }
      if (void_cue || (s > sentence && told_before)) continue;
      // "... but I still can't feel them"; "Then it happened again."
      if (!undone && !UndoneAfter(c)) return true;
    }
    if (s > sentence && !findings_[c].empty()) break;
  }
  return false;
}

bool ContextAnalysis::Spans(size_t clause, Cue kind,
                            const CueHit& inner) const {
  for (const CueHit& cue : cues_[clause]) {
    if (cue.kind == kind && cue.first <= inner.first &&
        cue.last >= inner.last && !Cancelled(clause, cue)) {
      return true;
    }
  }
  return false;
}

bool ContextAnalysis::ThenOnly(size_t clause, size_t first) const {
  const size_t sentence = text_.clauses[clause].sentence;
  auto then_in = [&](size_t k) -> std::optional<std::pair<size_t, size_t>> {
    for (const CueHit& cue : cues_[k]) {
      if (cue.kind == Cue::kThenOnly && !Cancelled(k, cue)) {
        return std::make_pair(k, cue.first);
      }
    }
    return std::nullopt;
  };
  // The time, as (clause, word): in the phrase's clause, or in the clause
  // just before it in its sentence when the phrase's clause tells no time
  // of its own ("For the first couple of days, he wouldn't stand"; "couldn't
  // walk on it for the rest of that afternoon, I had to carry her"; not "at
  // first he wouldn't walk, I thought he'd be fine after a sleep, but he's
  // crawling today").
  std::optional<std::pair<size_t, size_t>> then = then_in(clause);
  if (!then && clause > 0 && text_.clauses[clause - 1].sentence == sentence &&
      !HasCue(clause, Cue::kCurrent)) {
    then = then_in(clause - 1);
  }
  if (!then) return false;
  // Now told between the time and the phrase ("I could walk at first, but
  // now, six hours later, I can't"); a time before the time dates the
  // injury ("fell seven weeks ago and couldn't walk for the first couple of
  // days"), and one after the phrase tells the recovery ("couldn't walk on
  // it for the first two days, all good now").
  for (size_t k = then->first; k <= clause; ++k) {
    for (const CueHit& cue : cues_[k]) {
      const bool after_then = k > then->first || cue.first > then->second;
      const bool before_phrase = k < clause || cue.last < first;
      if (cue.kind == Cue::kCurrent && !Cancelled(k, cue) && after_then &&
          before_phrase) {
        return false;
      }
    }
  }
  // What was so then goes on ("at first she couldn't stand on it and she
  // still can't", "... It's been four days and it's no better"; or told in
  // the sentence before: "No improvement at all. ... I couldn't straighten
  // it initially"), or came back only in part ("now she can bend it a bit,
  // only a quarter of the way"), told after it in its sentence or the two
  // after.
  size_t from = then->first;  // back to the first clause of the sentence before
  while (from > 0 && text_.clauses[from - 1].sentence + 1 >= sentence) --from;
  for (size_t k = from;
       k < text_.clauses.size() && text_.clauses[k].sentence <= sentence + 2;
       ++k) {
    for (const CueHit& cue : cues_[k]) {
      const bool after_then = text_.clauses[k].sentence < sentence ||
                              k > then->first ||
                              (k == then->first && cue.first > then->second);
      const bool after_phrase = k > clause || cue.first > first;
      // (Never cancelled: "no better" is also a pseudo-negation.)
      if ((cue.kind == Cue::kThenGoesOn && after_then) ||
          (cue.kind == Cue::kThenPartial && after_phrase)) {
        return false;
      }
    }
  }
  return true;
}

bool ContextAnalysis::ToldOverLater(size_t clause, size_t last,
                                    bool other) const {
  const auto key = std::make_tuple(clause, last, other);
  auto known = told_over_.find(key);
  if (known != told_over_.end()) return known->second;
  const bool over = ToldOverLaterOnce(clause, last, other);
  told_over_[key] = over;
  return over;
}

bool ContextAnalysis::ToldOverLaterOnce(size_t clause, size_t last,
                                        bool other) const {
  const size_t sentence = text_.clauses[clause].sentence;
  // The sign told again after the end, unless that telling has its own end
  // ("... all back, tingly for a bit and then nothing. Completely ordinary
  // since.").
  auto foot_sign = [&](const PhraseHit& p) {
    return lexicon_.long_standing_signs.count(FindingIdOf(p)) > 0;
  };
  auto told_again = [&](size_t k, const PhraseHit& p) {
    return foot_sign(p) && !Negated(k, p) && !RuleOf(p).absent &&
           !ToldOverLater(k, p.last, other);
  };
  // "... warmed up in 10 min, all pink again": the "again" of an end told
  // after it restates that end.
  auto restates = [&](size_t k, const CueHit& cue) {
    return cue.first == cue.last &&
           text_.clauses[k].words[cue.first].text == "again" &&
           Spans(k, Cue::kOverBack, cue);
  };
  // An over_when or over_kept cue in the sentence of clause `c` (its
  // clauses are contiguous).
  auto anchored = [&](size_t c) {
    const size_t s = text_.clauses[c].sentence;
    size_t k = c;
    while (k > 0 && text_.clauses[k - 1].sentence == s) --k;
    for (; k < text_.clauses.size() && text_.clauses[k].sentence == s; ++k) {
      for (const CueHit& cue : cues_[k]) {
        if ((cue.kind == Cue::kOverWhen || cue.kind == Cue::kOverKept) &&
            !Cancelled(k, cue)) {
          return true;
        }
      }
    }
    return false;
  };
  // What follows another part in a clause, and the clauses after it in its
  // sentence that tell no foot sign of their own ("both knees ache since
  // that day, especially when I kneel again"), is not the foot's.
  auto undone_later = [&](size_t c) {
    const size_t end = NextSentenceEnd(c);
    bool elsewhere = false;
    bool retold = false;  // a telling again, whose own end follows it
    for (size_t k = c + 1; k < end; ++k) {
      if (text_.clauses[k].sentence != text_.clauses[k - 1].sentence) {
        elsewhere = false;
      }
      const bool tells_sign =
          std::any_of(findings_[k].begin(), findings_[k].end(), foot_sign);
      if (elsewhere && !tells_sign) continue;
      // Asked of ("is numbness from cold bad?"), not told again.
      const size_t asked = text_.clauses[k].sentence;
      if (question_like_[asked] || text_.sentences[asked].question) continue;
      size_t from = SIZE_MAX;  // the first word about another part
      for (const CueHit& cue : cues_[k]) {
        if (cue.kind == Cue::kOverElsewhere) from = std::min(from, cue.first);
      }
      elsewhere = from != SIZE_MAX;
      // The sign told again ("... and numb ever since").
      for (const PhraseHit& p : findings_[k]) {
        if (p.first < from && told_again(k, p)) return true;
      }
      // The "again" or "came back" of that later end is not the sign's
      // return; with no telling between, it is ("back to normal in 10
      // mins, then it came back an hour later").
      for (const CueHit& cue : cues_[k]) {
        if (cue.first < from && Undoes(k, cue) &&
            !Spans(k, Cue::kOverWhen, cue) &&
            !(retold && Spans(k, Cue::kOverBack, cue)) && !restates(k, cue)) {
          return true;
        }
      }
      retold |= tells_sign;
    }
    return false;
  };
  for (size_t c = clause; c < text_.clauses.size(); ++c) {
    const size_t s = text_.clauses[c].sentence;
    if (s > sentence + 2) break;
    if (question_like_[s] || text_.sentences[s].question) continue;
    if (!other && HasCue(c, Cue::kOther)) continue;
    const std::vector<CueHit>& cues = cues_[c];
    for (const CueHit& back : cues) {
      if (back.kind != Cue::kOverBack || Cancelled(c, back)) continue;
      if (c == clause && back.first <= last) continue;
      // The first end told after the sign is the one read: a "came back"
      // after it is what followed ("back to normal in 10 mins, then it came
      // back an hour later").
      bool blocked = false;
      for (const PhraseHit& p : findings_[c]) {
        blocked |= p.first > back.last && told_again(c, p);
      }
      for (size_t j = 0; j < cues.size() && !blocked; ++j) {
        const CueHit& more = cues[j];
        blocked =
            (more.kind == Cue::kNegation && more.last < back.first &&
             ScopeEnd(c, j) >= back.first) ||
            (more.kind == Cue::kOverElsewhere && more.first < back.first) ||
            (more.kind == Cue::kOverVoid && more.first <= back.last) ||
            (more.first > back.last && Undoes(c, more) &&
             !Spans(c, Cue::kOverWhen, more) && !restates(c, more));
      }
      return !blocked && anchored(c) && !undone_later(c);
    }
  }
  return false;
}

const std::string& ContextAnalysis::FindingIdOf(const PhraseHit& hit) const {
  return RuleOf(hit).id;
}

const FindingRule& ContextAnalysis::RuleOf(const PhraseHit& hit) const {
  return lexicon_.finding_rules[hit.bank->payload(hit.pattern)];
}

bool ContextAnalysis::IsPersonWord(std::string_view word) {
  static const auto* persons = new absl::flat_hash_set<std::string_view>{
      "i",   "im",   "ive",   "id",       "ill",       "he",     "hes",
      "she", "shes", "we",    "they",     "you",       "my",     "his",
      "her", "our",  "their", "everyone", "everybody", "nobody", "someone"};
  return persons->contains(word);
}

bool ContextAnalysis::LaterFindingFits(size_t clause,
                                       const PhraseHit& hit) const {
  // A finding told absent ("could straighten it straight away", "no
  // swelling") never says the lock held.
  const FindingRule& rule = RuleOf(hit);
  return rule.absent || lexicon_.release_fits.count(rule.id) > 0 ||
         Negated(clause, hit);
}

bool ContextAnalysis::ReleasedHere(size_t clause,
                                   const PhraseHit& phrase) const {
  // Asked as well as told ("does a knee that locks for a moment need
  // A&E?"): the moment is the lock's either way.
  if (HasCue(clause, Cue::kOtherBodyPart)) return false;
  // Held, in the rest of its sentence ("... then I have to push it for
  // minutes to unlock it"); a time in the next one may be of anything
  // ("Been fine all day").
  const size_t sentence = text_.clauses[clause].sentence;
  for (size_t k = clause;
       k < text_.clauses.size() && text_.clauses[k].sentence == sentence; ++k) {
    // A time in a later clause with a finding of its own is that finding's
    // ("but it's been a bit stiff all day").
    if (HasCue(k, Cue::kReleaseHeld) && (k == clause || findings_[k].empty())) {
      return false;
    }
  }
  const size_t after_end = NextSentenceEnd(clause);
  auto same = [&phrase](const PhraseHit& other) {
    return other.bank == phrase.bank && other.pattern == phrase.pattern &&
           other.first == phrase.first && other.last == phrase.last;
  };
  const std::vector<Word>& words = text_.clauses[clause].words;
  for (const CueHit& cue : cues_[clause]) {
    if (cue.kind != Cue::kReleasedHere || Cancelled(clause, cue)) continue;
    // "my knee locked, for a moment I panicked": a moment that someone
    // else's doing follows is theirs.
    if (cue.last + 1 < words.size() && IsPersonWord(words[cue.last + 1].text)) {
      continue;
    }
    // The moment is the lock's when no other finding is told between them
    // ("my knee locked and my foot went numb for a second").
    const size_t from = std::min(cue.last, phrase.last);
    const size_t to = std::max(cue.first, phrase.first);
    const size_t after = std::max(cue.last, phrase.last);
    bool between = false;
    for (const PhraseHit& other : findings_[clause]) {
      if (same(other)) continue;
      if (other.first > from && other.first < to) between = true;
      // "jammed for a second and now won't straighten": a finding told
      // after both that says the lock held.
      if (other.first > after && !LaterFindingFits(clause, other)) {
        return false;
      }
    }
    if (between) continue;
    // What says the lock held is a finding ("... then stuck again", "won't
    // straighten") or a time (release_held), not the undoing words of a
    // sign told over: a catch may come back ("again", "every time") or
    // leave an ache "since".
    for (size_t k = clause + 1; k < after_end; ++k) {
      for (const PhraseHit& other : findings_[k]) {
        if (!LaterFindingFits(k, other)) return false;
      }
    }
    return true;
  }
  return false;
}

bool ContextAnalysis::Released(size_t clause, const PhraseHit& phrase) const {
  if (ReleasedHere(clause, phrase)) return true;
  const size_t end = NextSentenceEnd(clause);
  for (size_t c = clause + 1; c < end; ++c) {
    const size_t s = text_.clauses[c].sentence;
    // A lock that held for minutes or longer is true locking; a moment of
    // another part, or after something else told, is not the lock's.
    if (HasCue(c - 1, Cue::kReleaseHeld) || HasCue(c, Cue::kReleaseHeld) ||
        HasCue(c, Cue::kOtherBodyPart)) {
      return false;
    }
    // The clause's own findings: a finding told before its moment is
    // something else told in between; after it ("only for a second each
    // time, clicks"), it must go with a catch.
    // The moment opens the clause: a released cue, or a released_here one
    // at its first words ("..., just for a second, then fine"; not "I sat
    // down for a moment").
    const std::vector<Word>& words = text_.clauses[c].words;
    auto opens_alone = [&words](const CueHit& cue) {
      // At the clause's first words, and followed by nothing or a comma:
      // "for a moment I panicked" is the panic's.
      return cue.first <= 1 &&
             (cue.last + 1 >= words.size() || words[cue.last + 1].text == ",");
    };
    const CueHit* moment = nullptr;
    for (const CueHit& cue : cues_[c]) {
      if ((cue.kind == Cue::kReleased ||
           (cue.kind == Cue::kReleasedHere && opens_alone(cue))) &&
          !Cancelled(c, cue)) {
        moment = &cue;
        break;
      }
    }
    bool told_in_between = false;
    for (const PhraseHit& other : findings_[c]) {
      told_in_between |= moment == nullptr || other.first <= moment->last ||
                         !LaterFindingFits(c, other);
    }
    if (told_in_between) {
      // "the knee sort of stuck, I couldn't get it straight for a second or
      // two": the lock told again in its sentence, with the moment in that
      // clause, is let go with it.
      const std::string& id = FindingIdOf(phrase);
      bool restated = s == text_.clauses[clause].sentence;
      for (const PhraseHit& other : findings_[c]) {
        restated = restated && FindingIdOf(other) == id;
      }
      return restated && ReleasedHere(c, findings_[c].front());
    }
    if (question_like_[s]) continue;
    if (moment != nullptr) {
      // "For a few seconds. Then it never let go": the same undoing words
      // as a sign told over, or a finding told after the moment that does
      // not go with a catch (a click does: release_fits).
      const size_t after_end = NextSentenceEnd(c);
      for (size_t k = c + 1; k < after_end; ++k) {
        for (const PhraseHit& other : findings_[k]) {
          if (!LaterFindingFits(k, other)) return false;
        }
      }
      return !UndoneAfter(c);
    }
  }
  return false;
}

bool ContextAnalysis::CauseNear(size_t clause, Cue kind, bool knee_only,
                                std::optional<Cue> void_kind) const {
  // Not a cause denied ("no tattoo, nothing like that") or, for a cause of
  // the knee's, told of another part of the body ("a tattoo on my arm":
  // other_body_part).
  const size_t sentence = text_.clauses[clause].sentence;
  bool found = false;
  for (size_t c = 0; c < text_.clauses.size(); ++c) {
    const size_t s = text_.clauses[c].sentence;
    if (s + 1 < sentence || s > sentence + 1) continue;
    const std::vector<CueHit>& cues = cues_[c];
    for (size_t i = 0; i < cues.size(); ++i) {
      const CueHit& cue = cues[i];
      if (void_kind && cue.kind == *void_kind && !Cancelled(c, cue)) {
        return false;
      }
      if (cue.kind != kind || Cancelled(c, cue)) continue;
      bool denied = false;
      for (size_t j = 0; j < cues.size(); ++j) {
        if (cues[j].kind == Cue::kNegation && cues[j].last < cue.first &&
            ScopeEnd(c, j) >= cue.first) {
          denied = true;
        }
      }
      if (!denied && !(knee_only && HasCue(c, Cue::kOtherBodyPart))) {
        found = true;
      }
    }
  }
  return found;
}

Assessment ContextAnalysis::Assess(size_t clause,
                                   const PhraseHit& phrase) const {
  Assessment out;
  out.negated = Negated(clause, phrase);
  out.explained = Explained(clause, phrase.last, Cue::kExplained);
  out.exertion_explained =
      Explained(clause, phrase.last, Cue::kExplainedExertion);
  out.over = Explained(clause, phrase.last, Cue::kExplainedOver);
  out.skin_explained =
      CauseNear(clause, Cue::kExplainedSkin, /*knee_only=*/true);
  out.long_standing = CauseNear(clause, Cue::kLongStanding,
                                /*knee_only=*/false, Cue::kLongStandingVoid);
  out.cold_caused = CauseNear(clause, Cue::kColdCause, /*knee_only=*/false,
                              Cue::kColdCauseVoid);
  AssessContext(clause, phrase.first, phrase.last, &out);
  // "My kneecap slipped out once. That was seventeen years ago.": a sentence
  // that only dates dates the one before it, when that one is told in the
  // past and of the past only.
  if (!out.historical && DatedByTheNext(text_.clauses[clause].sentence)) {
    out.historical = true;
  }
  // A phrase read over its whole sentence ("kneecap slipped out when I was
  // 14 and went back") is dated by a time in any clause it may span.
  if (phrase.sentence && !out.historical && !HasCue(clause, Cue::kCurrent)) {
    const size_t sentence = text_.clauses[clause].sentence;
    for (size_t k = clause; k-- > 0 && text_.clauses[k].sentence == sentence;) {
      for (const CueHit& cue : cues_[k]) {
        if (cue.kind == Cue::kHistory && !Cancelled(k, cue)) {
          out.historical = true;
        }
      }
    }
  }
  return out;
}

Assessment ContextAnalysis::AssessWord(size_t clause, size_t word) const {
  Assessment out;
  AssessContext(clause, word, word, &out);
  return out;
}

}  // namespace kneechat::understanding_internal

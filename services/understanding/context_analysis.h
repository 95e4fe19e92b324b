// ConText for chat messages: decides whether a phrase found in a clause is
// negated, hedged, hypothetical, historical, or about someone else, from the
// cue lexicon (context_cues.tsv). Internal to the understanding layer.
//
// Rules (after NegEx/ConText, adapted to chat):
// - Negation runs forward from its trigger to the end of the clause, at most
//   kNegationWindow words, and across a comma only into a bare list item
//   ("not red, hot or swollen"). Pseudo-negations ("not sure", "not much")
//   cancel the trigger. A trigger that belongs to a phrase ("can't bend") is
//   part of that phrase: it does not negate it, and it ends other scopes.
// - Post-negation ("swelling: none", "temp normal") negates the phrase just
//   before it, when it closes the clause or list item.
// - Hedges make every finding in their clause unsure.
// - Hypothetical triggers cover what follows them in the clause; "if" only in
//   a question-like sentence, and only up to the next comma.
// - History covers its whole clause, except what a "current" cue ("still",
//   "now") separates from it, and is cancelled by a pseudo cue over it
//   ("started two months ago" dates a problem that goes on). A clause that
//   is only a past time ("Two months ago, my knee was locking": the time
//   and at most kFrontedSlack other words) dates the next clause of its
//   sentence too, unless that one has a current cue, is told in the
//   present ("Six months ago, my calf is swollen") or tells a start
//   ("Last summer, my knee started locking").
// - An "explained" cue ("it was my phone", "normal for me") takes back every
//   phrase before it in its sentence: the person has said what it was.
// - The experiencer is the last person named before the phrase in the
//   message ("my son ... he"), else the first named after it in its clause.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "services/understanding/canonical_text.h"
#include "services/understanding/lexicon.h"
#include "services/understanding/pattern_bank.h"
#include "services/understanding/understanding.h"

namespace kneechat::understanding_internal {

inline constexpr size_t kNegationWindow = 6;
inline constexpr size_t kFrontedSlack = 2;

struct CueHit {
  Cue kind;
  size_t first = 0;  // word indices in the clause, inclusive
  size_t last = 0;
  size_t begin = 0;  // bytes in the clause text
  size_t end = 0;
};

// A lexicon pattern (finding or slot) found in a clause.
struct PhraseHit {
  const PatternBank* bank = nullptr;
  int pattern = 0;
  size_t first = 0;  // word indices in the clause, inclusive
  size_t last = 0;
  size_t begin = 0;  // bytes in the clause text
  size_t end = 0;
  // "!id" phrases state absence themselves: their own negation words are
  // content, and they own no trigger.
  bool negation_is_content = false;
  // Matched over the whole sentence ("=id" rows) and placed in the clause
  // where it ends.
  bool sentence = false;
  // For a sentence phrase: the text it matched over the sentence, and where
  // its clause's bytes sit in it (match byte = clause byte + offset), so
  // that a negation inside it can be found to be part of it ("x-rayed it,
  // nothing broken").
  std::string sentence_match;
  std::ptrdiff_t sentence_offset = 0;
};

struct Assessment {
  bool negated = false;
  bool hedged = false;
  bool hypothetical = false;
  bool historical = false;
  bool other = false;
  // A relative's past ("my mum had a clot"): historical and someone else's.
  bool family = false;
  // The person put it down to something harmless later in the same
  // sentence ("heard a crack, but it was my phone"): not a finding at all.
  bool explained = false;
  // A harmless skin cause told in the sentence or the one either side of it
  // ("fell into nettles, now her knees are red"; "red and warm. Sunburnt.").
  bool skin_explained = false;
  // A foot sign told as of long standing in the sentence or one either side
  // ("my feet are always freezing, both of them, since I was a teen"), with
  // nothing there saying this time is different.
  bool long_standing = false;
  // A cold the foot was in told in the sentence or one either side ("toes
  // went white in the sea", "numb from the ice bath"), with nothing there
  // saying the foot stayed so (cold_cause_void: "still white indoors").
  bool cold_caused = false;
  // Exertion told as the reason later in the sentence ("breathless, but
  // that's because the lift was broken and it's nine flights"): explains
  // the exertion_sign findings only.
  bool exertion_explained = false;
  // Told as over later in the sentence ("numb for a bit, back to normal in
  // ten minutes"): taken back like `explained`, even beside a clot context.
  bool over = false;
};

class ContextAnalysis {
 public:
  ContextAnalysis(const CanonicalText& text, const Lexicon& lexicon);

  // Registers the finding phrases of a clause (before any Assess on it):
  // they form list items and own the negation triggers inside them.
  void SetFindings(size_t clause, const std::vector<PhraseHit>& findings);

  Assessment Assess(size_t clause, const PhraseHit& phrase) const;
  // The finding row a phrase was read by, and its finding id.
  const FindingRule& RuleOf(const PhraseHit& hit) const;
  const std::string& FindingIdOf(const PhraseHit& hit) const;
  // The context of a single word (a measure such as a temperature): all but
  // negation.
  Assessment AssessWord(size_t clause, size_t word) const;
  // Whether the message's first sentence explains what came before it
  // ("ok false alarm, the crack was my phone": every finding phrase of the
  // sentence lies before the explanation) or dates it ("that was in 2016",
  // with no current finding in the clause that dates): the previous
  // message. A later clause may tell something new ("..., it's just stiff
  // now").
  Revision RevisesPrevious() const;

  bool HasCue(size_t clause, Cue kind) const;
  // Whether an explained_over cue after the phrase ending at word `last` of
  // `clause` tells it over for good: no over_undone cue after that cue in
  // its clause, a later clause of its sentence or the next, and not in a
  // sentence that asks. Asked only for an over_relapse_sign finding that
  // Assess found `over`.
  bool OverForGood(size_t clause, size_t last) const;
  // Whether an explained_over_named cue tells the phrase ending at word
  // `last` of `clause` as over: after it in its sentence, or in the next
  // sentence with nothing told before it there ("Toes went white. I took
  // the strap off and they were pink again in five minutes."); of the same
  // person (`other`); never in a question-like sentence, under an over_void
  // cue ("came back only at the tips"), nor with an over_undone cue after it
  // in its clause, its sentence or the next ("... but I still can't feel
  // them", "Then it happened again").
  // Asked only for an over_named_sign finding.
  bool OverByName(size_t clause, size_t last, bool other) const;
  // Whether a later clause tells the foot sign ending at word `last` of
  // `clause` back to itself: an over_back cue ("the feeling returned",
  // "warm and pink again", "back to their usual colour") after it, in its
  // sentence or the two after, with an over_when or over_kept cue in the
  // same sentence (when it came back or that it stayed so: "within five
  // minutes", "once I got indoors", "fine since"). Not denied ("didn't warm
  // up"), not asked, not told after another part of the body in its clause
  // (over_elsewhere: "the knee was fine in minutes"), nor of someone else
  // when the sign is the writer's (`other` false), not under or after an
  // over_void cue in its clause ("usually they come back", "the left one
  // warmed up"), and with no over_undone cue after it in its clause or in a
  // later clause of its sentence or the next that is not about another part
  // ("... but the big toe is still numb"). Asked only for a
  // long_standing_sign finding; the guards of long standing apply to it.
  bool ToldOverLater(size_t clause, size_t last, bool other) const;
  // Whether the phrase starting at word `first` of `clause` is told as so
  // for the first hours or days only: a then_only cue ("for the first few
  // days", "at first", "that first night") in its clause, or in the clause
  // just before it in its sentence when its own clause has no current cue;
  // no current cue between that cue and the phrase ("I could walk at first,
  // but now, six hours later, I can't"; a time before the cue dates the
  // injury, "fell seven weeks ago and couldn't walk for the first couple of
  // days", and one after the phrase tells the recovery, "couldn't walk for
  // the first two days, all good now"); and, after it in its sentence or
  // the two after, no then_goes_on cue ("she still can't", "no better",
  // "same today"; also in the sentence before: "No improvement at all. ...
  // couldn't straighten it initially") nor then_partial cue ("can bend it
  // a bit", "only a few steps", "with a frame"). Asked only for a
  // then_only_sign, which is then read as past: how the knee is now is asked,
  // not assumed.
  bool ThenOnly(size_t clause, size_t first) const;
  // Whether a release cue (a moment: "for a second or two") is told of the
  // lock `phrase` of `clause`: in its own clause with no other finding
  // between them (released_here, asked or told; or so in a later clause of
  // its sentence that tells the same lock again), or opening a later clause
  // of its sentence or of the next one with no finding told in between
  // (released, told, with no over_undone cue after it); never with a lock
  // told as held (release_held) in its sentence or of a part that is not
  // the knee, nor with a finding after the moment other than an absent or
  // release_fits one ("then it clicked" goes with a catch, "now it won't
  // straighten" does not).
  // Asked only for a finding with a released_as relation.
  bool Released(size_t clause, const PhraseHit& phrase) const;
  const std::vector<CueHit>& cues(size_t clause) const { return cues_[clause]; }

 private:
  struct PersonCue {
    size_t clause;
    size_t word;
    bool other;
  };

  bool Intrinsic(size_t clause, const CueHit& trigger,
                 const PhraseHit& phrase) const;
  bool Cancelled(size_t clause, const CueHit& trigger) const;
  size_t ScopeEnd(size_t clause, size_t trigger_index) const;
  bool Negated(size_t clause, const PhraseHit& phrase) const;
  // Whether a cue of `kind` (kExplained, kExplainedOver or
  // kExplainedExertion) after the phrase ending at word `last` of `clause`,
  // in its sentence or opening the next one, puts the phrase down to
  // something harmless.
  // With `must_stay`, only a cue that Stays counts.
  bool Explained(size_t clause, size_t last, Cue kind,
                 bool must_stay = false) const;
  // One past the last clause of the sentence after `clause`'s: the window
  // (its sentence and the next) in which an end, a release or an undoing
  // word is read as told of what `clause` says.
  size_t NextSentenceEnd(size_t clause) const;
  // Whether the explained_over cue `over` of `clause` tells the sign over
  // for good: not in a question, and no over_undone cue after it in its
  // clause, a later clause of its sentence or the next ("gone in minutes,
  // now white again", "back to normal in ten minutes, then it came back"),
  // and not in a sentence that asks ("fine since?").
  bool Stays(size_t clause, const CueHit& over) const;
  // Whether `cue` of `clause` is an over_undone cue that no over_kept cue
  // spans ("since" in "fine since" undoes nothing).
  bool Undoes(size_t clause, const CueHit& cue) const;
  // Whether an over_undone cue lies in a clause after `clause`, in its
  // sentence or the next.
  bool UndoneAfter(size_t clause) const;
  // Whether a cue of `kind` lies in `clause`'s sentence or one either side,
  // not denied nor (`knee_only`) told of another part of the body, and
  // (when `void_kind` is given) no cue of `void_kind` there.
  bool CauseNear(size_t clause, Cue kind, bool knee_only,
                 std::optional<Cue> void_kind = std::nullopt) const;
  // ToldOverLater without the memo.
  bool ToldOverLaterOnce(size_t clause, size_t last, bool other) const;
  // Whether a cue of `kind` in `clause` spans `inner` ("since" in "fine
  // ever since").
  bool Spans(size_t clause, Cue kind, const CueHit& inner) const;
  // Released, for a moment told in the lock's own clause.
  bool ReleasedHere(size_t clause, const PhraseHit& phrase) const;
  // A word that opens someone's own doing ("i", "she", "everyone").
  static bool IsPersonWord(std::string_view word);
  // Whether sentence `sentence` dates what came before it: a clause of it
  // opens "that was" / "it was" with a history cue ("That was seventeen
  // years ago.", "it was 2016"), no sign of its own there is told as now,
  // and nothing in it is told as now or again (a current cue).
  bool OpensWithDating(size_t sentence) const;
  // OpensWithDating, with no sign of its own in the sentence at all ("That
  // was seventeen years ago."): it dates the sentence before it.
  bool DatesTheOneBefore(size_t sentence) const;
  // Whether sentence `sentence` is told in the past and of the past only
  // and the next one DatesTheOneBefore it (computed once per message).
  bool DatedByTheNext(size_t sentence) const;
  // Whether the clause is told in the past and of the past only (a past
  // verb; no current cue nor a word such as "is", "still", "today").
  bool OfThePastOnly(size_t clause) const;
  // Whether a finding of `clause` told after a moment goes with a catch let
  // go (Lexicon::release_fits: a click or a clunk, not the lock again) or is
  // told absent or negated.
  bool LaterFindingFits(size_t clause, const PhraseHit& hit) const;
  // Whether the clause before `clause`, in the same sentence, is a time
  // phrase of the past standing alone ("Two months ago, ...").
  bool FrontedHistory(size_t clause) const;
  bool LongAgoNarrative(size_t clause,
                        const absl::flat_hash_set<std::string>& ongoing) const;
  // Whether the clause goes on, in the past tense, with the story the
  // sentence before told as history ("My kneecap dislocated when I was 15.
  // It went back in at A&E.").
  bool HistoryGoesOn(size_t clause) const;
  void AssessContext(size_t clause, size_t first, size_t last,
                     Assessment* out) const;

  const CanonicalText& text_;
  const Lexicon& lexicon_;
  std::vector<std::vector<CueHit>> cues_;  // per clause
  std::vector<std::vector<PhraseHit>> findings_;
  std::vector<std::vector<bool>> consumed_;  // per clause, per cue hit
  std::vector<bool> question_like_;          // per sentence
  // Per clause: opened by a joined predicate (Cue::kContinuation) after a
  // clause with a supposition (Cue::kSupposition) or one carrying it, so
  // hypothetical too.
  std::vector<bool> carried_hypothetical_;
  std::vector<PersonCue> persons_;
  // DatedByTheNext, per sentence; filled on first use, after every clause's
  // findings are set.
  mutable std::vector<bool> dated_by_next_;
  // ToldOverLater by (clause, last word, other): a telling of the sign
  // again asks it of each later telling, so each is worked out once.
  mutable std::map<std::tuple<size_t, size_t, bool>, bool> told_over_;
};

}  // namespace kneechat::understanding_internal

// The understanding layer's curated knowledge, loaded from the reviewable
// TSV files in <corpus>/understanding/ (see each file's header for its
// format):
//   findings.tsv               the finding vocabulary (id, group, meaning)
//   findings_patterns*.tsv     phrases that report each finding
//   finding_relations.tsv      implies / overrides between findings
//   finding_slots.tsv          slot values a finding implies
//   context_cues.tsv           ConText cues: negation, hedges, history ...
//   slots.tsv                  slot vocabulary and how values combine
//   slot_patterns.tsv          phrases that fill slots
//   slot_answers.tsv           what yes/no/not sure means for each slot
//   intents.tsv                conversational intents
//   topic.tsv                  knee, leg, joint and pain vocabulary
//   spelling.tsv               typos, slang and contractions
//   crisis.tsv                 thoughts of suicide or self-harm (see the
//                              file for its tiers)
// Immutable after LoadLexicon(); safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "services/understanding/pattern_bank.h"

namespace kneechat::understanding_internal {

class SpellingCorrector;
class CrisisScorer;

// ConText cue kinds (context_cues.tsv, first column).
enum class Cue {
  kNegation,            // "no", "not", "never": negates what follows
  kNegationPost,        // "none", "normal": negates what just came before
  kPseudo,              // "not sure", "not only": looks like negation, is not
  kTermination,         // "but", "because", ", and my": ends a clause
  kHedge,               // "maybe", "i think": makes findings unsure
  kHypothetical,        // "what if", "in case", "could it be"
  kConditional,         // "if": hypothetical only in a question-like sentence
  kQuestionMarker,      // "should", "what": makes a sentence question-like
  kHistory,             // "years ago", "history of", "used to"
  kCurrent,             // "still", "now": blocks history for what follows
  kFamilyHistory,       // "my mum had": historical and about someone else
  kOther,               // "my son", "she": someone else is the experiencer
  kSelf,                // "i", "my": the person typing
  kActual,              // "mine is too": a hypothetical just asked is real
  kDurationAnchor,      // "started", "hurt": a point in time dates the problem
  kExplainedSkin,       // "sunburnt", "a new tattoo": a red or warm skin only
  kOtherBodyPart,       // "arm", "shoulder": a part of the body that is not the
                        // knee (a skin cause told of it explains nothing)
  kPlaceNamed,          // "knee", "foot", "scar": a place named, so a sign
                        // told is not the calf's (part_sign relations)
  kCorrection,          // "well", "actually", "then": a clause that corrects or
                        // follows on from what came before
  kMedicine,            // "paracetamol", "tablets": a sign it brings down is
                        // hidden, not gone
  kExplained,           // "it was my phone", "normal for me": what came before
                        // in the sentence is put down to something harmless
  kExplainedOver,       // "back to normal in ten minutes": explained as over
  kExplainedOverNamed,  // "they were pink again in ten minutes": over, with
                        // what is over named; reaches into the next sentence
  kExplainedExertion,   // "because I ran for the train": exertion, which
                        // explains breathlessness only (exertion_sign)
  kReleased,            // ", just for a second or two" after a lock: a
                        // finding with a released_as relation let go
  kReleasedHere,        // "jammed for like 3 secs": the same, told in the
                        // lock's own clause
  kOverVoid,            // "came back only at the tips": not over
  kOverUndone,          // "but I still can't feel them": not over after all
  kOverKept,            // "fine since", "never came back": an over_undone
                        // word inside it says the sign stayed away
  kReleaseHeld,         // "for three hours", "until lunchtime": a lock that
                        // held, which no release makes catching
  kNegationStop,        // "since the fall": a negation before it stops there
  kPatientSelf,         // "asking for myself", "mine looks fine": the writer,
                        // not the other person told of, is the one asking
  kContinuation,        // "and won't straighten" opening a clause: a predicate
                        // joined to the one before, under the same supposition
  kSupposition,         // "what if", "if it ever": goes on over a continuation
  kPastInability,       // "couldn't", "at first": what could not be done
                        // then (a later "now I can" may take it back)
  kRecoveryPartial,     // "a bit", "with a limp": a recovery only in part
  kThenOnly,            // "for the first few days", "that first night": a
                        // time told as the first hours or days only
  kThenGoesOn,          // "still can't", "no better": what was so then
                        // goes on
  kThenPartial,         // "can bend it a bit", "only a few steps": it came
                        // back only in part
  kLongStanding,        // "always have been", "Raynaud's for years": a foot
                        // sign of long standing (long_standing_sign)
  kLongStandingVoid,    // "this time only the right one", "not warming
                        // up": not the long-standing thing
  kColdCause,           // "in the sea", "an ice bath", "minus five": a cold
                        // the foot was in (long_standing_sign findings)
  kColdCauseVoid,       // "won't warm up", "still white indoors": not the
                        // cold after all
  kOverBack,            // "the feeling returned", "warm and pink again": a
                        // foot back to itself (told_over)
  kOverWhen,            // "within five minutes", "once I got indoors", "all
                        // day": when it came back or that it stayed so
  kOverElsewhere,       // "knee", "calf": a clause about another part, whose
                        // end or "still" is not the foot's
  kAnotherEpisode,      // "again", "the first time": more than one injury, so
                        // a check told of may not be of this one
  kOthersCheck,         // "her X-ray", "my son's scan": a check that is
                        // someone else's
  kNamedOther,          // "my mate", "my son": someone else named (not a
                        // bare pronoun)
};

struct FindingRule {
  std::string id;
  bool absent = false;  // "!id": the phrase itself says the finding is absent
  bool ignore = false;  // "~id": the phrase is not the finding ("hot water")
  // "=id": matched against the whole sentence (its clauses joined), for a
  // finding whose parts are often told in separate clauses ("the bony knob,
  // outer side, just under the knee, is agony when I push it").
  bool sentence = false;
};

enum class SlotPolicy {
  kFirst,     // first value mentioned; the last one after a correction
  kPriority,  // the highest-priority value mentioned (list order)
  kUnion,     // every value mentioned, comma-separated in list order
  kSides,     // left/right/both; left and right together make both
  kNumber,    // a number read from a measure (duration, age)
};

struct SlotDefinition {
  std::string name;
  SlotPolicy policy = SlotPolicy::kFirst;
  std::vector<std::string> values;  // in priority / output order
};

struct SlotRule {
  std::string slot;
  std::string value;
  bool only_when_asked = false;
};

// Tiers of crisis.tsv; see that file.
enum class CrisisTier {
  kDanger,
  kMeans,
  kWish,
  kVenting,
  kDenial,
  kFigure,
  kPast,      // "years ago": a danger phrase in its sentence is history
  kPrep,      // an act of preparation: two in a message are danger
  kAct,       // prep that is putting one's affairs in order or a farewell:
              // on its own, finding crisis_prep
  kFarewell,  // an act that is danger on its own ("said my goodbyes"),
              // unless an ordinary reason explains it
  kOrdinary,  // an ordinary reason: prep and means in its sentence are not
  kChange,    // a life change (retiring, moving away): an ordinary reason
              // that also explains the acts told after it, and farewells
  kCurrent,   // "again", "going to", "on Friday": a sentence told now, so
              // a past event in it does not make its danger history
  kEarnest,   // "not as a joke", "I mean it": the message is read without
              // its figures of speech
};

// The findings crisis reading reports (for danger, for wish and venting,
// for means); findings.tsv must define them.
inline constexpr const char* kCrisisDanger = "self_harm_danger";
inline constexpr const char* kCrisisThoughts = "self_harm";
inline constexpr const char* kCrisisMeans = "crisis_means";
inline constexpr const char* kCrisisPrep = "crisis_prep";
inline constexpr const char* kCrisisStep = "crisis_prep_step";
inline constexpr const char* kCrisisFindings[] = {
    kCrisisDanger, kCrisisThoughts, kCrisisMeans, kCrisisPrep, kCrisisStep};

struct SlotAnswer {
  std::string slot;
  std::string intent;  // affirm | deny | unsure
  std::string value;
};

struct FindingSlot {
  std::string finding;
  bool present = true;  // polarity column: present | absent
  std::string slot;
  std::string value;
};

// A finding_relations.tsv row (checks rows are kept in Lexicon::checks).
struct Relation {
  enum Kind {
    kImplies,
    kOverrides,
    kReleasedAs,
    kChecks,
    kPartSign  // `from` is the sign `to` told of another part (the calf)
  } kind = kImplies;
  std::string from;
  std::string to;
};

struct Lexicon {
  std::set<std::string> finding_ids;
  std::vector<FindingRule> finding_rules;  // payloads of `findings`
  PatternBank findings;
  // "=id" rows: payload is an index into finding_rules too.
  PatternBank sentence_findings;
  std::vector<Relation> relations;
  std::vector<FindingSlot> finding_slots;
  // Findings that, present, make the onset sudden (finding_slots: a fall, a
  // twist, an injury): the event a "three weeks ago" beside them dates.
  std::set<std::string> onset_events;
  // A finding that reports a check of one injury -> the injury findings it
  // checks (finding_relations.tsv's checks rows).
  std::map<std::string, std::vector<std::string>> checks;

  PatternBank cues;          // payload: Cue (all kinds but termination)
  PatternBank terminations;  // termination cues, matched per sentence
  std::set<std::string> history_exempt;
  // Findings an "explained" cue never takes back (a calf clot's signs,
  // which people put down to running or a pulled muscle).
  std::set<std::string> explain_exempt;
  // Findings a skin cause (explained_skin) explains, and findings that, told
  // in the same message, keep it from explaining anything.
  std::set<std::string> skin_signs;
  std::set<std::string> skin_guards;
  // Signs an explanation takes back only when nothing told with them makes
  // them serious (context_cues.tsv, "kept_sign.GROUP" rows): a group's
  // signs stay when the conversation tells one of its contexts (not itself
  // explained) or one of its partner signs (explained or not) of the same
  // person ("flew back Sunday, calf's sore, bit breathless but that's only
  // the stairs" keeps both signs).
  struct KeptSignGroup {
    std::set<std::string> signs;
    std::set<std::string> partners;
    std::set<std::string> contexts;
  };
  std::map<std::string, KeptSignGroup> kept_sign_groups;
  // Findings exertion told as their reason (explained_exertion) explains.
  std::set<std::string> exertion_signs;
  // Findings that are events, not signs: told as over ("back to normal in
  // ten minutes"), they still happened (the tackle before the numb toes).
  std::set<std::string> over_exempt;
  // What a sign told over by name (explained_over_named) takes back.
  std::set<std::string> over_named_signs;
  // Findings an explained_over cue takes back only when nothing after it
  // says the sign came back (over_undone) and it is not asked about: a
  // relapse of these is an emergency ("gone in minutes, now white again").
  std::set<std::string> over_relapse_signs;
  // Findings a later "now I can" of the same finding takes back when the
  // first was told as an inability then ("couldn't put weight on it for
  // the first hour. Now I'm walking normally"): the Ottawa rules ask about
  // the knee as it is when assessed.
  std::set<std::string> recovered_now_signs;
  // Findings told of the first hours or days only ("couldn't bear weight
  // for the first couple of days") that are read as past, so that how the
  // knee is now is asked (ContextAnalysis::ThenOnly).
  std::set<std::string> then_only_signs;
  // Slots a then_only_sign fills (finding_slots: weight_bearing), which the
  // first days do not fill either. Derived after loading.
  std::set<std::string> then_only_slots;
  // Findings that, told after a lock's moment ("jammed for a second, then
  // it clicked"), go with a catch let go rather than a lock that held.
  std::set<std::string> release_fits;
  // Foot signs a long_standing cue near them tells as of long standing
  // (both feet cold for years, Raynaud's), and the findings that, told
  // anywhere in the message, keep them signs (an injury, a cast, a
  // dislocation).
  std::set<std::string> long_standing_signs;
  std::set<std::string> long_standing_guards;
  // Findings that, told anywhere in the conversation, keep a foot sign told
  // beside a cold (cold_cause) a sign: the long_standing_guards (merged in
  // after loading) and the cold_cause_guard rows (a swelling, a pop, an
  // injection, a painful calf, a known fracture, a fever).
  std::set<std::string> cold_cause_guards;

  std::vector<SlotDefinition> slot_definitions;
  std::vector<SlotRule> slot_rules;  // payloads of `slots`
  PatternBank slots;
  std::vector<SlotAnswer> slot_answers;

  std::vector<std::string> intent_names;  // payloads of `intents`
  PatternBank intents;
  PatternBank topic;

  std::vector<CrisisTier> crisis_tiers;  // payloads of `crisis`
  PatternBank crisis;
  // Words crisis reading also reads a sentence without ("filler" rows of
  // crisis.tsv: hedges, intensifiers, oaths), so that "would genuinely love
  // to just stop existing" meets the frame written for "would love to stop
  // existing".
  absl::flat_hash_set<std::string> crisis_fillers;
  // The safety net behind the crisis patterns (crisis_weights.tsv).
  std::shared_ptr<const CrisisScorer> crisis_scorer;

  // Spelling: one word to zero or more words, and word sequences (indexed
  // by their first word).
  struct Phrase {
    std::vector<std::string> from;
    std::vector<std::string> to;
  };
  absl::flat_hash_map<std::string, std::vector<std::string>> spelling;
  absl::flat_hash_map<std::string, std::vector<Phrase>> phrases;
  // Misspellings of the vocabulary the patterns use; null when Debian's
  // English dictionary (hunspell-en-gb) is not installed.
  std::shared_ptr<const SpellingCorrector> corrector;

  const SlotDefinition* FindSlot(const std::string& name) const;
};

// Reads and validates every file. Errors name the file and line:
//   kNotFound         a required file is missing
//   kInvalidArgument  a malformed line, an unknown finding id, slot, value,
//                     cue kind or intent, or a pattern RE2 rejects
absl::StatusOr<std::unique_ptr<const Lexicon>> LoadLexicon(
    const std::string& corpus_dir);

}  // namespace kneechat::understanding_internal

#include "services/dialogue/dialogue.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/request_facts.h"
#include "services/dialogue/condition_matcher.h"
#include "services/text/text_normalize.h"
#include "services/triage/merge_findings.h"

namespace kneechat {
namespace {

constexpr char kGreeting[] = "greeting";
constexpr char kGathering[] = "gathering";
constexpr char kAnswered[] = "answered";
constexpr char kReferred[] = "referred";
constexpr char kClosed[] = "closed";

constexpr char kPendingSlot[] = "slot";
constexpr char kPendingScreening[] = "screening";
// The last safety check before the first answer when questions run short:
// the screening list with the open deciding questions folded into it.
constexpr char kPendingLastCheck[] = "last_check";
constexpr char kPendingWhich[] = "screening_which";
constexpr char kPendingDeciding[] = "deciding";

// Every question is asked at most this often in a conversation.
constexpr int kMaxAsks = 2;
// The `asked` key of the screening question.
constexpr char kScreeningKey[] = "red_flags";
constexpr char kLastCheckKey[] = "last_check";
// The red_flags slot when the screening could not be read after kMaxAsks.
constexpr char kCannotTell[] = "cannot_tell";
// The slot "where on the knee?" fills, and the one naming which knee.
constexpr char kLocationSlot[] = "location";
constexpr char kSideSlot[] = "side";

// ---- conversions between the stored state and the engine's value types ----

v1::Finding::Polarity ToProto(Polarity p) {
  switch (p) {
    case Polarity::kPresent:
      return v1::Finding::POLARITY_PRESENT;
    case Polarity::kAbsent:
      return v1::Finding::POLARITY_ABSENT;
    case Polarity::kUnsure:
      return v1::Finding::POLARITY_UNSURE;
  }
  return v1::Finding::POLARITY_UNSPECIFIED;
}

Polarity FromProto(v1::Finding::Polarity p) {
  switch (p) {
    case v1::Finding::POLARITY_ABSENT:
      return Polarity::kAbsent;
    case v1::Finding::POLARITY_UNSURE:
      return Polarity::kUnsure;
    default:
      return Polarity::kPresent;
  }
}

const char* TemporalityName(Temporality t) {
  switch (t) {
    case Temporality::kHistorical:
      return "historical";
    case Temporality::kHypothetical:
      return "hypothetical";
    default:
      return "current";
  }
}

Temporality TemporalityFrom(const std::string& s) {
  if (s == "historical") return Temporality::kHistorical;
  if (s == "hypothetical") return Temporality::kHypothetical;
  return Temporality::kCurrent;
}

std::map<std::string, SlotValue> SlotsOf(const SessionState& state) {
  std::map<std::string, SlotValue> slots;
  for (const auto& [id, slot] : state.slots()) {
    slots[id] = SlotValue{slot.value(), slot.evidence()};
  }
  return slots;
}

// The order findings were first heard is kept in the public session view.
ConversationFacts FactsOf(const SessionState& state) {
  ConversationFacts facts;
  for (const auto& pf : state.session().findings()) {
    auto it = state.findings().find(pf.id());
    if (it == state.findings().end()) continue;
    const auto& sf = it->second;
    Finding f;
    f.id = sf.id();
    f.polarity = FromProto(sf.polarity());
    f.temporality = TemporalityFrom(sf.temporality());
    f.experiencer =
        sf.experiencer() == "other" ? Experiencer::kOther : Experiencer::kSelf;
    f.evidence = sf.evidence();
    facts.findings.push_back(std::move(f));
  }
  facts.slots = SlotsOf(state);
  return facts;
}

// The findings and slots are stored once, in the state's maps; the public
// view keeps only the order findings were heard in (id and polarity). The
// engine shows them in full (services/engine/stored_transcript.h). Entries
// still there are rewritten in place rather than freed and made again, and
// a string only where it changed (most facts stay the same turn after turn).
void StoreFacts(const ConversationFacts& facts, SessionState& state) {
  auto& findings = *state.mutable_findings();
  for (auto it = findings.begin(); it != findings.end();) {
    const std::string& id = it->first;
    const bool kept = std::any_of(facts.findings.begin(), facts.findings.end(),
                                  [&](const Finding& f) { return f.id == id; });
    it = kept ? std::next(it) : findings.erase(it);
  }
  state.mutable_session()->clear_findings();
  for (const auto& f : facts.findings) {
    auto& sf = findings[f.id];
    if (sf.id() != f.id) sf.set_id(f.id);
    sf.set_polarity(ToProto(f.polarity));
    const char* temporality = TemporalityName(f.temporality);
    if (sf.temporality() != temporality) sf.set_temporality(temporality);
    const char* experiencer =
        f.experiencer == Experiencer::kOther ? "other" : "self";
    if (sf.experiencer() != experiencer) sf.set_experiencer(experiencer);
    if (sf.evidence() != f.evidence) sf.set_evidence(f.evidence);
    v1::Finding* pf = state.mutable_session()->add_findings();
    pf->set_id(f.id);
    pf->set_polarity(ToProto(f.polarity));
  }
  auto& slots = *state.mutable_slots();
  for (auto it = slots.begin(); it != slots.end();) {
    it = facts.slots.count(it->first) > 0 ? std::next(it) : slots.erase(it);
  }
  state.mutable_session()->clear_slots();
  for (const auto& [id, value] : facts.slots) {
    auto& ss = slots[id];
    if (ss.value() != value.value) ss.set_value(value.value);
    if (ss.evidence() != value.evidence) ss.set_evidence(value.evidence);
  }
}

std::string SlotValueOf(const SessionState& state, const std::string& slot) {
  auto it = state.slots().find(slot);
  return it == state.slots().end() ? "" : it->second.value();
}

bool Has(const google::protobuf::RepeatedPtrField<std::string>& list,
         const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The quick reply of `options` whose title or id the person sent, or null.
const knowledge::v1::QuickReplyOption* ChosenOption(
    const google::protobuf::RepeatedPtrField<knowledge::v1::QuickReplyOption>&
        options,
    std::string_view text) {
  const std::string t = FoldReply(text);
  for (const auto& o : options) {
    if (t == FoldReply(o.title()) || t == FoldReply(o.id())) return &o;
  }
  return nullptr;
}

// Crisis findings (findings.tsv): one act of preparation or more in a
// message, and a plan being carried out.
constexpr char kPreparationStep[] = "crisis_prep_step";
constexpr char kMeansNamed[] = "crisis_means";
constexpr char kCrisisDanger[] = "self_harm_danger";

// The text of the person's message before the current one ("" if none):
// the transcript ends with the current message.
std::string PreviousUserText(const SessionState& state) {
  const auto& turns = state.session().transcript();
  bool current_seen = false;
  for (int i = turns.size() - 1; i >= 0; --i) {
    if (turns[i].role() != v1::Turn::ROLE_USER) continue;
    if (current_seen) return turns[i].text();
    current_seen = true;
  }
  return {};
}

// "Oh wait, it's the Deep Heat", "that was in 2016": a message that opens
// by explaining or dating what the person said just before takes back the
// signs that message raised (explained: not signs at all; dated: history),
// and the slots that stand for signs (swelling, walking, how it started).
// The parts of a reply between commas and full stops, each with its folded
// words ("calf yes as I said, no injury" -> "calf yes as I said" {calf,
// yes, as, i, said}, " no injury" {no, injury}). Views into `text`.
struct ReplyPart {
  std::string_view text;
  std::vector<std::string> words;
};
std::vector<ReplyPart> ReplyParts(std::string_view text) {
  std::vector<ReplyPart> parts;
  for (absl::string_view piece :
       absl::StrSplit(absl::string_view(text.data(), text.size()),
                      absl::ByAnyChar(",.;!?"))) {
    const std::string_view part(piece.data(), piece.size());
    parts.push_back({part, SplitWords(FoldReply(part))});
  }
  return parts;
}

void ReviseThePreviousMessage(const Understanding& heard,
                              const SessionState& state,
                              const DialogueText& text,
                              ConversationFacts& facts) {
  // A referral made stands: a short reply does not undo it.
  if (heard.revises_previous == Revision::kNone ||
      state.max_level() >= v1::TRIAGE_LEVEL_URGENT) {
    return;
  }
  const std::string before = PreviousUserText(state);
  if (before.empty()) return;
  const std::string folded = " " + FoldReply(before) + " ";
  auto from_before = [&](const std::string& evidence) {
    const std::string words = FoldReply(evidence);
    return !words.empty() &&
           folded.find(" " + words + " ") != std::string::npos;
  };
  auto said_again = [&](const std::string& id) {
    for (const Finding& f : heard.findings) {
      if (f.id == id && f.temporality == Temporality::kCurrent) return true;
    }
    return false;
  };
  // Never a crisis: "that was years ago" after a wish to be dead is not
  // taken as the end of it.
  std::vector<Finding> kept;
  for (Finding& f : facts.findings) {
    if (f.temporality == Temporality::kCurrent && !IsCrisisFinding(f.id) &&
        f.polarity != Polarity::kAbsent && from_before(f.evidence) &&
        !said_again(f.id)) {
      if (heard.revises_previous == Revision::kExplained) {
        const auto& explainable = text.explainable_findings();
        if (std::find(explainable.begin(), explainable.end(), f.id) !=
            explainable.end()) {
          continue;  // not a sign at all
        }
      } else {
        f.temporality = Temporality::kHistorical;
      }
    }
    kept.push_back(std::move(f));
  }
  facts.findings = std::move(kept);
  const bool dated = heard.revises_previous == Revision::kDated;
  for (const char* slot : {"swelling", "weight_bearing", "onset"}) {
    if (!dated && std::string_view(slot) == "weight_bearing") continue;
    auto it = facts.slots.find(slot);
    if (it != facts.slots.end() && from_before(it->second.evidence) &&
        heard.slots.count(slot) == 0) {
      facts.slots.erase(it);
    }
  }
}

// The evidence of a finding the session holds as present now, "" if none.
std::string CurrentEvidence(const SessionState& state, const std::string& id) {
  auto it = state.findings().find(id);
  if (it == state.findings().end() ||
      it->second.polarity() != v1::Finding::POLARITY_PRESENT ||
      it->second.temporality() != "current") {
    return "";
  }
  return it->second.evidence();
}

void AddFinding(Understanding& heard, const std::string& id, Polarity p,
                std::string_view evidence) {
  Finding f;
  f.id = id;
  f.polarity = p;
  f.evidence = std::string(evidence);
  heard.findings.push_back(std::move(f));
}

// Whether the message read `slot` as `value`.
bool SlotIs(const Understanding& heard, const std::string& slot,
            const std::string& value) {
  auto it = heard.slots.find(slot);
  return it != heard.slots.end() && it->second.value == value;
}

// Joins activity values so that a later message adds to, not replaces, what
// brings the pain on.
std::string UnionActivities(const std::string& before,
                            const std::string& after) {
  std::vector<std::string> all;
  for (const std::string* s : {&before, &after}) {
    for (absl::string_view a : absl::StrSplit(*s, ',', absl::SkipEmpty())) {
      std::string v(absl::StripAsciiWhitespace(a));
      if (v != "unsure" && std::find(all.begin(), all.end(), v) == all.end()) {
        all.push_back(v);
      }
    }
  }
  return all.empty() ? after : absl::StrJoin(all, ",");
}

const char* LevelName(v1::TriageLevel level) {
  switch (level) {
    case v1::TRIAGE_LEVEL_EMERGENCY:
      return "EMERGENCY";
    case v1::TRIAGE_LEVEL_URGENT:
      return "URGENT";
    case v1::TRIAGE_LEVEL_SOON:
      return "SOON";
    case v1::TRIAGE_LEVEL_SELF_CARE:
      return "SELF_CARE";
    default:
      return "UNSPECIFIED";
  }
}

constexpr char kDecidingKeyPrefix[] = "deciding:";

std::string DecidingKey(const DecidingQuestion& ask) {
  return absl::StrCat(kDecidingKeyPrefix, ask.rule_id, ":", ask.id);
}

// The assessment's deciding question, if it has not been asked yet.
bool DecidingPending(const SessionState& state, const Assessment& assessment) {
  return assessment.ask.has_value() &&
         !Has(state.asked(), DecidingKey(*assessment.ask));
}

// The slot a deciding question's answer fills and its asks are counted
// by: RedFlagQuestion.fills, else the slot it is asked as; none for the
// checklist's red_flags or a question answered only in its findings ("is
// the calf swollen?", asked as the swelling).
std::string CountedSlot(const DecidingQuestion& ask) {
  if (!ask.fills.empty()) return ask.fills;
  if (ask.findings_only || ask.slot == "red_flags") return "";
  return ask.slot;
}

// How many times a question (a slot id, kScreeningKey or a deciding key)
// has been asked in this conversation.
int AskCount(const SessionState& state, const std::string& key) {
  return static_cast<int>(
      std::count(state.asked().begin(), state.asked().end(), key));
}

// Whether the pending rule question (the last deciding key recorded) has
// been put only once.
bool FirstAskOfPendingQuestion(const SessionState& state) {
  for (auto it = state.asked().rbegin(); it != state.asked().rend(); ++it) {
    if (absl::StartsWith(*it, kDecidingKeyPrefix)) {
      return AskCount(state, *it) == 1;
    }
  }
  return false;
}

// Marks the pending question as explained ("why do you ask?" answered):
// its reason is given once; asked why again, kneechat moves on.
std::string WhyKey(const SessionState& state) {
  return absl::StrCat("why:", state.pending_kind(), ":", state.pending_slot(),
                      ":", absl::StrJoin(state.pending_findings(), ","));
}

// Whether the pending question is a rule's question that fills a slot
// other than the one it is asked as ("when did it happen?", asked as the
// duration, fills injury_days): its slot is then the pending slot.
bool PendingFillsItsOwnSlot(const SessionState& state) {
  return state.pending_kind() == kPendingDeciding &&
         !state.pending_slot().empty() &&
         state.pending_slot() != state.last_reply().asking();
}

// The key a pending slot question, screening or last check is counted
// under ("" for any other kind).
std::string CountKey(const SessionState& state) {
  const std::string& pending = state.pending_kind();
  if (pending == kPendingSlot) return state.pending_slot();
  if (pending == kPendingScreening) return kScreeningKey;
  if (pending == kPendingLastCheck) return kLastCheckKey;
  return "";
}

// Whether the pending slot question, screening or last check has been put
// twice already (a deciding question is counted by its rule, known only
// after the assessment; its "why?" is answered once, by WhyKey).
bool AskedTwice(const SessionState& state) {
  const std::string key = CountKey(state);
  return !key.empty() && AskCount(state, key) >= kMaxAsks;
}

// Whether the assessment's deciding question is the one pending.
bool AsksPending(const SessionState& state, const Assessment& assessment) {
  return assessment.ask.has_value() &&
         std::equal(assessment.ask->finding_ids.begin(),
                    assessment.ask->finding_ids.end(),
                    state.pending_findings().begin(),
                    state.pending_findings().end());
}

// The key under which the pending question is counted ("" when none): its
// slot, the screening or last check, or the deciding question it is.
std::string PendingKey(const SessionState& state,
                       const Assessment& assessment) {
  if (state.pending_kind() == kPendingDeciding) {
    return AsksPending(state, assessment) ? DecidingKey(*assessment.ask) : "";
  }
  return CountKey(state);
}

// After the answer, a question that only wonders about an injury ("is it
// overuse or did I hurt something?") is a question to answer, not a new
// injury to interview about.
void DropWonderedInjury(const DialogueKnowledge& knowledge,
                        std::string_view text, Understanding& heard) {
  const auto& wondered = knowledge.text().wondered_findings();
  auto wonders = [&](const std::string& evidence) {
    return knowledge.Wonders(evidence.empty() ? std::string(text) : evidence);
  };
  heard.findings.erase(
      std::remove_if(heard.findings.begin(), heard.findings.end(),
                     [&](const Finding& f) {
                       return Has(wondered, f.id) && wonders(f.evidence);
                     }),
      heard.findings.end());
  auto onset = heard.slots.find("onset");
  if (onset != heard.slots.end() && onset->second.value == "sudden" &&
      wonders(onset->second.evidence)) {
    heard.slots.erase(onset);
  }
}

bool HasNewInformation(const Understanding& heard) {
  return !heard.slots.empty() || !heard.findings.empty();
}

}  // namespace

Dialogue::Dialogue(const DialogueKnowledge& knowledge,
                   const Extractor& extractor, const Triage& triage,
                   const Composer& composer)
    : knowledge_(knowledge),
      extractor_(extractor),
      triage_(triage),
      composer_(composer) {}

v1::Reply Dialogue::Start(SessionState& state) const {
  state.mutable_session()->set_state(kGreeting);
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_GREETING);
  reply.set_text(knowledge_.text().greeting());
  reply.set_speech(knowledge_.text().greeting_speech().empty()
                       ? ToSpeech(knowledge_.text().greeting())
                       : knowledge_.text().greeting_speech());
  *state.mutable_last_reply() = reply;
  return reply;
}

// ---- 1. interpret: the message, read with the pending question in mind ----

Interpretation Dialogue::Interpret(const SessionState& state,
                                   std::string_view text,
                                   std::optional<absl::CivilDay> today) const {
  Interpretation out;
  UnderstandingContext context;
  context.today = today;
  context.asking = state.pending_slot();
  // A rule's question about a sign is answered as the checklist is ("no",
  // "nothing else").
  if (state.pending_kind() == kPendingDeciding && context.asking.empty()) {
    context.asking = "red_flags";
  }
  context.asking_findings.assign(state.pending_findings().begin(),
                                 state.pending_findings().end());
  // A rule's question asked, for the first time, as a slot it does not fill
  // (the calf, asked as the swelling: RedFlagQuestion.findings_only). Asked
  // again ("why do you ask?" counts), its yes is taken.
  context.asked_as_topic = state.pending_kind() == kPendingDeciding &&
                           state.pending_slot().empty() &&
                           !state.last_reply().asking().empty() &&
                           state.last_reply().asking() != "red_flags" &&
                           FirstAskOfPendingQuestion(state);
  for (const auto& [id, f] : state.findings()) {
    if (f.polarity() == v1::Finding::POLARITY_ABSENT ||
        TemporalityFrom(f.temporality()) != Temporality::kCurrent) {
      continue;
    }
    context.told_before.emplace_back(id, f.experiencer() == "other"
                                             ? Experiencer::kOther
                                             : Experiencer::kSelf);
  }
  absl::StatusOr<Understanding> understood =
      extractor_.Understand(text, context);
  if (!understood.ok()) {
    out.status = understood.status();
    return out;
  }
  Understanding& heard = out.heard;
  heard = *std::move(understood);
  if (!state.condition().empty() && heard.intents.count("question")) {
    DropWonderedInjury(knowledge_, text, heard);
  }
  const DialogueText& t = knowledge_.text();
  const std::string& pending = state.pending_kind();
  auto mentions_pending = [&] {
    for (const Finding& f : heard.findings) {
      if (f.temporality == Temporality::kCurrent &&
          Has(state.pending_findings(), f.id)) {
        return true;
      }
    }
    return false;
  };
  if (pending == kPendingSlot) {
    if (const SlotQuestion* q = knowledge_.Question(state.pending_slot())) {
      if (const auto* o = ChosenOption(q->quick_replies(), text)) {
        heard.slots[q->slot()] = SlotValue{o->value(), std::string(text)};
      }
    }
    // "Left knee", "both knees" to "where on the knee?": the person has
    // said which knee and not where on it, and would say the same again.
    if (state.pending_slot() == kLocationSlot &&
        heard.slots.count(kLocationSlot) == 0 && heard.slots.count(kSideSlot)) {
      heard.slots[kLocationSlot] = SlotValue{"unsure", std::string(text)};
    }
    out.pending_answered = heard.slots.count(state.pending_slot()) > 0;
  } else if (pending == kPendingScreening || pending == kPendingLastCheck) {
    std::string chosen;
    const std::string said = FoldReply(text);
    for (const auto& [id, title] : triage_.screening().quick_replies) {
      if (said == FoldReply(title) || said == FoldReply(id)) chosen = id;
    }
    // "Calf yes as I said, no injury": a short part of the reply that
    // points at a listed sign and says yes leaves that sign "not sure"
    // (asked about, or decided by its rule), whatever the rest says.
    for (const ReplyPart& reply_part : ReplyParts(text)) {
      const std::string_view part = reply_part.text;
      const std::vector<std::string>& part_words = reply_part.words;
      if (part_words.empty() || part_words.size() > 5) continue;
      const auto& reply_words = t.screening_reply_words();
      const bool yes = DialogueKnowledge::AnyOf(part_words, reply_words.yes());
      const bool no =
          DialogueKnowledge::AnyOf(part_words, reply_words.all_clear());
      if (!yes || no) continue;
      for (const std::string& id :
           triage_.ItemsNamedBy(part_words, {state.pending_findings().begin(),
                                             state.pending_findings().end()})) {
        const bool said =
            std::any_of(heard.findings.begin(), heard.findings.end(),
                        [&](const Finding& f) { return f.id == id; });
        if (!said) AddFinding(heard, id, Polarity::kUnsure, part);
      }
    }
    // A reply about a sign on the full list answers it, listed this time or
    // not ("both calves sore from the gym, not swollen" when the calf was
    // already said and so left off).
    const bool addressed =
        mentions_pending() ||
        std::any_of(heard.findings.begin(), heard.findings.end(),
                    [&](const Finding& f) {
                      return f.temporality == Temporality::kCurrent &&
                             triage_.IsScreeningFinding(f.id);
                    });
    // "Pulled it at tennis, nothing else": the reply reads as a no to the
    // list (slot_patterns.tsv) though it does not start with one.
    const bool denied =
        heard.intents.count("deny") > 0 || SlotIs(heard, "red_flags", "none");
    const bool unsure = heard.intents.count("unsure") > 0;
    std::string value = !chosen.empty()                 ? chosen
                        : unsure && !addressed          ? "unsure"
                        : denied || addressed           ? "none"
                        : heard.intents.count("affirm") ? "yes"
                                                        : "";
    // "Only the calf thing", "the foot one": a short reply that points at
    // an item without naming a sign in full leaves that item's signs "not
    // sure" (to be asked about), and rules out the rest. Not one that says
    // all is well ("calf's fine" is a no even when it is not read as one).
    const std::vector<std::string> words = SplitWords(FoldReply(text));
    std::vector<std::string> pointed;
    if ((value.empty() || value == "yes") && heard.findings.empty() &&
        words.size() <= 6 &&
        !DialogueKnowledge::AnyOf(words,
                                  t.screening_reply_words().all_clear())) {
      pointed = triage_.ItemsNamedBy(words, {state.pending_findings().begin(),
                                             state.pending_findings().end()});
      if (!pointed.empty()) {
        for (const auto& id : pointed) {
          AddFinding(heard, id, Polarity::kUnsure, text);
        }
        value = "none";
      }
    }
    if (value == "none") {
      // "No", "none of those except the night pain", "calf's fine, no
      // fever": what the reply names counts as said; the rest of the list
      // is ruled out.
      std::set<std::string> named;
      bool named_a_sign = false;
      bool names_a_sign = false;  // this reply says a listed sign is there
      for (const Finding& f : heard.findings) {
        named.insert(f.id);
        names_a_sign |= f.polarity == Polarity::kPresent &&
                        triage_.IsScreeningFinding(f.id);
      }
      named_a_sign = names_a_sign;
      for (const auto& [id, f] : state.findings()) {
        named_a_sign |= f.polarity() == v1::Finding::POLARITY_PRESENT &&
                        f.temporality() == "current" &&
                        triage_.IsScreeningFinding(id);
      }
      // "Fever, yes" (now or earlier) rules out the rest of the list, not
      // the fever: the answer's summary says "none of the other warning
      // signs".
      heard.slots["red_flags"] =
          SlotValue{named_a_sign ? "none_other" : "none", std::string(text)};
      // A reply that only names a sign ("recent injury", "fever yes")
      // implies no other: the slot rules the rest out for the screening,
      // and a rule's deciding question may still ask one directly. Words
      // about the rest ("only", "nothing else", "no") rule them out.
      const bool implied_only =
          names_a_sign &&
          !DialogueKnowledge::AnyOf(words,
                                    t.screening_reply_words().about_the_rest());
      for (const auto& id : state.pending_findings()) {
        if (named.count(id) == 0 && !implied_only)
          AddFinding(heard, id, Polarity::kAbsent, text);
      }
    } else if (value == "unsure") {
      heard.slots["red_flags"] = SlotValue{"unsure", std::string(text)};
    } else if (value == "yes") {
      out.screening_yes = true;
    }
    out.pending_answered = !value.empty();
  } else if (pending == kPendingWhich) {
    if (const auto* o =
            ChosenOption(t.screening_which().quick_replies(), text)) {
      AddFinding(heard, o->value(), Polarity::kPresent, o->title());
    }
    out.pending_answered = !heard.findings.empty();
  } else if (pending == kPendingDeciding) {
    // A no to one sign is not a no to the whole checklist: the reply's
    // reading as a checklist answer rules out only the signs asked about.
    auto listed = heard.slots.find("red_flags");
    if (listed != heard.slots.end() && state.pending_slot().empty()) {
      // "No fever" says nothing about the sign asked; "nothing else",
      // "pulled it at tennis, nothing else" (a sign already told) do.
      const bool names_another = std::any_of(
          heard.findings.begin(), heard.findings.end(), [&](const Finding& f) {
            auto known = state.findings().find(f.id);
            return known == state.findings().end() ||
                   known->second.polarity() != v1::Finding::POLARITY_PRESENT ||
                   f.polarity != Polarity::kPresent;
          });
      // Only a part of the reply that is all no ("nothing else", "no, none")
      // says no: "nothing major, he's been dragging that leg" does not.
      bool all_no_part = false;
      const auto& reply_words = t.screening_reply_words();
      for (const ReplyPart& reply_part : ReplyParts(text)) {
        const std::vector<std::string>& part = reply_part.words;
        all_no_part |=
            !part.empty() &&
            std::all_of(part.begin(), part.end(), [&](const std::string& w) {
              return DialogueKnowledge::AnyOf({w}, reply_words.all_clear()) ||
                     DialogueKnowledge::AnyOf({w},
                                              reply_words.about_the_rest());
            });
      }
      // (Asked as a slot's topic, the understanding reads a no itself:
      // "no, the knee isn't" is not a no about the calf.)
      if (listed->second.value == "none" && all_no_part &&
          !mentions_pending() && !names_another &&
          heard.intents.count("affirm") == 0 && !context.asked_as_topic) {
        for (const auto& id : state.pending_findings()) {
          AddFinding(heard, id, Polarity::kAbsent, text);
        }
      }
      heard.slots.erase(listed);
    }
    // A question that fills a slot of its own ("when did it happen?") is
    // answered by the slot's value or "not sure", not by a yes or no.
    out.pending_answered =
        PendingFillsItsOwnSlot(state)
            ? heard.slots.count(state.pending_slot()) > 0 ||
                  heard.intents.count("unsure") > 0
        : context.asked_as_topic
            // asked as a slot's topic: answered only by what it says of
            // the signs asked ("a bit", "no, the knee isn't" do not say
            // which part; UnderstandingContext)
            ? mentions_pending()
            : mentions_pending() || heard.intents.count("affirm") ||
                  heard.intents.count("deny") ||
                  heard.intents.count("unsure") ||
                  heard.slots.count(state.pending_slot()) > 0;
  }
  out.asks_why = heard.intents.count("why_ask") > 0 && !pending.empty() &&
                 !out.pending_answered && !HasNewInformation(heard) &&
                 !Has(state.asked(), WhyKey(state)) && !AskedTwice(state);
  return out;
}

// ---- 2. merge: into what the session knows ----

void Dialogue::RecordKeywordHits(std::string_view text,
                                 SessionState& state) const {
  std::vector<std::string> hits = KeywordHits(knowledge_, text);
  if (!state.words().empty()) {  // kept by an earlier version: read it once
    for (std::string& hit : KeywordHits(knowledge_, state.words())) {
      hits.push_back(std::move(hit));
    }
    state.clear_words();
  }
  for (std::string& hit : hits) {
    if (!Has(state.keyword_hits(), hit)) state.add_keyword_hits(std::move(hit));
  }
}

ConversationFacts Dialogue::Merge(const Interpretation& in, SessionState& state,
                                  std::string_view text) const {
  const Understanding& heard = in.heard;
  RecordKeywordHits(text, state);
  const std::string activities_before = SlotValueOf(state, "activity");
  ConversationFacts facts = FactsOf(state);
  const std::string step_before = CurrentEvidence(state, kPreparationStep);
  const std::string means_before = CurrentEvidence(state, kMeansNamed);
  ReviseThePreviousMessage(heard, state, knowledge_.text(), facts);
  MergeUnderstanding(heard, &facts);
  // Acts of preparation told in different messages (a pet found a new home
  // in one, a will made in the next) are a plan being carried out, as two
  // in one message are (C-SSRS preparatory behaviour): EMERGENCY. So is an
  // act told in one message and a means named in another, as the two are
  // in one message ("gave my watch to my grandson" ... "the tablets I've
  // kept back").
  for (const Finding& f : heard.findings) {
    if (f.polarity != Polarity::kPresent ||
        f.temporality != Temporality::kCurrent) {
      continue;
    }
    const std::string* before = nullptr;
    if (f.id == kPreparationStep) {
      before = !step_before.empty() ? &step_before : &means_before;
    } else if (f.id == kMeansNamed) {
      before = &step_before;
    }
    if (before == nullptr || before->empty() || f.evidence == *before) {
      continue;
    }
    Understanding joined;
    joined.findings.push_back(Finding{kCrisisDanger, Polarity::kPresent,
                                      Temporality::kCurrent, Experiencer::kSelf,
                                      absl::StrCat(*before, "; ", f.evidence)});
    MergeUnderstanding(joined, &facts);
    break;
  }
  if (facts.slots.count("activity")) {
    facts.slots["activity"].value =
        UnionActivities(activities_before, facts.slots["activity"].value);
  }
  // "None of these", when the screening named an injury, means none.
  if (facts.slots.count("onset") == 0) {
    for (const auto& f : facts.findings) {
      if (f.id == "injury" && f.polarity == Polarity::kAbsent &&
          f.temporality == Temporality::kCurrent) {
        facts.slots["onset"] = SlotValue{"gradual", f.evidence};
      }
    }
  }
  // A slot question asked twice and still not answered is given up on
  // ("why do you ask?" is not an answer, failed or otherwise).
  if (state.pending_kind() == kPendingSlot && !in.pending_answered &&
      !in.asks_why && AskCount(state, state.pending_slot()) >= kMaxAsks &&
      facts.slots.count(state.pending_slot()) == 0) {
    facts.slots[state.pending_slot()] = SlotValue{"unsure", ""};
  }
  // A slot only a rule's question fills ("when did it happen?" fills
  // injury_days), once asked and still without a value, is "unsure" (which
  // the rule reads as a time that may be recent) unless its answer may
  // still come: the question is pending, asked once, and this reply told
  // nothing else (it will be asked once more). So "not sure", a yes or no,
  // a second reply it cannot read, a reply that moves on to something
  // else, and a question dropped for another all leave it "unsure", never
  // unasked. (A hedged range is read at its lower end: "not sure, a week
  // or two" is seven days.)
  for (const std::string& key : state.asked()) {
    if (!triage_.FilledByAQuestion(key) || facts.slots.count(key) > 0) {
      continue;
    }
    const bool pending =
        PendingFillsItsOwnSlot(state) && state.pending_slot() == key;
    const bool answer_may_come =
        pending &&
        (in.asks_why || (!in.pending_answered && !HasNewInformation(heard) &&
                         AskCount(state, key) < kMaxAsks));
    if (!answer_may_come) facts.slots[key] = SlotValue{"unsure", ""};
  }
  // The screening (or the last check) asked twice and still not read:
  // kneechat cannot tell.
  const bool list_given_up = (state.pending_kind() == kPendingScreening &&
                              AskCount(state, kScreeningKey) >= kMaxAsks) ||
                             (state.pending_kind() == kPendingLastCheck &&
                              AskCount(state, kLastCheckKey) >= kMaxAsks);
  if (list_given_up && !in.pending_answered && !in.asks_why &&
      facts.slots.count("red_flags") == 0) {
    facts.slots["red_flags"] = SlotValue{kCannotTell, ""};
  }
  StoreFacts(facts, state);
  return facts;
}

// ---- 3. assess: red flags, every message ----

Assessed Dialogue::AssessTriage(const ConversationFacts& facts,
                                const Understanding& heard,
                                SessionState& state) const {
  Assessed out;
  out.assessment = triage_.Assess(facts.findings, facts.slots);
  const v1::TriageLevel before = state.max_level();
  v1::TriageLevel level = std::max(before, out.assessment.level);
  if (heard.intents.count("correction") && out.assessment.level < before) {
    level = out.assessment.level;  // the person explicitly took something back
  }
  state.set_max_level(level);
  const DialogueText& t = knowledge_.text();
  for (const auto& flag : out.assessment.flags) {
    const bool refer = flag.level >= v1::TRIAGE_LEVEL_URGENT ||
                       (flag.level == v1::TRIAGE_LEVEL_SOON &&
                        Has(t.soon_referral_rules(), flag.rule_id));
    if (refer && !Has(state.referred_rules(), flag.rule_id)) {
      out.level_rose = true;
    }
  }
  if (level > before && level >= v1::TRIAGE_LEVEL_URGENT) {
    out.level_rose = true;
  }
  NextOpenQuestion(state, out.assessment);
  FoldQuestions(state, out);
  return out;
}

// A rule's question already put and no longer waiting for its answer (the
// person said something else, or it was asked twice) does not hold back an
// open question that fills a slot no slot question of the dialogue asks
// ("when did it happen?" after a fall at 80, asked as the duration): the
// first such one not yet asked is asked next. Other rule questions keep
// their turn (the slot questions and the last safety check cover them).
void Dialogue::NextOpenQuestion(const SessionState& state,
                                Assessment& a) const {
  if (!a.ask.has_value() || a.open.empty()) return;
  const DecidingQuestion& front = a.open.front();
  if (a.ask->rule_id != front.rule_id || a.ask->id != front.id) return;
  const int front_asked = AskCount(state, DecidingKey(front));
  const bool front_pending = state.pending_kind() == kPendingDeciding &&
                             AsksPending(state, a) && front_asked < kMaxAsks;
  if (front_asked == 0 || front_pending) return;
  for (const DecidingQuestion& q : a.open) {
    if (!q.fills.empty() && AskCount(state, DecidingKey(q)) == 0) {
      a.ask = q;
      return;
    }
  }
}

// Before the first answer, questions are few ("typically 2-4", at most
// max_questions). When only one is left, a rule question with a checklist
// phrase is not asked on its own: the open ones are folded into one last
// safety check (with whatever the screening has not yet covered), asked
// once more if its reply cannot be read, and then kneechat answers with its
// safety net. A question that the reply to the last check opens is asked on
// its own. Questions without a
// phrase (a crisis plan, a blood thinner, whether the person can walk, the
// age) and one already asked on its own are still asked as they come.
void Dialogue::FoldQuestions(const SessionState& state, Assessed& out) const {
  const bool gathering = state.condition().empty() &&
                         state.session().state() != kReferred &&
                         state.max_level() < v1::TRIAGE_LEVEL_URGENT;
  const int budget = knowledge_.text().max_questions();
  // The reply to the last check may need it once more (with the questions
  // it held); after it, a question that something new opens is asked on
  // its own.
  const bool rechecking = state.pending_kind() == kPendingLastCheck;
  if (AskCount(state, kLastCheckKey) > 0 && !rechecking) return;
  Assessment& a = out.assessment;
  if (!gathering || state.questions_asked() < budget - 1 || a.open.empty()) {
    return;
  }
  std::optional<DecidingQuestion> first_on_its_own;
  for (const DecidingQuestion& q : a.open) {
    const bool asked = Has(state.asked(), DecidingKey(q));
    if (!q.phrase.empty() && (rechecking ? asked : !asked)) {
      out.folded.push_back(q);
    } else if (!first_on_its_own) {
      first_on_its_own = q;
    }
  }
  if (a.ask.has_value() && a.ask->rule_id == a.open.front().rule_id &&
      a.ask->id == a.open.front().id) {
    a.ask = first_on_its_own;
  }
}

// Applies what a rendered move changes; the only place a turn's reply
// writes to the session.
static void ApplyChange(const StateChange& change, SessionState& state) {
  if (change.pending) {
    state.set_pending_kind(change.pending->kind);
    state.set_pending_slot(change.pending->slot);
    state.clear_pending_findings();
    for (const auto& f : change.pending->findings) {
      state.add_pending_findings(f);
    }
  }
  for (const auto& key : change.asked) state.add_asked(key);
  state.set_questions_asked(state.questions_asked() + change.questions);
  if (change.session_state) {
    state.mutable_session()->set_state(*change.session_state);
  }
  if (change.condition) state.set_condition(*change.condition);
  if (change.max_level) state.set_max_level(*change.max_level);
  for (const auto& rule : change.referred_rules) {
    if (!Has(state.referred_rules(), rule)) state.add_referred_rules(rule);
  }
}

absl::StatusOr<v1::Reply> Dialogue::Turn(
    SessionState& state, std::string_view text, std::set<std::string>* intents,
    std::optional<absl::CivilDay> today) const {
  Interpretation heard;
  {
    ScopedStage stage(TurnStage::kUnderstanding);
    heard = Interpret(state, text, today);
  }
  if (!heard.status.ok()) return heard.status;
  if (intents != nullptr) *intents = heard.heard.intents;
  if (heard.heard.intents.count("restart")) return Restart(state);
  std::optional<ScopedStage> triage_stage(std::in_place, TurnStage::kTriage);
  const ConversationFacts facts = Merge(heard, state, text);
  const Assessed assessed = AssessTriage(facts, heard.heard, state);
  triage_stage.reset();
  ScopedStage composing(TurnStage::kComposing);  // retrieval is timed apart
  const Move move = DecideMove(state, heard, assessed);
  absl::StatusOr<Rendered> rendered =
      Render(move, state, assessed.assessment, text);
  if (!rendered.ok()) return rendered.status();
  ApplyChange(rendered->change, state);
  v1::Reply& reply = rendered->reply;
  if (!reply.asking().empty() && !state.pending_kind().empty()) {
    reply.set_why(QuestionReason(state, assessed.assessment));
  }
  if (reply.triage().level() == v1::TRIAGE_LEVEL_UNSPECIFIED) {
    reply.mutable_triage()->set_level(state.max_level());
  }
  *state.mutable_session()->mutable_triage() = reply.triage();
  *state.mutable_last_reply() = reply;
  return std::move(reply);
}

v1::Reply Dialogue::Restart(SessionState& state) const {
  // "Start again" forgets the knee: findings, slots, questions, the level.
  // It keeps what is about the conversation rather than the knee: its
  // transcript, the message ids already answered (a retried message is
  // still answered once), the count of messages against the session's
  // bound, and the record of any handoff to the clinic. The Session message
  // itself stays the same object (the engine holds it through the turn).
  std::unique_ptr<v1::Session> session(state.release_session());
  session->clear_state();
  session->clear_slots();
  session->clear_findings();
  session->clear_triage();
  SessionState kept;
  kept.mutable_seen_ids()->Swap(state.mutable_seen_ids());
  kept.mutable_seen_texts()->Swap(state.mutable_seen_texts());
  kept.mutable_recent_replies()->Swap(state.mutable_recent_replies());
  kept.set_messages_received(state.messages_received());
  kept.set_handoff_consent(state.handoff_consent());
  kept.set_handoff_offers(state.handoff_offers());
  kept.set_handoff_consent_time(state.handoff_consent_time());
  kept.set_handoff_contact(state.handoff_contact());
  if (state.has_handoff_referral()) {
    kept.mutable_handoff_referral()->Swap(state.mutable_handoff_referral());
  }
  state.Clear();
  state.Swap(&kept);
  state.set_allocated_session(session.release());
  state.mutable_session()->set_state(kGathering);
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_GREETING);
  reply.set_text(knowledge_.text().restart());
  reply.set_speech(ToSpeech(knowledge_.text().restart()));
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_UNSPECIFIED);
  *state.mutable_last_reply() = reply;
  return reply;
}

// ---- 4. decide: the single place that chooses the next move ----
//
// Whatever question is pending, the message has already been read for
// everything (findings and slots count at once). A pending question the
// message did not answer is asked once more (kMaxAsks in all); after that
// kneechat moves on: a slot becomes "unsure", the screening becomes "cannot
// tell" (safety-net advice and a contact instead of self-care), a deciding
// question is not asked again. No question is asked a third time.
Move Dialogue::DecideMove(const SessionState& state, const Interpretation& in,
                          const Assessed& assessed) const {
  const Understanding& heard = in.heard;
  const Assessment& assessment = assessed.assessment;
  const std::string& phase = state.session().state();
  const bool referred = state.max_level() >= v1::TRIAGE_LEVEL_URGENT;
  // A deciding question about a slot already asked twice would be a third
  // ask of the same thing.
  // (One that fills a slot of its own, "when did it happen?" asked as the
  // duration, is counted by that slot.)
  const bool slot_exhausted =
      assessment.ask.has_value() && !CountedSlot(*assessment.ask).empty() &&
      AskCount(state, CountedSlot(*assessment.ask)) >= kMaxAsks;
  const bool deciding_pending =
      DecidingPending(state, assessment) && !slot_exhausted;
  // The deciding question just asked, not answered, asked once so far.
  const bool reask_deciding =
      state.pending_kind() == kPendingDeciding && !in.pending_answered &&
      AsksPending(state, assessment) &&
      AskCount(state, DecidingKey(*assessment.ask)) < kMaxAsks &&
      !slot_exhausted;

  if (assessed.level_rose) return {MoveKind::kRefer, ""};
  if (in.asks_why) return {MoveKind::kExplainQuestion, ""};
  if (referred && phase == kReferred) {
    if (deciding_pending || reask_deciding) return {MoveKind::kAskDeciding, ""};
    if (heard.intents.count("goodbye")) return {MoveKind::kGoodbye, ""};
    if (heard.intents.count("thanks")) return {MoveKind::kThanks, ""};
    return {MoveKind::kRemindReferral, ""};
  }
  // Before the first answer, a routine check (the Ottawa signs every
  // injury is asked about) that could not reveal an emergency waits for the
  // open questions (where, how, since when), whose free answers may tell
  // more than a yes or no. A question prompted by a warning sign the person
  // told is asked at once.
  const bool ask_now =
      !state.condition().empty() ||
      (assessment.ask.has_value() &&
       (!assessment.ask->routine ||
        assessment.ask->reveals >= v1::TRIAGE_LEVEL_EMERGENCY));
  if (reask_deciding || (deciding_pending && ask_now)) {
    return {MoveKind::kAskDeciding, ""};
  }
  if (heard.intents.count("goodbye") && !HasNewInformation(heard)) {
    return {MoveKind::kGoodbye, ""};
  }
  if (heard.intents.count("thanks") && !HasNewInformation(heard)) {
    return {MoveKind::kThanks, ""};
  }
  if (heard.intents.count("greeting") && !HasNewInformation(heard) &&
      !heard.on_topic) {
    return {MoveKind::kHello, ""};
  }
  const bool off_topic = !heard.on_topic && !HasNewInformation(heard);
  // A message named off topic in so many words (intents.tsv) though it uses
  // a sport's name ("who won the football last night?") is out of scope even
  // after an answer, unless it also says something about the knee.
  if (heard.intents.count("off_topic") && heard.on_topic &&
      heard.findings.empty() &&
      std::all_of(heard.slots.begin(), heard.slots.end(),
                  [](const auto& s) { return s.first == "activity"; })) {
    return {MoveKind::kOutOfScope, ""};
  }
  // After an answer, the articles decide what is in scope ("what shoes?").
  if (!state.condition().empty()) {
    return {MoveKind::kFollowUp, "", off_topic};
  }
  if (off_topic && state.pending_kind().empty()) {
    return {MoveKind::kOutOfScope, ""};
  }

  // Gathering.
  if (state.pending_kind() == kPendingSlot && !in.pending_answered &&
      AskCount(state, state.pending_slot()) < kMaxAsks &&
      state.slots().count(state.pending_slot()) == 0) {
    return {MoveKind::kReaskSlot, state.pending_slot()};
  }
  std::string slot = NextSlot(state);
  if (!slot.empty()) return {MoveKind::kAskSlot, slot};
  if (deciding_pending) return {MoveKind::kAskDeciding, ""};
  // The last check: asked once, and once more only if its reply could not
  // be read.
  const int last_checks = AskCount(state, kLastCheckKey);
  if (!assessed.folded.empty() &&
      (last_checks == 0 ||
       (last_checks < kMaxAsks && state.pending_kind() == kPendingLastCheck &&
        !in.pending_answered))) {
    Move move{MoveKind::kAskScreening, ""};
    move.folded = assessed.folded;
    return move;
  }
  if (!assessment.unscreened.empty() && state.slots().count("red_flags") == 0 &&
      AskCount(state, kScreeningKey) < kMaxAsks) {
    return {in.screening_yes ? MoveKind::kAskScreeningWhich
                             : MoveKind::kAskScreening,
            ""};
  }
  return {MoveKind::kAnswer, ""};
}

std::string Dialogue::NextSlot(const SessionState& state) const {
  const int budget = knowledge_.text().max_questions() - 1;  // keep one for
                                                             // screening
  if (state.questions_asked() >= budget) return "";
  // The questions in the order dialogue.textproto lists them, each when
  // its ask_when holds: "after_injury" once the onset was sudden, "gradual"
  // otherwise, "always" until it is known, "never" on its own.
  const bool injury = SlotValueOf(state, "onset") == "sudden";
  for (const SlotQuestion& q : knowledge_.text().questions()) {
    const std::string& slot = q.slot();
    if (slot == "red_flags") continue;  // the screening, asked last
    if (q.ask_when() == "never") continue;
    if (q.ask_when() == "after_injury" && !injury) continue;
    if (q.ask_when() == "gradual" && injury) continue;
    if (state.slots().count(slot)) continue;
    // Asked as often as any question may be (as a slot question or as a
    // red flag's deciding question about the same slot): move on.
    if (AskCount(state, slot) >= kMaxAsks) continue;
    return slot;
  }
  return "";
}

v1::Reply Dialogue::Question(const SlotQuestion& q, bool reask) const {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(q.slot());
  const std::string& text = reask ? q.reask_text() : q.text();
  reply.set_text(text);
  reply.set_speech(!reask && !q.speech().empty() ? q.speech() : ToSpeech(text));
  for (const auto& o : q.quick_replies()) {
    v1::QuickReply* qr = reply.add_quick_replies();
    qr->set_id(o.id());
    qr->set_title(o.title());
  }
  return reply;
}

v1::Reply Dialogue::Referral(const Assessment& assessment,
                             const SessionState& state,
                             StateChange* change) const {
  const DialogueText& t = knowledge_.text();
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_REFERRAL);
  v1::Triage* triage = reply.mutable_triage();
  triage->set_level(state.max_level());
  std::vector<const FiredFlag*> shown;
  for (const auto& flag : assessment.flags) {
    if (flag.level < v1::TRIAGE_LEVEL_SOON) continue;
    shown.push_back(&flag);
    v1::RedFlag* rf = triage->add_red_flags();
    rf->set_id(flag.rule_id);
    rf->set_title(flag.title);
    rf->set_evidence(flag.evidence);
    change->referred_rules.push_back(flag.rule_id);
  }
  const FiredFlag* top = shown.empty() ? nullptr : shown.front();
  // Thoughts of suicide or self-harm come before anything else, in their
  // own words: warm and short, no headline, no citations, and the person's
  // words (which may name a method) never echoed.
  for (const FiredFlag* flag : shown) {
    if (!Has(t.crisis_rules(), flag->rule_id)) continue;
    triage->set_action(flag->action);
    triage->set_reason(flag->reason);
    for (v1::RedFlag& rf : *triage->mutable_red_flags()) {
      if (rf.id() == flag->rule_id) rf.clear_evidence();
    }
    const std::string text = absl::StrCat(flag->action, "\n\n", flag->reason);
    reply.set_text(text);
    reply.set_speech(ToSpeech(flag->action));
    if (state.max_level() >= v1::TRIAGE_LEVEL_URGENT) {
      change->session_state = kReferred;
    }
    return reply;
  }
  auto headline = t.referral_headlines().find(LevelName(state.max_level()));
  std::string text =
      headline == t.referral_headlines().end() ? "" : headline->second + " ";
  if (top != nullptr) {
    triage->set_action(top->action);
    triage->set_reason(top->reason);
    absl::StrAppend(&text, top->action, "\n\n", t.referral_why(), " ",
                    top->reason);
  }
  int n = 0;
  for (const FiredFlag* flag : shown) {
    if (flag->source.empty()) continue;
    v1::Citation* c = reply.add_citations();
    c->set_number(++n);
    c->set_document_id("red-flag-rules");
    c->set_passage_id(flag->rule_id);
    c->set_title(flag->title);
    c->set_excerpt(flag->source);
    absl::StrAppend(&text, " [", n, "]");
  }
  std::vector<std::string> evidence;
  for (const FiredFlag* flag : shown) {
    if (!flag->evidence.empty()) {
      evidence.push_back(
          absl::StrCat(flag->title, ": \"", flag->evidence, "\""));
    }
  }
  if (!evidence.empty()) {
    absl::StrAppend(&text, "\n\n", t.referral_evidence(), "\n• ",
                    absl::StrJoin(evidence, "\n• "));
  }
  reply.set_text(text);
  std::string speech =
      headline == t.referral_headlines().end() ? "" : headline->second + " ";
  if (top != nullptr) absl::StrAppend(&speech, top->action);
  reply.set_speech(ToSpeech(speech));
  if (state.max_level() >= v1::TRIAGE_LEVEL_URGENT) {
    change->session_state = kReferred;
  }
  return reply;
}

// The reviewed reason for the question pending in `state` (the one the
// last reply asked): a slot question's own `why`, the screening list's, or
// a red flag's deciding question's.
std::string Dialogue::QuestionReason(const SessionState& state,
                                     const Assessment& assessment) const {
  const DialogueText& t = knowledge_.text();
  const std::string& pending = state.pending_kind();
  if (pending == kPendingSlot) {
    if (const SlotQuestion* q = knowledge_.Question(state.pending_slot())) {
      return q->why();
    }
  } else if (pending == kPendingWhich) {
    if (!t.screening_which().why().empty()) return t.screening_which().why();
  } else if (pending == kPendingDeciding) {
    if (AsksPending(state, assessment) && !assessment.ask->why.empty()) {
      return assessment.ask->why;
    }
    return t.deciding_why();
  }
  return t.screening_why();
}

// "Why do you ask?": the pending question's reason, then the question again
// as first asked (its quick replies too). Nothing in the state changes: the
// question stays pending and this is not another ask of it.
v1::Reply Dialogue::ExplainQuestion(const SessionState& state,
                                    const Assessment& assessment) const {
  const DialogueText& t = knowledge_.text();
  const std::string& pending = state.pending_kind();
  v1::Reply question = state.last_reply();
  const std::string why = QuestionReason(state, assessment);
  if (pending == kPendingSlot) {
    if (const SlotQuestion* q = knowledge_.Question(state.pending_slot())) {
      question = Question(*q, false);
    }
  } else if (pending == kPendingScreening) {
    ScreeningQuestion sq = triage_.ScreeningFor(assessment.unscreened);
    question.set_text(sq.text);
    question.set_speech(ToSpeech(sq.text));
  } else if (pending == kPendingWhich) {
    question = Question(t.screening_which(), false);
  } else if (pending == kPendingDeciding) {
    if (AsksPending(state, assessment)) {
      question.set_text(assessment.ask->text);
      question.set_speech(ToSpeech(assessment.ask->text));
    }
  }
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(state.last_reply().asking());
  reply.set_text(absl::StrCat(why, "\n\n", question.text()));
  reply.set_speech(absl::StrCat(ToSpeech(why), " ", question.speech()));
  *reply.mutable_quick_replies() = state.last_reply().quick_replies();
  return reply;
}

absl::StatusOr<Rendered> Dialogue::Render(const Move& move,
                                          const SessionState& state,
                                          const Assessment& assessment,
                                          std::string_view text) const {
  const DialogueText& t = knowledge_.text();
  StateChange change;
  auto set_pending = [&](const std::string& kind, const std::string& slot,
                         const std::vector<std::string>& findings) {
    change.pending = StateChange::Pending{kind, slot, findings};
  };
  auto done = [&](v1::Reply reply) -> absl::StatusOr<Rendered> {
    return Rendered{std::move(reply), std::move(change)};
  };
  auto simple = [&](v1::ReplyKind kind, const std::string& body) {
    v1::Reply reply;
    reply.set_kind(kind);
    reply.set_text(body);
    reply.set_speech(ToSpeech(body));
    return reply;
  };
  auto ask_deciding = [&](v1::Reply* reply) {
    const DecidingQuestion& ask = *assessment.ask;
    change.asked.push_back(DecidingKey(ask));
    // A deciding question that asks a slot ("can you put weight on it?")
    // counts as asking that slot too: no third ask under another name. One
    // that fills another slot ("when did it happen?", asked as the
    // duration, fills injury_days) is read as that slot's answer and
    // counted by both.
    if (!ask.fills.empty()) change.asked.push_back(ask.slot);
    const std::string counted = CountedSlot(ask);
    if (!counted.empty()) change.asked.push_back(counted);
    // One asked as a slot's topic and not answered plainly ("a bit": the
    // knee or the calf?) is asked again as the question about the sign.
    const bool again_directly =
        ask.findings_only && AskCount(state, DecidingKey(ask)) > 0;
    reply->set_asking(ask.slot.empty() || again_directly ? "red_flags"
                                                         : ask.slot);
    reply->clear_quick_replies();
    for (const auto& [id, title] : ask.quick_replies) {
      v1::QuickReply* qr = reply->add_quick_replies();
      qr->set_id(id);
      qr->set_title(title);
    }
    set_pending(kPendingDeciding, counted, ask.finding_ids);
    ++change.questions;
  };
  if (state.session().state() == kGreeting ||
      state.session().state() == kClosed) {
    change.session_state = state.condition().empty() ? kGathering : kAnswered;
  }

  switch (move.kind) {
    case MoveKind::kRefer: {
      v1::Reply reply = Referral(assessment, state, &change);
      set_pending("", "", {});
      if (DecidingPending(state, assessment)) {
        reply.set_text(
            absl::StrCat(reply.text(), "\n\n", assessment.ask->text));
        reply.set_speech(
            absl::StrCat(reply.speech(), " ", ToSpeech(assessment.ask->text)));
        ask_deciding(&reply);
      }
      return done(std::move(reply));
    }
    case MoveKind::kAskDeciding: {
      v1::Reply reply = simple(v1::REPLY_KIND_QUESTION, assessment.ask->text);
      ask_deciding(&reply);
      return done(std::move(reply));
    }
    case MoveKind::kRemindReferral: {
      v1::Reply reply = simple(v1::REPLY_KIND_REFERRAL, "");
      bool crisis = false;
      for (const auto& rf : state.session().triage().red_flags()) {
        if (Has(t.crisis_rules(), rf.id())) crisis = true;
      }
      std::string body = crisis ? t.after_crisis() : t.after_referral();
      if (!state.session().triage().action().empty()) {
        absl::StrAppend(&body, "\n\n", state.session().triage().action());
      }
      reply.set_text(body);
      reply.set_speech(ToSpeech(body));
      *reply.mutable_triage() = state.session().triage();
      reply.mutable_triage()->set_level(state.max_level());
      set_pending("", "", {});
      return done(std::move(reply));
    }
    case MoveKind::kHello:
      return done(simple(v1::REPLY_KIND_GREETING, t.hello_again()));
    case MoveKind::kGoodbye:
      change.session_state = kClosed;
      set_pending("", "", {});
      return done(simple(v1::REPLY_KIND_GOODBYE, t.goodbye()));
    case MoveKind::kThanks:
      return done(simple(v1::REPLY_KIND_ACKNOWLEDGEMENT, t.thanks()));
    case MoveKind::kOutOfScope:
      return done(simple(v1::REPLY_KIND_OUT_OF_SCOPE, t.out_of_scope()));
    case MoveKind::kAskSlot:
    case MoveKind::kReaskSlot: {
      const SlotQuestion* q = knowledge_.Question(move.slot);
      const bool reask = move.kind == MoveKind::kReaskSlot;
      v1::Reply reply = Question(*q, reask);
      set_pending(kPendingSlot, move.slot, {});
      change.asked.push_back(move.slot);
      ++change.questions;
      return done(std::move(reply));
    }
    case MoveKind::kAskScreening: {
      // The last check names only what is still open; the screening (all
      // of it, when nothing is) otherwise.
      const bool last_check = !move.folded.empty();
      const bool screened = state.slots().count("red_flags") > 0;
      ScreeningQuestion sq = triage_.ScreeningFor(
          last_check && screened ? std::vector<std::string>{}
                                 : assessment.unscreened,
          move.folded);
      std::string body = sq.text;
      std::vector<std::string> findings = sq.finding_ids;
      v1::Reply reply = simple(v1::REPLY_KIND_QUESTION, body);
      reply.set_asking("red_flags");
      for (const auto& [id, title] : sq.quick_replies) {
        v1::QuickReply* qr = reply.add_quick_replies();
        qr->set_id(id);
        qr->set_title(title);
      }
      set_pending(last_check ? kPendingLastCheck : kPendingScreening,
                  "red_flags", findings);
      if (!last_check || !screened) change.asked.push_back(kScreeningKey);
      if (last_check) {
        change.asked.push_back(kLastCheckKey);
        // Each question folded in counts as asked: not asked again on its
        // own.
        for (const DecidingQuestion& q : move.folded) {
          const std::string key = DecidingKey(q);
          if (!Has(state.asked(), key)) change.asked.push_back(key);
        }
      }
      ++change.questions;
      return done(std::move(reply));
    }
    case MoveKind::kAskScreeningWhich: {
      v1::Reply reply = Question(t.screening_which(), false);
      reply.set_asking("red_flags");
      std::vector<std::string> findings(assessment.unscreened.begin(),
                                        assessment.unscreened.end());
      set_pending(kPendingWhich, "", findings);
      ++change.questions;
      return done(std::move(reply));
    }
    case MoveKind::kAnswer: {
      std::map<std::string, SlotValue> slots = SlotsOf(state);
      const ConditionSpec* condition =
          MatchCondition(knowledge_, slots,
                         std::set<std::string>(state.keyword_hits().begin(),
                                               state.keyword_hits().end()));
      const std::string screened = SlotValueOf(state, "red_flags");
      const bool cannot_tell = screened == kCannotTell;
      const bool unsure = screened == "unsure" || cannot_tell;
      v1::TriageLevel level =
          std::max(state.max_level(),
                   unsure ? v1::TRIAGE_LEVEL_SOON : v1::TRIAGE_LEVEL_SELF_CARE);
      change.max_level = level;
      absl::StatusOr<v1::Reply> reply = composer_.Answer(
          *condition, SummariseSlots(knowledge_, slots), level);
      if (!reply.ok()) return reply.status();
      if (unsure) {
        const std::string lead =
            cannot_tell ? triage_.Fill(t.cannot_tell()) : t.screening_unsure();
        reply->set_text(absl::StrCat(lead, "\n\n", reply->text()));
        reply->set_speech(absl::StrCat(ToSpeech(lead), " ", reply->speech()));
      }
      change.condition = condition->id();
      change.session_state = kAnswered;
      set_pending("", "", {});
      return done(*std::move(reply));
    }
    case MoveKind::kExplainQuestion: {
      // The reason with the question again counts as asking it: a third
      // ask of the same thing never follows.
      change.asked.push_back(WhyKey(state));
      const std::string key = PendingKey(state, assessment);
      if (!key.empty()) change.asked.push_back(key);
      if (PendingFillsItsOwnSlot(state)) {
        change.asked.push_back(state.pending_slot());
      }
      return done(ExplainQuestion(state, assessment));
    }
    case MoveKind::kFollowUp: {
      const ConditionSpec* condition =
          knowledge_.FindCondition(state.condition());
      v1::TriageLevel level =
          std::max(state.max_level(), v1::TRIAGE_LEVEL_SELF_CARE);
      set_pending("", "", {});
      absl::StatusOr<v1::Reply> reply =
          composer_.FollowUp(text, condition, level, move.off_topic);
      if (!reply.ok()) return reply.status();
      return done(*std::move(reply));
    }
  }
  return absl::InternalError("unhandled dialogue move");
}

}  // namespace kneechat

#include "services/understanding/extractor.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/text/tokenizer.h"
#include "services/understanding/canonical_text.h"
#include "services/understanding/context_analysis.h"
#include "services/understanding/crisis_reader.h"
#include "services/understanding/lexicon.h"

namespace kneechat {
namespace {

using understanding_internal::Assessment;
using understanding_internal::CanonicalText;
using understanding_internal::Clause;
using understanding_internal::ContextAnalysis;
using understanding_internal::Cue;
using understanding_internal::Lexicon;
using understanding_internal::PatternHit;
using understanding_internal::PhraseHit;
using understanding_internal::Relation;
using understanding_internal::SlotDefinition;
using understanding_internal::SlotPolicy;

// Temperatures (Celsius) that decide the fever finding.
constexpr double kFeverFrom = 38.0;
constexpr double kNormalUpTo = 37.5;
// Words in a reply short enough to be an answer to the question just asked.
constexpr size_t kShortReply = 6;

// Position of a word in the message, for ordering.
using Order = std::pair<size_t, size_t>;  // clause, word

// A token no word was made from (punctuation, dropped symbols).
constexpr Order kNoWord{SIZE_MAX, SIZE_MAX};

// The month a word names (1-12), if any.
std::optional<int> MonthOf(std::string_view word) {
  static constexpr std::pair<std::string_view, int> kMonths[] = {
      {"january", 1}, {"jan", 1},       {"february", 2},  {"feb", 2},
      {"march", 3},   {"april", 4},     {"apr", 4},       {"may", 5},
      {"june", 6},    {"jun", 6},       {"july", 7},      {"jul", 7},
      {"august", 8},  {"aug", 8},       {"september", 9}, {"sept", 9},
      {"sep", 9},     {"october", 10},  {"oct", 10},      {"november", 11},
      {"nov", 11},    {"december", 12}, {"dec", 12}};
  for (const auto& [name, month] : kMonths) {
    if (word == name) return month;
  }
  return std::nullopt;
}

// Words that, before a month, make it a date ("in March", "last November",
// "the end of June"); "may" and "march" need one to be a month at all.
bool DatesMonth(std::string_view before) {
  return before == "in" || before == "since" || before == "last" ||
         before == "of" || before == "early" || before == "late" ||
         before == "mid" || before == "during" || before == "from";
}

// Days from the last day of `month` (of `year` when told, else the latest
// not after `today`; a year earlier for "last May" said in May) to today:
// the most recent the month can put an event. 0 in the month itself, and in
// the month after on the last day of this one (the person's day may already
// be tomorrow's). Nothing for a month still to come.
std::optional<double> DaysSinceMonthEnded(absl::CivilDay today, int month,
                                          std::optional<int> year, bool last) {
  const absl::CivilMonth now(today);
  const absl::CivilMonth next_day_month(today + 1);
  absl::CivilMonth when;
  if (year) {
    when = absl::CivilMonth(*year, month);
  } else if (month == today.month() && !last) {
    return 0;
  } else if (month == next_day_month.month() && next_day_month != now) {
    return 0;
  } else {
    when = absl::CivilMonth(
        month <= today.month() ? today.year() : today.year() - 1, month);
    if (when == now) when -= 12;  // "last May" in May
  }
  if (when >= now) return when == now ? std::optional<double>(0) : std::nullopt;
  const absl::CivilDay end = absl::CivilDay(when + 1) - 1;
  return static_cast<double>(today - end);
}

struct FindingCandidate {
  Finding finding;
  Order order;
  bool family = false;          // a relative's past ("my mum had a clot")
  bool skin_explained = false;  // a skin cause told near it (Assessment)
  bool explained = false;       // put down to something harmless
  bool long_standing = false;   // told as of long standing (Assessment)
  bool cold_caused = false;     // a cold the foot was in told near it
  bool told_over = false;       // told back to itself later (ToldOverLater)
};

struct SlotCandidate {
  std::string slot;
  std::string value;
  std::string evidence;
  Order order;
};

int Rank(const Finding& f) {
  const int polarity = f.polarity == Polarity::kPresent  ? 3
                       : f.polarity == Polarity::kUnsure ? 2
                                                         : 1;
  return (f.temporality == Temporality::kCurrent ? 10 : 0) + polarity;
}

std::string Trimmed(std::string_view text) {
  return std::string(
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

// One Understand() call.
class Reading {
 public:
  Reading(const Lexicon& lexicon, const TokenizedText& tokens,
          const UnderstandingContext& context)
      : lexicon_(lexicon),
        tokens_(tokens),
        context_(context),
        text_(understanding_internal::Canonicalise(tokens, lexicon)),
        analysis_(text_, lexicon),
        word_of_token_(tokens.tokens.size(), kNoWord) {
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      const Clause& clause = text_.clauses[c];
      for (size_t w = 0; w < clause.words.size(); ++w) {
        Order& first = word_of_token_[clause.words[w].token];
        if (first == kNoWord) first = Order{c, w};
      }
    }
    asked_when_injured_ =
        Asked("injury_days") || (Asked("duration") && OnsetEventToldBefore());
  }

  Understanding Run() {
    Understanding out;
    // Crisis first: whatever else the message says, this is read.
    const understanding_internal::CrisisSignal crisis =
        understanding_internal::ReadCrisis(text_, tokens_.text, lexicon_);
    ReadIntents(&out);
    FindPhrases();
    ReadFindings(&out);
    DropOthersWhenAskingForSelf(&out);
    DropOthersBesideOwn(&out);
    DropACheckOfAnotherEpisode(&out);
    AddCrisisFindings(crisis, &out);
    ReadSlots(&out);
    out.revises_previous = analysis_.RevisesPrevious();
    // Findings settle it without running the topic patterns.
    out.on_topic =
        !out.findings.empty() || lexicon_.topic.Matches(text_.message);
    DecideOffTopic(&out);
    return out;
  }

 private:
  // ---- helpers -------------------------------------------------------

  // The person's own words from clause `first` to clause `last`.
  std::string Evidence(size_t first, size_t last) const {
    const Clause& a = text_.clauses[first];
    const Clause& b = text_.clauses[last];
    const size_t begin = tokens_.tokens[a.words.front().token].begin;
    const size_t end = tokens_.tokens[b.words.back().last_token].end;
    return tokens_.text.substr(begin, end - begin);
  }
  std::string Evidence(size_t clause) const { return Evidence(clause, clause); }

  std::optional<Order> WordOfMeasure(const Measure& m) const {
    for (size_t t = m.first_token; t <= m.last_token; ++t) {
      if (word_of_token_[t] != kNoWord) return word_of_token_[t];
    }
    return std::nullopt;
  }

  bool Asked(std::string_view slot) const { return context_.asking == slot; }
  // Whether the reply is read as an answer about `slot`: the slot asked, or
  // a duration when asked when an injury happened (injury_days).
  bool AskedAs(std::string_view slot) const {
    return Asked(slot) || (slot == "duration" && Asked("injury_days")) ||
           (slot == "injury_days" && AskedWhenInjured());
  }
  // Whether the reply says when an injury happened: to "when did it
  // happen?" (injury_days), or to "how long has it been?" after a fall or
  // twist was told.
  // (Read once, in the constructor: asked for every slot row and slot.)
  bool AskedWhenInjured() const { return asked_when_injured_; }

  bool AnyAsking() const {
    return !context_.asking.empty() || !context_.asking_findings.empty();
  }

  // ---- intents -------------------------------------------------------

  void ReadIntents(Understanding* out) {
    for (const PatternHit& hit : lexicon_.intents.FindAll(text_.message)) {
      out->intents.insert(
          lexicon_.intent_names[lexicon_.intents.payload(hit.pattern)]);
    }
    const bool asked_in_words = out->intents.count("question") > 0;
    for (const auto& sentence : text_.sentences) {
      if (sentence.question) out->intents.insert("question");
    }
    if (out->intents.count("unsure") > 0) {
      out->intents.erase("affirm");
      out->intents.erase("deny");
    }
    if (out->intents.count("correction") > 0) out->intents.erase("deny");
    // A short reply ending in "?" ("a bit?", "maybe 2 weeks?") answers the
    // question just asked; it does not ask one.
    if (AnyAsking() && !asked_in_words && text_.word_count <= kShortReply) {
      out->intents.erase("question");
    }
    answer_ = out->intents.count("unsure")   ? "unsure"
              : out->intents.count("deny")   ? "deny"
              : out->intents.count("affirm") ? "affirm"
                                             : "";
    correction_ = out->intents.count("correction") > 0;
  }

  // ---- phrases -------------------------------------------------------

  // What a released finding becomes (released_as), or null.
  const std::string* ReleasedAs(const std::string& from) const {
    for (const Relation& r : lexicon_.relations) {
      if (r.kind == Relation::kReleasedAs && r.from == from) return &r.to;
    }
    return nullptr;
  }

  bool Overrides(const std::string& from, const std::string& to) const {
    for (const Relation& r : lexicon_.relations) {
      if (r.kind == Relation::kOverrides && r.from == from && r.to == to) {
        return true;
      }
    }
    return false;
  }

  PhraseHit MakeHit(const understanding_internal::PatternBank& bank,
                    const PatternHit& hit, const Clause& clause) const {
    PhraseHit p;
    p.bank = &bank;
    p.pattern = hit.pattern;
    p.begin = hit.begin;
    p.end = hit.end;
    p.first = clause.WordAt(hit.begin);
    p.last = clause.WordAt(hit.end - 1);
    return p;
  }

  const std::string& FindingId(const PhraseHit& hit) const {
    return analysis_.FindingIdOf(hit);
  }

  // Hits of the "=id" rows over each sentence's clauses joined by spaces,
  // each placed in the clause where it ends (from that clause's start when
  // it began in an earlier one). A "=~id" hit (not the finding) takes out
  // the "=id" hits of its finding that end inside it: what they end on is
  // its words ("X-ray tomorrow, skin's not broken").
  std::vector<std::vector<PhraseHit>> SentenceHits() const {
    std::vector<std::vector<PhraseHit>> out(text_.clauses.size());
    if (lexicon_.sentence_findings.size() == 0) return out;
    const auto& bank = lexicon_.sentence_findings;
    auto rule_of = [&](const PatternHit& hit)
        -> const understanding_internal::FindingRule& {
      return lexicon_.finding_rules[bank.payload(hit.pattern)];
    };
    for (const auto& sentence : text_.sentences) {
      if (sentence.clauses.empty()) continue;
      std::string joined;
      std::vector<size_t> offsets;
      for (size_t c : sentence.clauses) {
        if (!joined.empty()) joined.push_back(' ');
        offsets.push_back(joined.size());
        joined += text_.clauses[c].text;
      }
      const std::vector<PatternHit> hits = bank.FindAll(joined);
      auto ends_in_an_ignored = [&](const PatternHit& hit) {
        return std::any_of(hits.begin(), hits.end(), [&](const PatternHit& o) {
          return rule_of(o).ignore && rule_of(o).id == rule_of(hit).id &&
                 o.begin < hit.end && hit.end <= o.end;
        });
      };
      for (const PatternHit& hit : hits) {
        if (rule_of(hit).ignore || ends_in_an_ignored(hit)) continue;
        size_t k = 0;
        while (k + 1 < offsets.size() && offsets[k + 1] < hit.end) ++k;
        const size_t c = sentence.clauses[k];
        const Clause& clause = text_.clauses[c];
        PatternHit local = hit;
        local.begin = hit.begin > offsets[k] ? hit.begin - offsets[k] : 0;
        local.end = std::min(hit.end - offsets[k], clause.text.size());
        if (local.end <= local.begin) continue;
        PhraseHit p = MakeHit(bank, local, clause);
        p.sentence = true;
        p.negation_is_content = rule_of(hit).absent;
        p.sentence_match = joined.substr(hit.begin, hit.end - hit.begin);
        p.sentence_offset = static_cast<std::ptrdiff_t>(offsets[k]) -
                            static_cast<std::ptrdiff_t>(hit.begin);
        out[c].push_back(p);
      }
    }
    return out;
  }

  const understanding_internal::FindingRule& Rule(const PhraseHit& hit) const {
    return analysis_.RuleOf(hit);
  }

  void FindPhrases() {
    finding_hits_.resize(text_.clauses.size());
    slot_hits_.resize(text_.clauses.size());
    std::vector<std::vector<PhraseHit>> sentence_hits = SentenceHits();
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      const Clause& clause = text_.clauses[c];
      std::vector<PhraseHit> hits = std::move(sentence_hits[c]);
      for (const PatternHit& hit : lexicon_.findings.FindAll(clause.text)) {
        PhraseHit p = MakeHit(lexicon_.findings, hit, clause);
        p.negation_is_content =
            lexicon_.finding_rules[lexicon_.findings.payload(hit.pattern)]
                .absent;
        hits.push_back(p);
      }
      // A phrase inside a wider one of the same finding, or of a finding
      // that overrides it ("calf swollen" over "swollen"), is dropped: the
      // same finding first, then overriding ones, so that what is dropped
      // does not depend on the order of the rows.
      std::vector<bool> drop(hits.size(), false);
      auto dropped_by = [&](size_t i, size_t j, bool same_finding) {
        const PhraseHit& a = hits[i];
        const PhraseHit& b = hits[j];
        if (!(b.begin <= a.begin && a.end <= b.end)) return false;
        const std::string& ida = FindingId(a);
        const std::string& idb = FindingId(b);
        if (!same_finding) return ida != idb && Overrides(idb, ida);
        if (ida != idb) return false;
        // Of two phrases over the same words, a "not the finding" phrase
        // wins; otherwise the first row does.
        const bool same_span = b.begin == a.begin && b.end == a.end;
        const bool a_ignores = Rule(a).ignore;
        const bool b_ignores = Rule(b).ignore;
        return !same_span || (b_ignores && !a_ignores) ||
               (a_ignores == b_ignores && j < i);
      };
      for (const bool same_finding : {true, false}) {
        for (size_t i = 0; i < hits.size(); ++i) {
          for (size_t j = 0; j < hits.size() && !drop[i]; ++j) {
            if (i != j && !drop[j] && dropped_by(i, j, same_finding)) {
              drop[i] = true;
            }
          }
        }
      }
      for (size_t i = 0; i < hits.size(); ++i) {
        if (!drop[i] && !Rule(hits[i]).ignore) {
          finding_hits_[c].push_back(hits[i]);
        }
      }
      analysis_.SetFindings(c, finding_hits_[c]);
      for (const PatternHit& hit : lexicon_.slots.FindAll(clause.text)) {
        slot_hits_[c].push_back(MakeHit(lexicon_.slots, hit, clause));
      }
      // An answer that lists what it is ("the allotment, walking", "going
      // for walks and stairs"): a row read only as an answer, anchored at
      // the reply's start, may start at any item of the list.
      if (!context_.asking.empty()) {
        for (size_t at : ListItemStarts(clause.text)) {
          for (PatternHit hit : lexicon_.slots.FindAll(
                   std::string_view(clause.text).substr(at))) {
            if (!lexicon_.slot_rules[lexicon_.slots.payload(hit.pattern)]
                     .only_when_asked) {
              continue;
            }
            hit.begin += at;
            hit.end += at;
            slot_hits_[c].push_back(MakeHit(lexicon_.slots, hit, clause));
          }
        }
      }
    }
  }

  // Where the items of a list begin in normalised clause text: after each
  // " , ", " and ", " or ", " / ", " + " or " & ".
  static std::vector<size_t> ListItemStarts(const std::string& text) {
    std::vector<size_t> out;
    for (std::string_view sep : {" , ", " and ", " or ", " / ", " + ", " & "}) {
      for (size_t at = text.find(sep); at != std::string::npos;
           at = text.find(sep, at + 1)) {
        out.push_back(at + sep.size());
      }
    }
    return out;
  }

  // ---- findings ------------------------------------------------------

  Finding MakeFinding(const std::string& id, const Assessment& a,
                      bool states_absence, size_t clause) const {
    Finding f;
    f.id = id;
    // A phrase stating absence, negated ("no way I can walk"), is present.
    const bool absent = states_absence != a.negated;
    f.polarity = a.hedged ? Polarity::kUnsure
                 : absent ? Polarity::kAbsent
                          : Polarity::kPresent;
    if (a.hypothetical) {
      f.temporality = Temporality::kHypothetical;
    } else if (a.historical && lexicon_.history_exempt.count(id) == 0) {
      f.temporality = Temporality::kHistorical;
    }
    f.experiencer = a.other ? Experiencer::kOther : Experiencer::kSelf;
    f.evidence = Evidence(clause);
    return f;
  }

  // Whether any clause of the message has a cue of `kind`.
  bool AnyClauseHas(Cue kind) const {
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      if (analysis_.HasCue(c, kind)) return true;
    }
    return false;
  }

  // Whether clause `c` or the one before it in its sentence has a cue of
  // `kind`.
  bool CueHereOrBefore(size_t c, Cue kind) const {
    if (analysis_.HasCue(c, kind)) return true;
    return c > 0 &&
           text_.clauses[c - 1].sentence == text_.clauses[c].sentence &&
           analysis_.HasCue(c - 1, kind);
  }

  // Whether clause `c`, or the clause before it in its sentence, has a word
  // that corrects what came before or follows on from it in time ("well",
  // "actually", "not ... exactly", "then": correction cues), and no
  // medicine: a sign brought down by one is hidden, not gone ("then no
  // fever after the calpol").
  bool Corrects(size_t c) const {
    return CueHereOrBefore(c, Cue::kCorrection) &&
           !CueHereOrBefore(c, Cue::kMedicine);
  }

  // One past the last clause of the sentence after clause `c`'s: the reach
  // of a recovery told later (RecoveredNow, RecoveredInPartLater).
  size_t EndOfNextSentence(size_t c) const {
    const size_t last_sentence = text_.clauses[c].sentence + 1;
    size_t k = c;
    while (k < text_.clauses.size() &&
           text_.clauses[k].sentence <= last_sentence) {
      ++k;
    }
    return k;
  }

  // "Couldn't put weight on it for the first hour. Now I'm walking
  // normally": a recovered_now_sign told as an inability then (a
  // past_inability cue at it), and its absence told now later (a current
  // cue), in full and as done (no recovery_partial cue after it, to the end
  // of the next sentence: "now I can walk a few steps with a limp", "by now
  // I should be able to walk"), of the same person and not by a medicine.
  bool RecoveredNow(const std::string& id, size_t earlier, size_t later,
                    bool of_other) const {
    if (lexicon_.recovered_now_signs.count(id) == 0 || earlier >= later ||
        later >= text_.clauses.size()) {
      return false;
    }
    if (!CueHereOrBefore(earlier, Cue::kPastInability) ||
        !CueHereOrBefore(later, Cue::kCurrent)) {
      return false;
    }
    // From the inability to the end of the sentence after the one that tells
    // it now ("I can walk now... to the toilet and back, that's about it"): no
    // medicine ("took some codeine and now I'm walking fine"), and after
    // the inability nothing partial, hoped for or still not possible ("now
    // I can walk, but only with crutches", "but can't manage stairs") and
    // nobody else's recovery: not another person's told of after the
    // writer's inability ("my husband is walking normally now"), nor, after
    // another person's, a new person named ("Mum couldn't get up. My dad is
    // walking about now"); "she's walking about now" after her inability is
    // hers.
    const size_t end = EndOfNextSentence(later);
    for (size_t k = earlier; k < end; ++k) {
      if (analysis_.HasCue(k, Cue::kMedicine)) return false;
      if (k > earlier &&
          (analysis_.HasCue(k, Cue::kRecoveryPartial) ||
           analysis_.HasCue(k, of_other ? Cue::kNamedOther : Cue::kOther))) {
        return false;
      }
    }
    return true;
  }

  // "couldn't put weight on it at first, now I can walk a few steps with a
  // limp": after clause `c`, to the end of the next sentence, a clause that
  // tells finding `id` absent with a recovery_partial cue in it (a recovery
  // in part, which does not make the inability a thing of the past).
  bool RecoveredInPartLater(const std::string& id, size_t c) const {
    const size_t end = EndOfNextSentence(c);
    for (size_t k = c + 1; k < end; ++k) {
      if (!analysis_.HasCue(k, Cue::kRecoveryPartial)) continue;
      for (const PhraseHit& hit : finding_hits_[k]) {
        if (FindingId(hit) != id) continue;
        const Assessment a = analysis_.Assess(k, hit);
        if (a.negated != hit.negation_is_content) return true;
      }
    }
    return false;
  }

  void ReadFindings(Understanding* out) {
    std::vector<FindingCandidate> candidates;
    std::vector<bool> has_temperature(text_.clauses.size(), false);
    for (const Measure& m : tokens_.measures) {
      if (m.kind != MeasureKind::kTemperature) continue;
      auto where = WordOfMeasure(m);
      if (!where) continue;
      has_temperature[where->first] = true;
      Assessment a = analysis_.AssessWord(where->first, where->second);
      Finding f = MakeFinding("fever", a, m.value <= kNormalUpTo, where->first);
      if (m.value > kNormalUpTo && m.value < kFeverFrom) {
        f.polarity = Polarity::kUnsure;
      }
      candidates.push_back({f, *where});
    }
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      for (const PhraseHit& hit : finding_hits_[c]) {
        if (FindingId(hit) == "fever" && has_temperature[c]) continue;
        Assessment a = analysis_.Assess(c, hit);
        // "jammed on me, just for a second or two": a lock let go is catching.
        const std::string* released_as = a.negated || hit.negation_is_content
                                             ? nullptr
                                             : ReleasedAs(FindingId(hit));
        if (released_as && !analysis_.Released(c, hit)) released_as = nullptr;
        const std::string& id = released_as ? *released_as : FindingId(hit);
        // "couldn't put weight on it for the first few days": how the knee
        // is now is asked, not assumed. (Its absence told so, "walking fine
        // now, couldn't for the first ten minutes", stays as told.)
        if (!a.hypothetical && !a.historical &&
            a.negated == hit.negation_is_content &&
            lexicon_.then_only_signs.count(id) > 0 &&
            analysis_.ThenOnly(c, hit.first) && !RecoveredInPartLater(id, c)) {
          a.historical = true;
        }
        const bool explained =
            (a.explained && lexicon_.explain_exempt.count(id) == 0) ||
            (a.exertion_explained && lexicon_.exertion_signs.count(id) > 0);
        if (lexicon_.over_named_signs.count(id) > 0 &&
            analysis_.OverByName(c, hit.last, a.other)) {
          continue;
        }
        // A lock let go and then told as fine is catching, not nothing.
        const bool over =
            a.over && (lexicon_.over_relapse_signs.count(id) == 0 ||
                       analysis_.OverForGood(c, hit.last));
        if (over && !released_as && lexicon_.explain_exempt.count(id) == 0 &&
            lexicon_.over_exempt.count(id) == 0) {
          continue;
        }
        if (explained && !MayBeKept(id)) continue;
        candidates.push_back(
            {MakeFinding(id, a, hit.negation_is_content, c),
             Order{c, hit.first}, a.family, a.skin_explained, explained,
             a.long_standing, a.cold_caused,
             lexicon_.long_standing_signs.count(id) > 0 &&
                 analysis_.ToldOverLater(c, hit.last, a.other)});
      }
      // "asking because mine is too": the hypotheticals just asked about are
      // real.
      if (finding_hits_[c].empty() && analysis_.HasCue(c, Cue::kActual)) {
        for (FindingCandidate& earlier : candidates) {
          if (earlier.order.first < c &&
              earlier.finding.temporality == Temporality::kHypothetical) {
            earlier.finding.temporality = Temporality::kCurrent;
            earlier.finding.evidence =
                absl::StrCat(earlier.finding.evidence, " ", Evidence(c));
          }
        }
      }
    }
    DropExplainedUnlessKept(&candidates);
    DropFamilyHistory(&candidates);
    DropCaused(&candidates, &FindingCandidate::skin_explained,
               lexicon_.skin_signs, lexicon_.skin_guards);
    DropCaused(&candidates, &FindingCandidate::long_standing,
               lexicon_.long_standing_signs, lexicon_.long_standing_guards);
    // "toes went white and numb in the ice bath": a cold the foot was in
    // explains the same foot signs, with more guards (a swelling, a pop, a
    // painful calf, a known fracture).
    DropCaused(&candidates, &FindingCandidate::cold_caused,
               lexicon_.long_standing_signs, lexicon_.cold_cause_guards);
    // "my toes went white in the sea, pink again once I was dressed": a
    // foot told back to itself is over, with the same guards.
    DropCaused(&candidates, &FindingCandidate::told_over,
               lexicon_.long_standing_signs, lexicon_.long_standing_guards);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const FindingCandidate& a, const FindingCandidate& b) {
                       return a.order < b.order;
                     });
    // The writer's own injuries, before one finding per id merges the
    // writer's fall with another person's (DropOthersBesideOwn).
    for (const FindingCandidate& c : candidates) {
      const Finding& f = c.finding;
      if (f.experiencer == Experiencer::kSelf &&
          f.polarity == Polarity::kPresent &&
          f.temporality == Temporality::kCurrent) {
        own_findings_.insert(f.id);
      }
    }

    // One finding per id: current before hypothetical or historical; then
    // present, unsure, absent. Except that a sign said and then corrected
    // ("it feels locked. Well, not locked exactly"; "couldn't put weight on
    // it for a few seconds, then got up and walked home fine") is taken
    // back: the later word stands when its clause (or the one before it in
    // its sentence) says it corrects or follows on, or when an inability
    // told then is told as gone now (RecoveredNow). A later "no" alone
    // ("the other knee isn't hot", "no fever now after paracetamol") takes
    // nothing back, and a crisis is never taken back.
    std::vector<Finding> resolved;
    std::vector<size_t> clause_of;
    std::map<std::string, size_t> index;
    for (const FindingCandidate& c : candidates) {
      auto it = index.find(c.finding.id);
      if (it == index.end()) {
        index[c.finding.id] = resolved.size();
        resolved.push_back(c.finding);
        clause_of.push_back(c.order.first);
        continue;
      }
      Finding& kept = resolved[it->second];
      const bool taken_back =
          c.finding.polarity == Polarity::kAbsent &&
          c.finding.temporality == Temporality::kCurrent &&
          kept.temporality == Temporality::kCurrent &&
          kept.polarity != Polarity::kAbsent &&
          c.finding.experiencer == kept.experiencer &&
          c.order.first != SIZE_MAX && clause_of[it->second] < c.order.first &&
          !IsCrisisFinding(c.finding.id) &&
          (Corrects(c.order.first) ||
           RecoveredNow(c.finding.id, clause_of[it->second], c.order.first,
                        kept.experiencer == Experiencer::kOther));
      if (taken_back || Rank(c.finding) > Rank(kept)) {
        kept = c.finding;
        clause_of[it->second] = c.order.first;
      }
    }
    AddImplied(&resolved, &index);
    ReadAsTheAskedPart(&resolved, &index);
    AnswerAskedFindings(&resolved, &index);
    out->findings = std::move(resolved);
  }

  // "My grandad had a clot after his hip op; my calves ache since I took up
  // running": when the writer tells of their own symptoms (naming their own
  // body) and of nobody
  // else's now, a relative's past is background, not the patient's. (When
  // the relative is the one with symptoms now, "my mum had a knee
  // replacement and her knee is hot", it is the patient's history.)
  // The writer names their own body ("my calves", "both my knees") in the
  // clause: without it ("i think knee is infected, temp 39") the person
  // with the symptoms may well be the relative.
  bool NamesOwnBody(size_t clause) const {
    const auto& words = text_.clauses[clause].words;
    for (size_t i = 0; i < words.size(); ++i) {
      if (words[i].text != "my") continue;
      for (size_t j = i + 1; j < words.size() && j <= i + 3; ++j) {
        if (understanding_internal::IsBodyPartOrPlural(words[j].text)) {
          return true;
        }
      }
    }
    return false;
  }

  void DropFamilyHistory(std::vector<FindingCandidate>* candidates) const {
    bool writer_now = false;
    bool other_now = false;
    for (const FindingCandidate& c : *candidates) {
      const Finding& f = c.finding;
      if (c.family || f.temporality != Temporality::kCurrent ||
          f.polarity != Polarity::kPresent) {
        continue;
      }
      if (f.experiencer != Experiencer::kSelf) {
        other_now = true;
      } else if (c.order.first < text_.clauses.size() &&
                 NamesOwnBody(c.order.first)) {
        writer_now = true;
      }
    }
    if (!writer_now || other_now) return;
    candidates->erase(
        std::remove_if(candidates->begin(), candidates->end(),
                       [](const FindingCandidate& c) { return c.family; }),
        candidates->end());
  }

  // Whether an explained finding `id` may still be kept by what is told
  // with it (a kept_sign of some group).
  bool MayBeKept(const std::string& id) const {
    for (const auto& [name, group] : lexicon_.kept_sign_groups) {
      if (group.signs.count(id)) return true;
    }
    return false;
  }

  // A sign put down to something harmless ("bit breathless, but that's only
  // the stairs") is taken back, as any explained finding is, unless the
  // conversation tells of the same person a context of its group that is
  // not explained itself (a long flight, an operation, the pill, a swollen
  // calf for a clot; an injection or a replaced knee for an infection) or a
  // partner sign, explained or not (breathlessness beside a sore calf):
  // then it is what a clot or an infection looks like, whatever the person
  // puts it down to.
  void DropExplainedUnlessKept(
      std::vector<FindingCandidate>* candidates) const {
    auto counts = [](const Finding& f) {
      return f.polarity != Polarity::kAbsent &&
             f.temporality == Temporality::kCurrent;
    };
    auto kept = [&](const FindingCandidate& sign) {
      for (const auto& [name, group] : lexicon_.kept_sign_groups) {
        if (!group.signs.count(sign.finding.id)) continue;
        for (const FindingCandidate& c : *candidates) {
          if (&c == &sign || !counts(c.finding) ||
              c.finding.experiencer != sign.finding.experiencer) {
            continue;
          }
          if (group.partners.count(c.finding.id) ||
              (!c.explained && group.contexts.count(c.finding.id))) {
            return true;
          }
        }
        for (const auto& [id, experiencer] : context_.told_before) {
          if (experiencer == sign.finding.experiencer &&
              (group.partners.count(id) || group.contexts.count(id))) {
            return true;
          }
        }
      }
      return false;
    };
    std::vector<bool> keep;
    for (const FindingCandidate& c : *candidates) {
      keep.push_back(!c.explained || kept(c));
    }
    size_t next = 0;
    candidates->erase(
        std::remove_if(candidates->begin(), candidates->end(),
                       [&](const FindingCandidate&) { return !keep[next++]; }),
        candidates->end());
  }

  // A harmless cause told near a sign explains it and nothing else, and
  // not at all when the message also tells a finding that the sign could
  // mean danger with (a guard). "Got a tattoo yesterday, it's red and warm
  // round it", "fell into nettles", "sunburnt": a skin cause explains a red
  // or warm knee (skin_sign), unless a swelling, a fever or feeling unwell
  // is told too (skin_guard). "My feet are always freezing, both of them,
  // since I was a teen": a long-standing cause explains a cold, pale or numb
  // foot (long_standing_sign), unless an injury, a cast or a dislocation is
  // told too (long_standing_guard). "Toes white in the ice bath": a cold
  // the foot was in explains the same signs, unless an injury, a cast, a
  // painful calf or the other cold_cause_guard findings are told. A guard
  // told in an earlier message counts too.
  void DropCaused(std::vector<FindingCandidate>* candidates,
                  bool FindingCandidate::*caused,
                  const std::set<std::string>& signs,
                  const std::set<std::string>& guards) const {
    // A guard told as unsure counts ("I think I might have dislocated it").
    for (const FindingCandidate& c : *candidates) {
      if (c.finding.polarity != Polarity::kAbsent &&
          c.finding.temporality == Temporality::kCurrent &&
          guards.count(c.finding.id)) {
        return;
      }
    }
    // Or told in an earlier message ("I fell on Sunday" before "my toes are
    // white, but they always are").
    for (const auto& [id, experiencer] : context_.told_before) {
      if (guards.count(id)) return;
    }
    candidates->erase(std::remove_if(candidates->begin(), candidates->end(),
                                     [&](const FindingCandidate& c) {
                                       return c.*caused &&
                                              c.finding.polarity !=
                                                  Polarity::kAbsent &&
                                              signs.count(c.finding.id);
                                     }),
                      candidates->end());
  }

  void AddImplied(std::vector<Finding>* findings,
                  std::map<std::string, size_t>* index) const {
    for (int round = 0; round < 4; ++round) {
      bool changed = false;
      for (const Relation& r : lexicon_.relations) {
        if (r.kind != Relation::kImplies) continue;
        auto from = index->find(r.from);
        if (from == index->end()) continue;
        const Finding source = (*findings)[from->second];
        if (source.polarity == Polarity::kAbsent) continue;
        Finding implied = source;
        implied.id = r.to;
        auto to = index->find(r.to);
        if (to == index->end()) {
          (*index)[r.to] = findings->size();
          findings->push_back(implied);
          changed = true;
        } else if (Rank(implied) > Rank((*findings)[to->second])) {
          (*findings)[to->second] = implied;
          changed = true;
        }
      }
      if (!changed) break;
    }
  }

  // The part_sign relation of finding `id` (finding_relations.tsv:
  // calf_swollen is swollen told of the calf), or nullptr.
  const Relation* PartSignOf(const std::string& id) const {
    for (const Relation& r : lexicon_.relations) {
      if (r.kind == Relation::kPartSign && r.from == id) return &r;
    }
    return nullptr;
  }

  // Whether `ids` are all one part's signs (none: false).
  bool AllPartSigns(const std::vector<std::string>& ids) const {
    return !ids.empty() &&
           std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
             return PartSignOf(id) != nullptr;
           });
  }

  // "Soft, no bigger than the other" or "not red, not hot" to "is the
  // calf swollen, warm or red?": a sign told without naming where, in
  // answer to a question about one part's signs only, is that part's sign
  // (the part_sign rows of finding_relations.tsv: calf_swollen is swollen
  // told of the calf). One told present or unsure ("hot and sore when I
  // poke it") is the part's too, and stays the knee's as well: whose it is
  // cannot be told, and either may be serious. Not for a question that asks
  // other signs too (the checklist), nor for a message that names another
  // place (a place_named cue: "the foot is warm"), nor, for a sign told
  // present or unsure, when the part is in doubt (WhichPartUnsaid: "a bit
  // swollen" to the calf asked as the swelling may be the knee's).
  void ReadAsTheAskedPart(std::vector<Finding>* findings,
                          std::map<std::string, size_t>* index) const {
    const std::vector<std::string>& asked = context_.asking_findings;
    if (!AllPartSigns(asked) || AnyClauseHas(Cue::kPlaceNamed)) return;
    const bool part_unsaid = WhichPartUnsaid();
    for (const std::string& id : asked) {
      const Relation& r = *PartSignOf(id);
      if (index->count(r.from) > 0) continue;
      auto general = index->find(r.to);
      if (general == index->end()) continue;
      const size_t at = general->second;
      Finding& f = (*findings)[at];
      if (f.temporality != Temporality::kCurrent) continue;
      if (f.polarity != Polarity::kAbsent) {
        if (part_unsaid) continue;
        Finding part = f;
        part.id = r.from;
        (*index)[r.from] = findings->size();
        findings->push_back(std::move(part));  // may move f: not used after
        continue;
      }
      index->erase(general);
      f.id = r.from;
      (*index)[r.from] = at;
    }
  }

  // Asked first as a slot's topic about another part's signs (the calf
  // asked as the swelling: UnderstandingContext::asked_as_topic), a reply
  // that does not name the part ("a bit", "no, the knee isn't") may be about
  // the knee. One that names it ("yes, the calf is") says which.
  bool WhichPartUnsaid() const {
    if (!context_.asked_as_topic || !AllPartSigns(context_.asking_findings)) {
      return false;
    }
    for (const auto& clause : text_.clauses) {
      for (const auto& w : clause.words) {
        if (w.text == "calf" || w.text == "calves" || w.text == "calfs") {
          return false;
        }
      }
    }
    return true;
  }

  void AnswerAskedFindings(std::vector<Finding>* findings,
                           std::map<std::string, size_t>* index) const {
    if (context_.asking_findings.empty() || answer_.empty()) return;
    // A question that asks a slot ("can you put weight on it?" asks
    // weight_bearing) takes a yes or no as the slot's value; its findings
    // follow from the slot, whatever way round the question is put.
    // (The screening checklist is not such a question: its "no" and "not
    // sure" speak for every sign on the list.)
    for (const auto& slot_answer : lexicon_.slot_answers) {
      if (context_.asking != "red_flags" &&
          slot_answer.slot == context_.asking &&
          slot_answer.intent == answer_) {
        return;
      }
    }
    const Polarity polarity = answer_ == "affirm" ? Polarity::kPresent
                              : answer_ == "deny" ? Polarity::kAbsent
                                                  : Polarity::kUnsure;
    // "A bit" to the calf asked as the swelling: which part is not said;
    // "no, the knee isn't" (a place_named cue) is about another part.
    if (WhichPartUnsaid() &&
        (polarity != Polarity::kAbsent || AnyClauseHas(Cue::kPlaceNamed))) {
      return;
    }
    for (const std::string& id : context_.asking_findings) {
      if (lexicon_.finding_ids.count(id) == 0) continue;
      auto it = index->find(id);
      if (it != index->end() &&
          (*findings)[it->second].temporality == Temporality::kCurrent) {
        continue;  // the message speaks to it in its own words
      }
      Finding f;
      f.id = id;
      f.polarity = polarity;
      f.evidence = Trimmed(tokens_.text);
      if (it != index->end()) {
        (*findings)[it->second] = f;
      } else {
        (*index)[id] = findings->size();
        findings->push_back(f);
      }
    }
  }

  // ---- crisis --------------------------------------------------------

  std::string SentenceEvidence(const std::vector<size_t>& sentences) const {
    std::vector<std::string> parts;
    for (size_t s : sentences) {
      const auto& clauses = text_.sentences[s].clauses;
      if (clauses.empty()) continue;
      parts.push_back(Evidence(clauses.front(), clauses.back()));
    }
    return absl::StrJoin(parts, " ");
  }

  // Crisis findings replace whatever the same ids got from elsewhere (a
  // "yes" to the question about plans is read by AnswerAskedFindings).
  void AddCrisisFindings(const understanding_internal::CrisisSignal& crisis,
                         Understanding* out) const {
    auto add = [&](const char* id, const std::vector<size_t>& sentences) {
      Finding f;
      f.id = id;
      f.evidence = SentenceEvidence(sentences);
      for (Finding& existing : out->findings) {
        if (existing.id == id) {
          existing = f;
          return;
        }
      }
      out->findings.push_back(std::move(f));
    };
    if (!crisis.danger_sentences.empty()) {
      add(understanding_internal::kCrisisDanger, crisis.danger_sentences);
    }
    if (!crisis.thought_sentences.empty()) {
      add(understanding_internal::kCrisisThoughts, crisis.thought_sentences);
    }
    if (!crisis.means_sentences.empty()) {
      add(understanding_internal::kCrisisMeans, crisis.means_sentences);
    }
    if (!crisis.prep_sentences.empty()) {
      add(understanding_internal::kCrisisPrep, crisis.prep_sentences);
    }
    if (!crisis.step_sentences.empty()) {
      add(understanding_internal::kCrisisStep, crisis.step_sentences);
    }
  }

  // ---- slots ---------------------------------------------------------

  // A slot that findings also report and that takes one value by priority
  // (onset, swelling, weight_bearing): a symptom, not a fact about the
  // person such as the age or what brings the pain on.
  bool IsSymptomSlot(const std::string& slot) const {
    const SlotDefinition* def = lexicon_.FindSlot(slot);
    if (def == nullptr || def->policy != SlotPolicy::kPriority) return false;
    for (const auto& fs : lexicon_.finding_slots) {
      if (fs.slot == slot) return true;
    }
    return false;
  }

  void ReadSlots(Understanding* out) {
    std::vector<SlotCandidate> candidates;
    std::vector<bool> activity_in_clause(text_.clauses.size(), false);
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      for (const PhraseHit& hit : slot_hits_[c]) {
        const auto& rule =
            lexicon_.slot_rules[lexicon_.slots.payload(hit.pattern)];
        if (rule.only_when_asked && !AskedAs(rule.slot)) continue;
        Assessment a = analysis_.Assess(c, hit);
        // The reply to "when did it happen?" is about the past by nature.
        if (a.negated || a.hypothetical ||
            (a.historical && rule.slot != "injury_days")) {
          continue;
        }
        // "for the first two days I needed a frame": a slot a
        // then_only_sign fills, told of the first days only, is not how it
        // is now (ThenOnly).
        if (lexicon_.then_only_slots.count(rule.slot) > 0 &&
            analysis_.ThenOnly(c, hit.first)) {
          continue;
        }
        // "limped for an hour because of a blister": a symptom slot the
        // person puts down to something harmless is taken back, as the
        // findings are.
        if (a.explained && IsSymptomSlot(rule.slot)) continue;
        if (rule.slot == "activity") activity_in_clause[c] = true;
        candidates.push_back(
            {rule.slot, rule.value, Evidence(c), Order{c, hit.first}});
      }
    }
    for (const Finding& f : out->findings) {
      if (f.temporality != Temporality::kCurrent ||
          f.polarity == Polarity::kUnsure) {
        continue;
      }
      for (const auto& fs : lexicon_.finding_slots) {
        if (fs.finding == f.id &&
            fs.present == (f.polarity == Polarity::kPresent)) {
          candidates.push_back(
              {fs.slot, fs.value, f.evidence, Order{SIZE_MAX, 0}});
        }
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const SlotCandidate& a, const SlotCandidate& b) {
                       return a.order < b.order;
                     });
    // The age first: a bare "45 years" it takes is not a duration.
    const std::optional<SlotValue> age = ReadAge();
    const Durations durations = ReadDurations(activity_in_clause);
    for (const SlotDefinition& def : lexicon_.slot_definitions) {
      std::vector<const SlotCandidate*> mine;
      for (const SlotCandidate& c : candidates) {
        if (c.slot == def.name) mine.push_back(&c);
      }
      std::optional<SlotValue> value;
      if (def.policy == SlotPolicy::kNumber) {
        value = def.name == "age"           ? age
                : def.name == "duration"    ? durations.duration
                : def.name == "injury_days" ? durations.injury_days
                                            : std::nullopt;
        if (!value && !mine.empty()) {
          value = SlotValue{mine.front()->value, mine.front()->evidence};
        }
        // Asked when it happened, a time not counted ("ages ago") answers;
        // asked how long it has been since a fall, "Tuesday just gone" does.
        if (!value && AskedWhenInjured() &&
            (def.name == "injury_days" || def.name == "duration")) {
          const std::string other =
              def.name == "duration" ? "injury_days" : "duration";
          for (const SlotCandidate& c : candidates) {
            if (c.slot == other) {
              value = SlotValue{c.value, c.evidence};
              break;
            }
          }
        }
      } else if (!mine.empty()) {
        value = Combine(def, mine);
      }
      if (!value && Asked(def.name) && !answer_.empty()) {
        for (const auto& answer : lexicon_.slot_answers) {
          if (answer.slot == def.name && answer.intent == answer_) {
            value = SlotValue{answer.value, Trimmed(tokens_.text)};
            break;
          }
        }
      }
      if (value) out->slots[def.name] = *value;
    }
  }

  SlotValue Combine(const SlotDefinition& def,
                    const std::vector<const SlotCandidate*>& mine) const {
    auto rank = [&](const std::string& v) {
      return std::find(def.values.begin(), def.values.end(), v) -
             def.values.begin();
    };
    switch (def.policy) {
      case SlotPolicy::kFirst: {
        const SlotCandidate* c = correction_ ? mine.back() : mine.front();
        return {c->value, c->evidence};
      }
      case SlotPolicy::kPriority: {
        const SlotCandidate* best = mine.front();
        for (const SlotCandidate* c : mine) {
          if (rank(c->value) < rank(best->value)) best = c;
        }
        return {best->value, best->evidence};
      }
      case SlotPolicy::kUnion: {
        std::vector<std::string> values;
        for (const SlotCandidate* c : mine) {
          if (std::find(values.begin(), values.end(), c->value) ==
              values.end()) {
            values.push_back(c->value);
          }
        }
        std::sort(values.begin(), values.end(),
                  [&](const std::string& a, const std::string& b) {
                    return rank(a) < rank(b);
                  });
        return {absl::StrJoin(values, ","), mine.front()->evidence};
      }
      case SlotPolicy::kSides: {
        if (correction_) return {mine.back()->value, mine.back()->evidence};
        bool left = false, right = false, both = false;
        for (const SlotCandidate* c : mine) {
          left |= c->value == "left";
          right |= c->value == "right";
          both |= c->value == "both";
        }
        const std::string v = (both || (left && right)) ? "both"
                              : left                    ? "left"
                                                        : "right";
        for (const SlotCandidate* c : mine) {
          if (c->value == v) return {v, c->evidence};
        }
        return {v, mine.front()->evidence};
      }
      case SlotPolicy::kNumber:
        break;
    }
    return {mine.front()->value, mine.front()->evidence};
  }

  // The person's age: the first one told that is not supposed, and not one
  // told of a time gone by ("hurt it aged 19 ... I'm 40 now") when another
  // is told.
  std::optional<SlotValue> ReadAge() {
    std::optional<SlotValue> past;
    for (const Measure& m : tokens_.measures) {
      if (m.kind != MeasureKind::kAge) continue;
      auto where = WordOfMeasure(m);
      if (!where) continue;
      const auto assessed = analysis_.AssessWord(where->first, where->second);
      if (assessed.hypothetical) continue;
      SlotValue age{absl::StrCat(std::lround(m.value)), Evidence(where->first)};
      if (!assessed.historical) return age;
      if (!past) past = std::move(age);
    }
    if (past) return past;
    if (!Asked("age")) return std::nullopt;
    // A bare number, or "31 years", answering "how old are you?".
    for (size_t t = 0; t < tokens_.tokens.size(); ++t) {
      const Token& token = tokens_.tokens[t];
      if (token.kind != TokenKind::kNumber) continue;
      bool in_measure = false;
      for (const Measure& m : tokens_.measures) {
        if (t >= m.first_token && t <= m.last_token) {
          in_measure =
              m.kind != MeasureKind::kDuration || std::fmod(m.value, 365) != 0;
        }
      }
      const double v = token.number;
      if (!in_measure && v >= 1 && v <= 120 && std::floor(v) == v) {
        age_token_ = t;
        const Order& word = word_of_token_[t];
        return SlotValue{
            absl::StrCat(static_cast<int>(v)),
            word == kNoWord ? Trimmed(tokens_.text) : Evidence(word.first)};
      }
    }
    return std::nullopt;
  }

  // The normalised token `t` ("" past the end).
  std::string_view NormAt(size_t t) const {
    return t < tokens_.tokens.size() ? std::string_view(tokens_.tokens[t].norm)
                                     : std::string_view();
  }

  // "fourteen days on", "three weeks on now", "a month since the fall": a
  // time told as counted from the event.
  bool CountsFromTheEvent(const Measure& m) const {
    const std::string_view after = NormAt(m.last_token + 1);
    const std::string_view next = NormAt(m.last_token + 2);
    if (after == "on") {
      return next.empty() || next == "now" || next == "," || next == "." ||
             next == "and" || next == "but";
    }
    if (after != "since") return false;
    for (const std::string_view event :
         {"i", "he", "she", "the", "that", "my", "his", "her", "it"}) {
      if (next == event) return true;
    }
    return false;
  }

  // "it happened yesterday", "it actually happened yesterday", "this was
  // like five weeks ago": a time told of "it" or "this" happening, which
  // after a fall or twist told before dates that event.
  bool RefersToTheEvent(const Measure& m) const {
    if (m.anchor != DurationAnchor::kAgo && m.anchor != DurationAnchor::kBare) {
      return false;
    }
    size_t t = m.first_token;
    auto before = [&]() -> std::string_view {
      return t == 0 ? std::string_view() : NormAt(t - 1);
    };
    for (int skipped = 0; skipped < 3; ++skipped) {
      const std::string_view w = before();
      if (w != "like" && w != "about" && w != "around" && w != "maybe" &&
          w != "roughly" && w != "only" && w != "actually" && w != "just" &&
          w != "really") {
        break;
      }
      --t;
    }
    const std::string_view verb = before();
    if (verb == "happened" || verb == "happend") return true;
    if (verb != "was" || t < 2) return false;
    const std::string_view subject = NormAt(t - 2);
    return subject == "it" || subject == "this" || subject == "that";
  }

  // Whether an earlier message told an onset event (a fall, a twist).
  bool OnsetEventToldBefore() const {
    return std::any_of(context_.told_before.begin(), context_.told_before.end(),
                       [this](const auto& told) {
                         return lexicon_.onset_events.count(told.first) > 0;
                       });
  }

  // Whether clause `c` tells an onset event (lexicon onset_events: a fall, a
  // twist) as happening: not denied, not hypothetical, and unless
  // `historical_counts`, not of the past.
  bool OnsetEventIn(size_t c, bool historical_counts) const {
    for (const PhraseHit& hit : finding_hits_[c]) {
      if (lexicon_.onset_events.count(FindingId(hit)) == 0) continue;
      const Assessment a = analysis_.Assess(c, hit);
      if (a.negated == hit.negation_is_content && !a.hypothetical &&
          (historical_counts || !a.historical)) {
        return true;
      }
    }
    return false;
  }

  // The duration slot (how long the problem has been, from a newer injury
  // when one is dated) and the injury_days slot (how long ago a fall or
  // twist was, only from a time told with it).
  struct Durations {
    std::optional<SlotValue> duration;
    std::optional<SlotValue> injury_days;
  };

  Durations ReadDurations(const std::vector<bool>& activity_in_clause) const {
    // "When did it happen?" (a rule's question that fills injury_days): the
    // reply's time is how long ago the injury was, as a reply to "how long
    // has it been?" is the duration.
    const bool asked_injury = AskedWhenInjured();
    const bool asked = AskedAs("duration");
    // Per sentence, whether it tells an onset event: "must be a month ago
    // now, I gave it a knock" dates the injury. Read on first use (most
    // messages tell no time).
    std::vector<bool> onset_sentence;
    const auto onset_in_sentence_of = [&](size_t c) {
      if (onset_sentence.empty()) {
        onset_sentence.assign(text_.clauses.back().sentence + 1, false);
        for (size_t k = 0; k < text_.clauses.size(); ++k) {
          if (OnsetEventIn(k, /*historical_counts=*/true)) {
            onset_sentence[text_.clauses[k].sentence] = true;
          }
        }
      }
      return static_cast<bool>(onset_sentence[text_.clauses[c].sentence]);
    };
    const auto onset_told = [&] {
      if (OnsetEventToldBefore()) return true;
      for (size_t c = 0; c < text_.clauses.size(); ++c) {
        if (onset_in_sentence_of(c)) return true;
      }
      return false;
    };
    int best_rank = 0;
    std::optional<SlotValue> best;
    double best_days = 0;
    std::optional<SlotValue> newest;
    double newest_days = 0;
    std::optional<SlotValue> injury;
    std::optional<double> injury_days;
    std::set<size_t> dated_sentences;  // whose fall or twist a time dates
    bool all_dated = false;            // "some fourteen days on"
    for (const Measure& m : tokens_.measures) {
      if (m.kind != MeasureKind::kDuration) continue;
      // "45 years" answering "how old are you?" is the age.
      if (age_token_ >= m.first_token && age_token_ <= m.last_token) continue;
      auto where = WordOfMeasure(m);
      if (!where) continue;
      const size_t c = where->first;
      if (analysis_.AssessWord(c, where->second).hypothetical) continue;
      const bool anchored =
          analysis_.HasCue(c, Cue::kDurationAnchor) || onset_in_sentence_of(c);
      int rank = 0;
      switch (m.anchor) {
        case DurationAnchor::kFor:
        case DurationAnchor::kSince:
          rank = 4;
          break;
        case DurationAnchor::kAgo:
          rank = anchored ? 3 : (asked ? 1 : 0);
          break;
        case DurationAnchor::kBare:
          rank = 2;
          break;
        case DurationAnchor::kWithin:
          rank = asked ? 1 : 0;
          break;
        case DurationAnchor::kVague:
          rank = (asked || (anchored && !activity_in_clause[c])) ? 1 : 0;
          break;
        case DurationAnchor::kNone:
          break;
      }
      // Minutes and hours are how long an activity or a bout lasted, unless
      // the person dates the problem itself ("been like this for 3 hours").
      if (m.value < 1 && !asked &&
          (!anchored || activity_in_clause[c] ||
           (m.anchor != DurationAnchor::kFor &&
            m.anchor != DurationAnchor::kSince))) {
        rank = 0;
      }
      if (m.value < 1.0 / 24 - 1e-9 && !asked) rank = 0;
      const auto value_of = [&](double days) {
        return SlotValue{absl::StrCat(std::lround(std::floor(days + 0.5))),
                         Evidence(c)};
      };
      if (rank > best_rank) {
        best_rank = rank;
        best = value_of(m.value);
        best_days = m.value;
      }
      // Asked when it happened, the most recent time the reply counts is
      // the injury's ("yesterday, though it has ached since last year"), a
      // range's lower end ("a week or two"): the safe side.
      if (rank > 0 && asked_injury && (!newest || m.low < newest_days)) {
        newest = value_of(m.low);
        newest_days = m.low;
      }
      // "fell in the street this morning", "twisted it three weeks ago": a
      // time that dates a fall or twist in its sentence (even minutes ago);
      // "some fourteen days on", "three weeks since the fall": a time
      // counted from an injury told anywhere in the conversation.
      const bool dates_event = (m.anchor == DurationAnchor::kAgo ||
                                m.anchor == DurationAnchor::kSince) &&
                               onset_in_sentence_of(c);
      const bool counts_from_event =
          (CountsFromTheEvent(m) && onset_told()) ||
          (RefersToTheEvent(m) && OnsetEventToldBefore());
      if (dates_event) dated_sentences.insert(text_.clauses[c].sentence);
      all_dated |= counts_from_event;
      if ((dates_event || counts_from_event) &&
          (!injury_days || m.value < *injury_days)) {
        injury = value_of(m.value);
        injury_days = m.value;
      }
    }
    // "fell on the ice in January", "in May 2019": a month that dates a
    // fall or twist in its sentence, when today is known.
    if (context_.today) {
      for (size_t t = 1; t < tokens_.tokens.size(); ++t) {
        const std::optional<int> month = MonthOf(tokens_.tokens[t].norm);
        const std::string& before = tokens_.tokens[t - 1].norm;
        if (!month || !DatesMonth(before)) continue;
        const Order where = word_of_token_[t];
        if (where == kNoWord ||
            !(asked_injury || onset_in_sentence_of(where.first))) {
          continue;
        }
        std::optional<int> year;
        if (t + 1 < tokens_.tokens.size() &&
            tokens_.tokens[t + 1].kind == TokenKind::kNumber &&
            tokens_.tokens[t + 1].number >= 1900 &&
            tokens_.tokens[t + 1].number <= 2100) {
          year = static_cast<int>(tokens_.tokens[t + 1].number);
        }
        const std::optional<double> days = DaysSinceMonthEnded(
            *context_.today, *month, year, before == "last");
        if (days) dated_sentences.insert(text_.clauses[where.first].sentence);
        if (days && (!injury_days || *days < *injury_days)) {
          injury = SlotValue{absl::StrCat(std::lround(*days)),
                             Evidence(where.first)};
          injury_days = *days;
        }
      }
    }
    // An injury newer than the complaint's own start ("bad for years, fell
    // on it today") is where the problem now dates from.
    Durations out;
    out.injury_days = injury;
    // "Fell three weeks ago ... I fell again", or "I fell again" after a
    // fall told before: a fall or twist told with no time of its own may be
    // the newest, so the injury's time is not known.
    const bool other_injury_told = injury.has_value() || OnsetEventToldBefore();
    for (size_t c = 0;
         c < text_.clauses.size() && !all_dated && other_injury_told; ++c) {
      if (dated_sentences.count(text_.clauses[c].sentence) == 0 &&
          OnsetEventIn(c, /*historical_counts=*/false)) {
        out.injury_days = SlotValue{"unknown", Evidence(c)};
        break;
      }
    }
    out.duration =
        injury && (!best || *injury_days < best_days) ? injury : best;
    if (asked_injury && !out.injury_days) {
      out.injury_days = newest ? newest : out.duration;
    }
    return out;
  }

  // "My husband's on warfarin and bumped his head last week ... I'm asking
  // about me though": what the other person had is left out when the
  // writer says the question is their own. Never when a child is told of
  // (an age under 16): a parent's own knee does not make a child's fever
  // background. Crisis findings are the writer's and stay.
  void DropOthersWhenAskingForSelf(Understanding* out) const {
    bool asking_for_self = false;
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      asking_for_self |= analysis_.HasCue(c, Cue::kPatientSelf);
    }
    if (!asking_for_self) return;
    for (const Measure& m : tokens_.measures) {
      if (m.kind == MeasureKind::kAge && m.value < 16) return;
    }
    out->findings.erase(
        std::remove_if(out->findings.begin(), out->findings.end(),
                       [](const Finding& f) {
                         return f.experiencer == Experiencer::kOther;
                       }),
        out->findings.end());
  }

  // "My son's X-ray was clear, and today I fell": a check of someone else
  // is left out beside the writer's own injury (the fall, twist or injury
  // it would be a check of: finding_relations.tsv's checks rows). A check
  // told as another's ("her X-ray", "the doctor examined my son": an
  // others_check cue) is left out whoever it was read as about; one read as
  // about someone else, when another person is named (a named_other cue:
  // "my mate, a physio, reckons it's not broken", not the nurse's "she")
  // and the writer tells an injury of their own or names their own body
  // ("visiting my dad, heard a crack in my knee. His scan was clear"):
  // whose injury was checked is then not clear enough to rule it out.
  void DropOthersBesideOwn(Understanding* out) const {
    const bool others_check = AnyClauseHas(Cue::kOthersCheck);
    if (!others_check && !AnyClauseHas(Cue::kNamedOther)) return;
    bool own_body = false;
    for (size_t c = 0; c < text_.clauses.size(); ++c) {
      own_body |= NamesOwnBody(c);
      for (const auto& w : text_.clauses[c].words) own_body |= w.text == "mine";
    }
    auto not_the_writers = [&](const Finding& f) {
      auto checked = lexicon_.checks.find(f.id);
      if (checked == lexicon_.checks.end()) return false;
      const bool own_injury = std::any_of(
          checked->second.begin(), checked->second.end(),
          [&](const std::string& id) { return own_findings_.count(id) > 0; });
      return (others_check && own_injury) ||
             (f.experiencer == Experiencer::kOther && (own_body || own_injury));
    };
    out->findings.erase(std::remove_if(out->findings.begin(),
                                       out->findings.end(), not_the_writers),
                        out->findings.end());
  }

  // "Fell again this morning ... on Saturday A&E X-rayed it, nothing
  // broken", "the first time I did it the X-ray was fine": when the message
  // tells more than one injury (an another_episode cue), a check of one
  // (finding_relations.tsv's checks rows) may have been of an earlier one,
  // so it is not taken.
  void DropACheckOfAnotherEpisode(Understanding* out) const {
    if (!AnyClauseHas(Cue::kAnotherEpisode)) return;
    out->findings.erase(
        std::remove_if(
            out->findings.begin(), out->findings.end(),
            [&](const Finding& f) { return lexicon_.checks.count(f.id) > 0; }),
        out->findings.end());
  }

  // ---- off topic -----------------------------------------------------

  // Off topic: nothing about knees, legs, joints or pain, no finding, no
  // slot but an activity ("who won the match?"), and not a social turn.
  void DecideOffTopic(Understanding* out) const {
    if (out->on_topic || !out->findings.empty() || text_.word_count == 0) {
      return;
    }
    // A short reply to a question ("since christmas") is an answer.
    if (AnyAsking() && text_.word_count <= kShortReply) return;
    for (const auto& [slot, value] : out->slots) {
      if (slot != "activity") return;
    }
    for (const char* social :
         {"greeting", "thanks", "goodbye", "restart", "affirm", "deny",
          "unsure", "correction", "why_ask"}) {
      if (out->intents.count(social) > 0) return;
    }
    out->intents.insert("off_topic");
  }

  const Lexicon& lexicon_;
  const TokenizedText& tokens_;
  const UnderstandingContext& context_;
  bool asked_when_injured_ = false;  // AskedWhenInjured
  const CanonicalText text_;
  ContextAnalysis analysis_;
  // Per token, the first word made from it (kNoWord for none).
  std::vector<Order> word_of_token_;
  std::vector<std::vector<PhraseHit>> finding_hits_;
  std::vector<std::vector<PhraseHit>> slot_hits_;
  size_t age_token_ = SIZE_MAX;  // a bare number read as the age
  std::string answer_;           // affirm | deny | unsure | ""
  bool correction_ = false;
  // Findings the writer told of themselves, present and current, whatever
  // another person's reading of the same id (ReadFindings).
  std::set<std::string> own_findings_;
};

}  // namespace

Extractor::Extractor(
    std::unique_ptr<const understanding_internal::Lexicon> lexicon)
    : lexicon_(std::move(lexicon)) {}

Extractor::~Extractor() = default;

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Load(
    const std::string& corpus_dir) {
  auto lexicon = understanding_internal::LoadLexicon(corpus_dir);
  if (!lexicon.ok()) return lexicon.status();
  return std::unique_ptr<Extractor>(new Extractor(*std::move(lexicon)));
}

absl::StatusOr<Understanding> Extractor::Understand(
    std::string_view text, const UnderstandingContext& context) const {
  auto tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  return Reading(*lexicon_, *tokens, context).Run();
}

bool IsCrisisFinding(std::string_view id) {
  return std::any_of(std::begin(understanding_internal::kCrisisFindings),
                     std::end(understanding_internal::kCrisisFindings),
                     [id](const char* crisis) { return id == crisis; });
}

}  // namespace kneechat

// Red-flag triage: decides how urgently the person needs care from what the
// conversation has established so far, using the curated rules in
// corpus/triage/red_flags.textproto.
//
// Semantics (see red_flags.proto for the rule language):
// - A flag is suppressed only by an explicit ABSENT finding; a finding never
//   mentioned is simply not evidence.
// - UNSURE counts as possibly present: a rule that holds only thanks to an
//   unsure finding fires at its trigger's `if_unsure` level (by default the
//   trigger's own level), never lower than SOON. The exception is one
//   "not sure" answering the whole screening list (a hedge spanning several
//   screening items): it raises nothing and rules nothing out; those signs
//   stay unscreened and `ask` goes through them one at a time, where a
//   "not sure" then counts as above.
// - HYPOTHETICAL findings raise nothing and answer nothing. HISTORICAL ones
//   raise nothing except the risk factors a rule lists in `history_counts`.
//   Experiencer OTHER counts like SELF: a parent describing a child is
//   describing the patient.
// - Slots stand for findings as the rules file says (weight_bearing "no" ->
//   cant_weight_bear present; "partial" -> nothing; onset "sudden" -> injury;
//   swelling "rapid" -> rapid_swelling; "yes"/"mild" -> swollen; ...). The age
//   slot gives the age conditions.
//
// Thread-safety: a loaded Triage is immutable; Assess() and the accessors may
// be called concurrently from any thread.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kneechat/knowledge/v1/red_flags.pb.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/config/deployment_config.h"
#include "services/understanding/understanding.h"

namespace kneechat {

namespace triage_internal {
class CompiledRules;
}  // namespace triage_internal

struct FiredFlag {
  std::string rule_id;
  std::string title;
  v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  // The person's words that raised it, clauses joined by "; ".
  std::string evidence;
  // What to do and how fast; why. Deployment placeholders already filled.
  std::string action;
  std::string reason;
  // "citation <url>" of each clinical source, joined by "; ".
  std::string source;
  // True when the flag holds only because an unsure answer was counted.
  bool from_unsure = false;
};

struct DecidingQuestion {
  std::string rule_id;
  std::string id;  // the question's id within the rule
  std::string text;
  // The findings it asks about: put them in
  // UnderstandingContext::asking_findings so that "yes"/"no"/"not sure" land.
  std::vector<std::string> finding_ids;
  // The `asking` slot for the reply (e.g. "red_flags", "weight_bearing");
  // for findings_only, what it is first asked as (the dialogue asks it again
  // as "red_flags").
  std::string slot;
  // The slot the answer fills when it is not `slot` (RedFlagQuestion.fills:
  // "when did it happen?" is asked as "duration" and fills injury_days);
  // empty otherwise. Put it in UnderstandingContext::asking; set it to
  // "unsure" when the person cannot tell.
  std::string fills;
  // RedFlagQuestion.findings_only: asked as `slot`, answered only in
  // finding_ids (it fills and is counted by no slot).
  bool findings_only = false;
  // (id, title) pairs.
  std::vector<std::pair<std::string, std::string>> quick_replies;
  // Why it is asked, in plain words; empty for the dialogue's general one.
  std::string why;
  // The sign as a checklist item (RedFlagQuestion.phrase); empty when the
  // question is only ever asked on its own.
  std::string phrase;
  // The highest level a "yes" could lead to.
  v1::TriageLevel reveals = v1::TRIAGE_LEVEL_UNSPECIFIED;
  // RedFlagQuestion.routine: a check every such case gets, not one prompted
  // by a warning sign.
  bool routine = false;
};

struct ScreeningQuestion {
  std::string text;
  std::vector<std::pair<std::string, std::string>> quick_replies;
  // What a "no, none of those" rules out.
  std::vector<std::string> finding_ids;
};

struct Assessment {
  // The highest level reached. UNSPECIFIED when nothing fired and screening
  // is not complete; SELF_CARE only when nothing fired and every screening
  // item is answered: ruled out (explicitly absent, or the red_flags slot
  // is "none" or "none_other") or said to be there without completing any
  // rule.
  v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  // Most severe first; equal levels in rules-file order.
  std::vector<FiredFlag> flags;
  // The single most useful missing fact: the question that could raise the
  // level the most, among rules that are partly matched. Failing that, after
  // a "not sure" to the whole screening list, the first hedged screening
  // item's own question (rule_id "screening", id the item's id).
  std::optional<DecidingQuestion> ask;
  // Every rule question that could still raise the level, most revealing
  // first (`ask`, when it is a rule's question, is the first of them).
  std::vector<DecidingQuestion> open;
  // Screening finding ids not yet ruled out, in screening order; an item
  // with a finding said to be present counts as screened and is left out.
  std::vector<std::string> unscreened;
};

class Triage {
 public:
  // Reads <corpus_dir>/triage/red_flags.textproto and validates it against
  // <corpus_dir>/understanding/findings.tsv, filling message placeholders
  // from `config`. kNotFound for a missing file; kInvalidArgument naming the
  // file and rule for anything malformed (see ValidateRedFlagRules).
  static absl::StatusOr<std::unique_ptr<Triage>> Load(
      const std::string& corpus_dir, const DeploymentConfig& config);

  // As Load, from the rules' text and the finding ids (for tests and tools).
  static absl::StatusOr<std::unique_ptr<Triage>> FromText(
      absl::string_view rules_text, const std::set<std::string>& finding_ids,
      const DeploymentConfig& config);

  // `findings`: the session's merged findings (normally one per id, caller
  // has applied corrections; if several share an id the most serious
  // counts). `slots`: merged slot values.
  Assessment Assess(const std::vector<Finding>& findings,
                    const std::map<std::string, SlotValue>& slots) const;

  // The full screening question, naming every serious sign.
  const ScreeningQuestion& screening() const { return screening_; }
  // Whether `finding_id` is one of the signs the screening question lists.
  bool IsScreeningFinding(const std::string& finding_id) const {
    return std::find(screening_.finding_ids.begin(),
                     screening_.finding_ids.end(),
                     finding_id) != screening_.finding_ids.end();
  }
  // The finding ids of the screening items (among `listed`, finding ids the
  // question named) that one of `words` points at by a `named_by` word:
  // "only the calf thing" -> the calf item's ids. `words`: SplitWords.
  std::vector<std::string> ItemsNamedBy(
      const std::vector<std::string>& words,
      const std::vector<std::string>& listed) const;
  // The screening question naming only the signs in `unscreened` (e.g.
  // Assessment::unscreened); the full question when that names none of them
  // and `also` is empty. `also`: rule questions folded into the list, named
  // first by their phrases; a screening item about the same signs is then
  // left out (its findings are still listed).
  ScreeningQuestion ScreeningFor(
      const std::vector<std::string>& unscreened,
      const std::vector<DecidingQuestion>& also = {}) const;

  // `text` with the deployment's contact placeholders ({clinic},
  // {crisis_line}, {emergency} ...) filled, as in the rules' messages; text
  // with an unknown placeholder comes back unchanged.
  std::string Fill(absl::string_view text) const;

  // Whether a rule question fills `slot` (RedFlagQuestion.fills): a slot
  // only such a question asks ("injury_days", "when did it happen?").
  bool FilledByAQuestion(absl::string_view slot) const {
    return fills_slots_.count(std::string(slot)) > 0;
  }

  // The validated rules, placeholders filled.
  const knowledge::v1::RedFlagRules& rules() const { return rules_; }
  // Each rule's sources as a referral cites them (FiredFlag::source), in
  // the order of rules().rule().
  const std::vector<std::string>& sources() const { return sources_; }

 private:
  explicit Triage(knowledge::v1::RedFlagRules rules);
  static absl::StatusOr<std::unique_ptr<Triage>> Build(
      absl::string_view text, absl::string_view origin,
      const std::set<std::string>& finding_ids, const DeploymentConfig& config);

  knowledge::v1::RedFlagRules rules_;
  // The rules over interned ids, as Assess evaluates them (immutable;
  // copies of a Triage share it).
  std::shared_ptr<const triage_internal::CompiledRules> compiled_;
  std::map<std::string, std::string> placeholders_;
  std::vector<std::string> sources_;  // per rule
  std::vector<std::string> screening_ids_in_order_;
  ScreeningQuestion screening_;
  // (rule index, question index), most revealing first, then file order.
  std::vector<std::pair<int, int>> question_order_;
  std::set<std::string> fills_slots_;  // RedFlagQuestion.fills named
};

}  // namespace kneechat

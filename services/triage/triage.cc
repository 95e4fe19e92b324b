#include "services/triage/triage.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "services/common/text_proto.h"
#include "services/triage/compiled_rules.h"
#include "services/triage/condition.h"
#include "services/triage/facts.h"
#include "services/triage/finding_vocabulary.h"
#include "services/triage/rule_book.h"

namespace kneechat {
namespace {

using knowledge::v1::RedFlagRules;
using triage_internal::CompiledRules;
using triage_internal::ConditionEvaluator;
using triage_internal::Facts;
using triage_internal::Truth;

v1::TriageLevel ToApi(knowledge::v1::RedFlagRules::Level level) {
  return static_cast<v1::TriageLevel>(static_cast<int>(level));
}

std::set<std::string> PlaceholderNames(
    const std::map<std::string, std::string>& values) {
  std::set<std::string> names;
  for (const auto& [name, value] : values) names.insert(name);
  return names;
}

std::vector<std::pair<std::string, std::string>> Replies(
    const google::protobuf::RepeatedPtrField<knowledge::v1::RedFlagQuickReply>&
        in) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : in) out.emplace_back(r.id(), r.title());
  return out;
}

// "a, b or c".
std::string JoinAlternatives(const std::vector<std::string>& phrases) {
  if (phrases.size() <= 1) return phrases.empty() ? "" : phrases[0];
  std::vector<std::string> head(phrases.begin(), phrases.end() - 1);
  return absl::StrCat(absl::StrJoin(head, ", "), " or ", phrases.back());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Triage>> Triage::Load(
    const std::string& corpus_dir, const DeploymentConfig& config) {
  auto finding_ids =
      LoadFindingIds(absl::StrCat(corpus_dir, "/understanding/findings.tsv"));
  if (!finding_ids.ok()) return finding_ids.status();
  const std::string path =
      absl::StrCat(corpus_dir, "/triage/red_flags.textproto");
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return Build(*text, path, *finding_ids, config);
}

absl::StatusOr<std::unique_ptr<Triage>> Triage::FromText(
    absl::string_view rules_text, const std::set<std::string>& finding_ids,
    const DeploymentConfig& config) {
  return Build(rules_text, "red_flags.textproto", finding_ids, config);
}

absl::StatusOr<std::unique_ptr<Triage>> Triage::Build(
    absl::string_view text, absl::string_view origin,
    const std::set<std::string>& finding_ids, const DeploymentConfig& config) {
  const auto placeholders = MessagePlaceholders(config);
  auto rules = ParseRedFlagRules(text, origin, finding_ids,
                                 PlaceholderNames(placeholders));
  if (!rules.ok()) return rules.status();
  for (auto& rule : *rules->mutable_rule()) {
    for (auto& trigger : *rule.mutable_trigger()) {
      // Validation has checked every placeholder, so filling cannot fail.
      trigger.set_action(*FillPlaceholders(trigger.action(), placeholders));
      trigger.set_reason(*FillPlaceholders(trigger.reason(), placeholders));
    }
  }
  auto triage = std::unique_ptr<Triage>(new Triage(*std::move(rules)));
  triage->placeholders_ = placeholders;
  return triage;
}

std::string Triage::Fill(absl::string_view text) const {
  auto filled = FillPlaceholders(text, placeholders_);
  return filled.ok() ? *std::move(filled) : std::string(text);
}

Triage::Triage(RedFlagRules rules)
    : rules_(std::move(rules)),
      compiled_(std::make_shared<const CompiledRules>(rules_)) {
  for (const auto& rule : rules_.rule()) {
    std::vector<std::string> parts;
    for (const auto& s : rule.source()) {
      parts.push_back(absl::StrCat(s.citation(), " <", s.url(), ">"));
    }
    sources_.push_back(absl::StrJoin(parts, "; "));
  }
  for (int f : compiled_->screening_findings()) {
    screening_ids_in_order_.push_back(compiled_->finding_id(f));
  }
  screening_ = ScreeningFor({});
  for (int r = 0; r < rules_.rule_size(); ++r) {
    for (int q = 0; q < rules_.rule(r).question_size(); ++q) {
      question_order_.emplace_back(r, q);
      const std::string& fills = rules_.rule(r).question(q).fills();
      if (!fills.empty()) fills_slots_.insert(fills);
    }
  }
  std::stable_sort(question_order_.begin(), question_order_.end(),
                   [this](const auto& a, const auto& b) {
                     return rules_.rule(a.first).question(a.second).reveals() >
                            rules_.rule(b.first).question(b.second).reveals();
                   });
}

std::vector<std::string> Triage::ItemsNamedBy(
    const std::vector<std::string>& words,
    const std::vector<std::string>& listed) const {
  std::vector<std::string> out;
  for (const auto& item : rules_.screening().item()) {
    const bool was_listed = std::any_of(
        item.finding_ids().begin(), item.finding_ids().end(),
        [&](const std::string& id) {
          return std::find(listed.begin(), listed.end(), id) != listed.end();
        });
    if (!was_listed) continue;
    const bool named = std::any_of(
        item.named_by().begin(), item.named_by().end(),
        [&](const std::string& w) {
          return std::find(words.begin(), words.end(), w) != words.end();
        });
    if (!named) continue;
    out.insert(out.end(), item.finding_ids().begin(), item.finding_ids().end());
  }
  return out;
}

ScreeningQuestion Triage::ScreeningFor(
    const std::vector<std::string>& unscreened,
    const std::vector<DecidingQuestion>& also) const {
  const auto& s = rules_.screening();
  std::vector<std::string> phrases;
  std::vector<std::string> ids;
  auto add_ids = [&ids](const auto& finding_ids) {
    for (const auto& id : finding_ids) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  };
  for (const DecidingQuestion& q : also) {
    phrases.push_back(q.phrase);
    add_ids(q.finding_ids);
  }
  const size_t folded_ids = ids.size();
  for (const auto& item : s.item()) {
    auto in = [&item](const std::vector<std::string>& list, size_t n) {
      return std::any_of(item.finding_ids().begin(), item.finding_ids().end(),
                         [&](const std::string& id) {
                           return std::find(list.begin(), list.begin() + n,
                                            id) != list.begin() + n;
                         });
    };
    if (!in(unscreened, unscreened.size())) continue;
    if (!in(ids, folded_ids)) phrases.push_back(item.phrase());
    add_ids(item.finding_ids());
  }
  if (phrases.empty()) {
    for (const auto& item : s.item()) phrases.push_back(item.phrase());
    ids = screening_ids_in_order_;
  }
  ScreeningQuestion q;
  q.text =
      absl::StrReplaceAll(s.text(), {{"{signs}", JoinAlternatives(phrases)}});
  q.quick_replies = Replies(s.quick_replies());
  q.finding_ids = std::move(ids);
  return q;
}

Assessment Triage::Assess(const std::vector<Finding>& findings,
                          const std::map<std::string, SlotValue>& slots) const {
  const CompiledRules& compiled = *compiled_;
  const Facts facts(compiled, findings, slots);
  ConditionEvaluator eval(compiled, facts);
  Assessment out;

  for (int r = 0; r < rules_.rule_size(); ++r) {
    const auto& rule = rules_.rule(r);
    const triage_internal::CompiledRule& compiled_rule = compiled.rules()[r];
    const int history = compiled_rule.history_set;
    int best_level = 0;
    int best = -1;
    Truth best_truth = Truth::kFalse;
    for (int t = 0; t < rule.trigger_size(); ++t) {
      const Truth truth = eval.Evaluate(compiled_rule.triggers[t], history);
      if (truth == Truth::kFalse) continue;
      const auto& trigger = rule.trigger(t);
      int level = trigger.level();
      if (truth == Truth::kPossible &&
          trigger.if_unsure() !=
              knowledge::v1::RedFlagRules::LEVEL_UNSPECIFIED) {
        level = trigger.if_unsure();
      }
      // Triggers go from general to specific: at an equal level the later
      // one that holds gives the message.
      if (level >= best_level) {
        best_level = level;
        best = t;
        best_truth = truth;
      }
    }
    if (best < 0) continue;
    FiredFlag flag;
    flag.rule_id = rule.id();
    flag.title = rule.title();
    flag.level = static_cast<v1::TriageLevel>(best_level);
    std::vector<int> support =
        eval.Explain(compiled_rule.triggers[best], history).support;
    std::stable_sort(support.begin(), support.end(), [&facts](int a, int b) {
      return facts.Order(a) < facts.Order(b);
    });
    std::vector<absl::string_view> words;
    for (int id : support) {
      const std::string& e = facts.Evidence(id, history);
      if (!e.empty() &&
          std::find(words.begin(), words.end(), e) == words.end()) {
        words.push_back(e);
      }
    }
    flag.evidence = absl::StrJoin(words, "; ");
    flag.action = rule.trigger(best).action();
    flag.reason = rule.trigger(best).reason();
    flag.source = sources_[r];
    flag.from_unsure = best_truth == Truth::kPossible;
    out.flags.push_back(std::move(flag));
  }
  std::stable_sort(
      out.flags.begin(), out.flags.end(),
      [](const FiredFlag& a, const FiredFlag& b) { return a.level > b.level; });

  // A screening item the person has said yes to ("I have a fever") is
  // screened: it is not listed again, so a later "none of those" about the
  // rest of the list cannot be taken to rule it out.
  std::vector<int> said_yes;
  for (const std::vector<int>& item : compiled.screening_items()) {
    if (std::any_of(item.begin(), item.end(), [&facts](int id) {
          return facts.Get(id, 0) == Truth::kTrue;
        })) {
      said_yes.insert(said_yes.end(), item.begin(), item.end());
    }
  }
  for (int id : compiled.screening_findings()) {
    if (facts.Absent(id) ||
        std::find(said_yes.begin(), said_yes.end(), id) != said_yes.end()) {
      continue;
    }
    out.unscreened.push_back(compiled.finding_id(id));
  }
  if (!out.flags.empty()) {
    out.level = out.flags.front().level;
  } else if (out.unscreened.empty()) {
    out.level = v1::TRIAGE_LEVEL_SELF_CARE;
  }

  // A sign ruled out only by the checklist as a whole is still asked about
  // when a rule's deciding question needs it.
  auto known = [&facts](const std::vector<int>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&facts](int id) {
      return facts.Known(id) && !facts.Implied(id);
    });
  };
  for (const auto& [r, q] : question_order_) {
    const auto& rule = rules_.rule(r);
    const auto& question = rule.question(q);
    if (ToApi(question.reveals()) <= out.level) break;  // Sorted by reveals.
    const triage_internal::CompiledRule& compiled_rule = compiled.rules()[r];
    const triage_internal::CompiledQuestion& compiled_question =
        compiled_rule.questions[q];
    if (known(compiled_question.finding_ids)) continue;  // Answered.
    if (compiled_question.slot >= 0 && facts.SlotSet(compiled_question.slot)) {
      continue;
    }
    if (eval.Evaluate(compiled_question.when, compiled_rule.history_set) ==
        Truth::kFalse) {
      continue;
    }
    DecidingQuestion ask;
    ask.rule_id = rule.id();
    ask.id = question.id();
    ask.text = question.text();
    ask.why = question.why();
    ask.phrase = question.phrase();
    ask.reveals = ToApi(question.reveals());
    ask.routine = question.routine();
    ask.finding_ids.assign(question.finding_ids().begin(),
                           question.finding_ids().end());
    ask.slot = question.slot().empty() ? "red_flags" : question.slot();
    ask.fills = question.fills();
    ask.findings_only = question.findings_only();
    // "Is the calf swollen?", asked as the swelling while the person has
    // said nothing of it; once they have, a question about one more sign.
    if (compiled_question.asked_as >= 0 &&
        facts.SlotSet(compiled_question.asked_as)) {
      ask.slot = "red_flags";
    }
    ask.quick_replies = Replies(question.quick_replies());
    out.open.push_back(std::move(ask));
  }
  if (!out.open.empty()) out.ask = out.open.front();
  if (!out.ask.has_value() && out.level < v1::TRIAGE_LEVEL_EMERGENCY) {
    // After a "not sure" to the whole screening list, ask item by item.
    for (int i = 0; i < rules_.screening().item_size(); ++i) {
      const std::vector<int>& ids = compiled.screening_items()[i];
      const bool hedged = std::any_of(ids.begin(), ids.end(), [&facts](int id) {
        return facts.BlanketUnsure(id);
      });
      if (!hedged || known(ids)) continue;
      const auto& item = rules_.screening().item(i);
      DecidingQuestion ask;
      ask.rule_id = "screening";
      ask.id = item.id();
      ask.text = item.question();
      ask.finding_ids.assign(item.finding_ids().begin(),
                             item.finding_ids().end());
      ask.slot = "red_flags";
      ask.quick_replies = Replies(rules_.screening().item_quick_replies());
      out.ask = std::move(ask);
      break;
    }
  }
  return out;
}

}  // namespace kneechat

#include "services/triage/rule_book.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "services/common/text_proto.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

using knowledge::v1::RedFlagCondition;
using knowledge::v1::RedFlagQuickReply;
using knowledge::v1::RedFlagRules;
using Level = knowledge::v1::RedFlagRules::Level;
using RepeatedReplies = google::protobuf::RepeatedPtrField<RedFlagQuickReply>;

constexpr size_t kMaxQuestionChars = 200;
constexpr size_t kMaxPhraseChars = 160;
constexpr size_t kMaxReplyTitleChars = 20;
constexpr size_t kMaxReplyIdBytes = 64;
constexpr int kMaxReplies = 5;

// Collects the first error, prefixed with where it is.
class Checker {
 public:
  Checker(absl::string_view origin, const std::set<std::string>& finding_ids,
          const std::set<std::string>& placeholders)
      : origin_(origin),
        finding_ids_(finding_ids),
        placeholders_(placeholders) {}

  bool ok() const { return status_.ok(); }
  absl::Status status() const { return status_; }

  void Fail(absl::string_view where, absl::string_view what) {
    if (!status_.ok()) return;
    status_ = absl::InvalidArgumentError(
        absl::StrCat(origin_, ": ", where, ": ", what));
  }

  void CheckFinding(absl::string_view where, const std::string& id) {
    if (finding_ids_.count(id) == 0) {
      Fail(where,
           absl::StrCat("unknown finding id '", id, "' (not in findings.tsv)"));
    }
  }

  void CheckLevel(absl::string_view where, absl::string_view field, Level level,
                  bool optional) {
    if (optional && level == knowledge::v1::RedFlagRules::LEVEL_UNSPECIFIED)
      return;
    if (level < knowledge::v1::RedFlagRules::LEVEL_SOON ||
        level > knowledge::v1::RedFlagRules::LEVEL_EMERGENCY) {
      Fail(where, absl::StrCat(field,
                               " must be LEVEL_SOON, LEVEL_URGENT or "
                               "LEVEL_EMERGENCY"));
    }
  }

  void Message(absl::string_view where, absl::string_view field,
               const std::string& text) {
    if (absl::StripAsciiWhitespace(text).empty()) {
      Fail(where, absl::StrCat(field, " is empty"));
      return;
    }
    if (!IsValidUtf8(text)) {
      Fail(where, absl::StrCat(field, " is not valid UTF-8"));
      return;
    }
    static const RE2* const kPlaceholder = new RE2(R"(\{([^{}]*)\})");
    re2::StringPiece rest(text);
    std::string name;
    while (RE2::FindAndConsume(&rest, *kPlaceholder, &name)) {
      if (placeholders_.count(name) == 0) {
        Fail(where, absl::StrCat(field, ": unknown placeholder {", name, "}"));
      }
    }
    int depth = 0;
    for (char c : text) {
      depth += (c == '{') - (c == '}');
      if (depth < 0 || depth > 1) break;
    }
    if (depth != 0) Fail(where, absl::StrCat(field, ": unmatched brace"));
  }

  void CheckCondition(absl::string_view where,
                      const knowledge::v1::RedFlagCondition& c,
                      const std::set<std::string>& defined) {
    const bool empty = c.all_of_size() == 0 && c.any_of_size() == 0 &&
                       c.none_of_size() == 0 && c.is_size() == 0 &&
                       !c.has_age_at_least() && !c.has_age_below() &&
                       c.slot_size() == 0 && c.either_size() == 0;
    if (empty) Fail(where, "empty condition");
    if (c.none_of_size() > 0 && c.all_of_size() == 0 && c.any_of_size() == 0 &&
        c.is_size() == 0 && c.either_size() == 0 && c.slot_size() == 0 &&
        !c.has_age_at_least() && !c.has_age_below()) {
      Fail(where, "a condition needs more than none_of");
    }
    for (const auto& id : c.all_of()) CheckFinding(where, id);
    for (const auto& id : c.any_of()) CheckFinding(where, id);
    for (const auto& id : c.none_of()) CheckFinding(where, id);
    for (const auto& name : c.is()) {
      if (defined.count(name) == 0) {
        Fail(where, absl::StrCat("unknown definition '", name,
                                 "' (define it above its first use)"));
      }
    }
    for (int age : {c.has_age_at_least() ? c.age_at_least() : 0,
                    c.has_age_below() ? c.age_below() : 0}) {
      if (age < 0 || age > 130) Fail(where, "age out of range 0-130");
    }
    if (c.has_injury_within_days() && c.injury_within_days() < 0) {
      Fail(where, "injury_within_days must not be negative");
    }
    if (c.has_injury_dated_within_days() && c.injury_dated_within_days() < 0) {
      Fail(where, "injury_dated_within_days must not be negative");
    }
    for (const auto& slot : c.slot()) {
      if (slot.slot().empty() || slot.values_size() == 0) {
        Fail(where, "slot match needs a slot and values");
      }
    }
    for (const auto& alternative : c.either()) {
      CheckCondition(where, alternative, defined);
    }
  }

  void Replies(absl::string_view where, const RepeatedReplies& replies) {
    if (replies.size() > kMaxReplies) {
      Fail(where, absl::StrCat("more than ", kMaxReplies, " quick replies"));
    }
    std::set<std::string> ids;
    for (const auto& reply : replies) {
      if (reply.id().empty() || reply.id().size() > kMaxReplyIdBytes) {
        Fail(where, absl::StrCat("quick reply id '", reply.id(), "' must be 1-",
                                 kMaxReplyIdBytes, " bytes"));
      }
      if (!ids.insert(reply.id()).second) {
        Fail(where,
             absl::StrCat("duplicate quick reply id '", reply.id(), "'"));
      }
      if (reply.title().empty() || !IsValidUtf8(reply.title()) ||
          Utf8Length(reply.title()) > kMaxReplyTitleChars) {
        Fail(where,
             absl::StrCat("quick reply title '", reply.title(), "' must be 1-",
                          kMaxReplyTitleChars, " characters"));
      }
    }
  }

 private:
  std::string origin_;
  const std::set<std::string>& finding_ids_;
  const std::set<std::string>& placeholders_;
  absl::Status status_;
};

// For syntax errors: the id of the rule enclosing `line` (zero-based).
std::string EnclosingRule(absl::string_view text, int line) {
  static const RE2* const kRuleStart = new RE2(R"(^\s*rule\s*[:{])");
  static const RE2* const kId = new RE2(R"re(^\s*id\s*:\s*"([^"]*)")re");
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  int start = -1;
  for (int i = std::min<int>(line, lines.size() - 1); i >= 0; --i) {
    if (RE2::PartialMatch(re2::StringPiece(lines[i].data(), lines[i].size()),
                          *kRuleStart)) {
      start = i;
      break;
    }
  }
  if (start < 0) return "";
  std::string id;
  for (size_t i = start; i < lines.size(); ++i) {
    if (RE2::PartialMatch(re2::StringPiece(lines[i].data(), lines[i].size()),
                          *kId, &id)) {
      return absl::StrCat("in rule '", id, "'");
    }
  }
  return "in a rule without an id";
}

}  // namespace

const std::set<std::string>& AskingSlots() {
  static const auto* const kSlots = new std::set<std::string>{
      "location", "onset",          "activity",  "duration", "age",
      "swelling", "weight_bearing", "red_flags", "other"};
  return *kSlots;
}

absl::Status ValidateRedFlagRules(const RedFlagRules& rules,
                                  const std::set<std::string>& finding_ids,
                                  const std::set<std::string>& placeholders,
                                  absl::string_view origin) {
  Checker check(origin, finding_ids, placeholders);
  static const RE2* const kName = new RE2("[a-z][a-z0-9_]{0,63}");

  std::set<std::string> defined;
  for (const auto& d : rules.definition()) {
    const std::string where = absl::StrCat("definition '", d.name(), "'");
    if (!RE2::FullMatch(d.name(), *kName)) {
      check.Fail(where, "name must be lower_snake_case");
    }
    if (defined.count(d.name()) > 0) check.Fail(where, "defined twice");
    check.CheckCondition(where, d.condition(), defined);
    defined.insert(d.name());
  }

  for (const auto& sf : rules.slot_finding()) {
    const std::string where =
        absl::StrCat("slot_finding '", sf.slot(), "=", sf.value(), "'");
    if (sf.slot().empty() || sf.value().empty()) {
      check.Fail(where, "needs slot and value");
    }
    check.CheckFinding(where, sf.finding_id());
    if (sf.polarity() ==
        knowledge::v1::RedFlagRules::FINDING_POLARITY_UNSPECIFIED) {
      check.Fail(where, "needs a polarity");
    }
  }

  const auto& screening = rules.screening();
  if (!absl::StrContains(screening.text(), "{signs}")) {
    check.Fail("screening", "text must contain {signs}");
  }
  if (screening.item_size() == 0) check.Fail("screening", "no items");
  std::set<std::string> item_ids;
  for (const auto& item : screening.item()) {
    const std::string at = absl::StrCat("screening item '", item.id(), "'");
    if (!RE2::FullMatch(item.id(), *kName)) {
      check.Fail(at, "id must be lower_snake_case");
    }
    if (!item_ids.insert(item.id()).second) check.Fail(at, "duplicate id");
    if (item.phrase().empty() || item.finding_ids_size() == 0) {
      check.Fail(at, "needs a phrase and finding ids");
    }
    if (item.question().empty() || !IsValidUtf8(item.question()) ||
        Utf8Length(item.question()) > kMaxQuestionChars) {
      check.Fail(at, absl::StrCat("question must be 1-", kMaxQuestionChars,
                                  " characters"));
    }
    for (const auto& id : item.finding_ids()) check.CheckFinding(at, id);
  }
  check.Replies("screening", screening.quick_replies());
  check.Replies("screening", screening.item_quick_replies());

  std::set<std::string> rule_ids;
  for (const auto& rule : rules.rule()) {
    const std::string where = absl::StrCat("rule '", rule.id(), "'");
    if (!RE2::FullMatch(rule.id(), *kName)) {
      check.Fail(where, "id must be lower_snake_case");
    }
    if (!rule_ids.insert(rule.id()).second) check.Fail(where, "duplicate id");
    if (absl::StripAsciiWhitespace(rule.title()).empty()) {
      check.Fail(where, "title is empty");
    }
    if (rule.trigger_size() == 0) check.Fail(where, "no trigger");
    for (int i = 0; i < rule.trigger_size(); ++i) {
      const auto& t = rule.trigger(i);
      const std::string at = absl::StrCat(where, ": trigger ", i + 1);
      check.CheckLevel(at, "level", t.level(), /*optional=*/false);
      check.CheckLevel(at, "if_unsure", t.if_unsure(), /*optional=*/true);
      if (t.if_unsure() > t.level()) {
        check.Fail(at, "if_unsure must not exceed level");
      }
      if (!t.has_when()) check.Fail(at, "no `when` condition");
      check.CheckCondition(at, t.when(), defined);
      check.Message(at, "action", t.action());
      check.Message(at, "reason", t.reason());
    }
    for (const auto& id : rule.history_counts()) {
      check.CheckFinding(absl::StrCat(where, ": history_counts"), id);
    }
    if (rule.source_size() == 0) check.Fail(where, "missing source");
    for (const auto& source : rule.source()) {
      if (absl::StripAsciiWhitespace(source.citation()).empty()) {
        check.Fail(where, "source without citation");
      }
      if (!absl::StartsWith(source.url(), "https://") &&
          !absl::StartsWith(source.url(), "http://")) {
        check.Fail(where, absl::StrCat("source url '", source.url(),
                                       "' must be http(s)"));
      }
    }
    std::set<std::string> question_ids;
    for (const auto& q : rule.question()) {
      const std::string at = absl::StrCat(where, ": question '", q.id(), "'");
      if (!RE2::FullMatch(q.id(), *kName)) {
        check.Fail(at, "id must be lower_snake_case");
      }
      if (!question_ids.insert(q.id()).second) check.Fail(at, "duplicate id");
      if (!q.has_when()) check.Fail(at, "no `when` condition");
      check.CheckCondition(at, q.when(), defined);
      if (q.finding_ids_size() == 0 &&
          (q.slot().empty() || q.slot() == "red_flags")) {
        check.Fail(at, "asks about nothing: give finding_ids or a slot");
      }
      for (const auto& id : q.finding_ids()) check.CheckFinding(at, id);
      if (!q.slot().empty() && AskingSlots().count(q.slot()) == 0) {
        check.Fail(at, absl::StrCat("unknown slot '", q.slot(), "'"));
      }
      if (!q.fills().empty()) {
        // Asked as one of the slots the API names, answered in another.
        if (!RE2::FullMatch(q.fills(), *kName) || q.fills() == q.slot()) {
          check.Fail(at,
                     "fills must be a lower_snake_case slot other than "
                     "`slot`");
        }
        if (q.slot().empty() || q.slot() == "red_flags") {
          check.Fail(at, "a question that fills a slot is asked as a slot");
        }
      }
      if (q.findings_only() &&
          (q.slot().empty() || q.slot() == "red_flags" || !q.fills().empty() ||
           q.finding_ids_size() == 0)) {
        check.Fail(at,
                   "findings_only is for a question asked as a slot other "
                   "than red_flags, with finding_ids and no fills");
      }
      check.CheckLevel(at, "reveals", q.reveals(), /*optional=*/false);
      if (q.text().empty() || !IsValidUtf8(q.text()) ||
          Utf8Length(q.text()) > kMaxQuestionChars) {
        check.Fail(at, absl::StrCat("text must be 1-", kMaxQuestionChars,
                                    " characters"));
      }
      if (!q.phrase().empty()) {
        if (!IsValidUtf8(q.phrase()) ||
            Utf8Length(q.phrase()) > kMaxPhraseChars) {
          check.Fail(at, absl::StrCat("phrase must be at most ",
                                      kMaxPhraseChars, " characters"));
        }
        // A checklist item is answered by "none of these" or by naming
        // it: a slot's own answer ("45", "only with difficulty") is not.
        if (!q.slot().empty() && q.slot() != "red_flags" &&
            !q.findings_only()) {
          check.Fail(at, "a question about a slot has no checklist phrase");
        }
        if (q.finding_ids_size() == 0) {
          check.Fail(at, "a checklist phrase needs finding_ids");
        }
      }
      check.Replies(at, q.quick_replies());
    }
  }
  if (rules.rule_size() == 0) check.Fail("rules", "no rules");
  return check.status();
}

absl::StatusOr<RedFlagRules> ParseRedFlagRules(
    absl::string_view text, absl::string_view origin,
    const std::set<std::string>& finding_ids,
    const std::set<std::string>& placeholders) {
  RedFlagRules rules;
  if (auto s = ParseTextProto(text, origin, &rules, &EnclosingRule); !s.ok()) {
    return s;
  }
  if (auto s = ValidateRedFlagRules(rules, finding_ids, placeholders, origin);
      !s.ok()) {
    return s;
  }
  return rules;
}

}  // namespace kneechat

#include "services/dialogue/dialogue_knowledge.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/limits.h"
#include "services/common/text_proto.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

const std::set<std::string>& KnownSlots() {
  static const auto* slots = new std::set<std::string>{
      "location", "onset",          "activity",  "duration", "age",
      "swelling", "weight_bearing", "red_flags", "other"};
  return *slots;
}

absl::Status CheckQuickReplies(const google::protobuf::RepeatedPtrField<
                                   knowledge::v1::QuickReplyOption>& replies,
                               const std::string& where) {
  if (replies.size() > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": more than 5 quick replies"));
  }
  for (const auto& r : replies) {
    if (r.id().empty() || r.id().size() > 64) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": quick reply id '", r.id(), "' must be 1 to 64 bytes"));
    }
    if (r.title().empty() || Utf8Length(r.title()) > 20) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": quick reply title '", r.title(),
                       "' must be 1 to 20 characters"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<DialogueKnowledge>> DialogueKnowledge::Load(
    const std::string& corpus_dir) {
  const std::string path = corpus_dir + "/dialogue/dialogue.textproto";
  absl::StatusOr<std::string> content = ReadTextFile(path);
  if (!content.ok()) return content.status();
  DialogueText text;
  absl::Status parsed = ParseTextProto(*content, path, &text);
  if (!parsed.ok()) return parsed;
  auto loaded = FromText(text);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        absl::StrCat(path, ": ", loaded.status().message()));
  }
  return loaded;
}

absl::StatusOr<std::unique_ptr<DialogueKnowledge>> DialogueKnowledge::FromText(
    const DialogueText& text) {
  auto k = std::unique_ptr<DialogueKnowledge>(new DialogueKnowledge());
  k->text_ = text;
  for (const auto& q : k->text_.questions()) {
    if (KnownSlots().count(q.slot()) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("questions: unknown slot '", q.slot(), "'"));
    }
    if (q.slot() != "red_flags" && q.ask_when() != "always" &&
        q.ask_when() != "after_injury" && q.ask_when() != "gradual" &&
        q.ask_when() != "never") {
      return absl::InvalidArgumentError(absl::StrCat(
          "questions[", q.slot(), "]: ask_when must be always, ",
          "after_injury, gradual or never, not '", q.ask_when(), "'"));
    }
    if (q.text().empty() || q.reask_text().empty() || q.why().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "questions[", q.slot(), "]: text, reask_text and why needed"));
    }
    absl::Status s =
        CheckQuickReplies(q.quick_replies(), "questions[" + q.slot() + "]");
    if (!s.ok()) return s;
  }
  if (k->text_.screening_why().empty() || k->text_.deciding_why().empty()) {
    return absl::InvalidArgumentError(
        "screening_why and deciding_why needed (the answers to \"why?\")");
  }
  absl::Status s = CheckQuickReplies(k->text_.screening_which().quick_replies(),
                                     "screening_which");
  if (!s.ok()) return s;
  const auto& words = k->text_.screening_reply_words();
  if (words.all_clear().empty() || words.about_the_rest().empty() ||
      words.yes().empty()) {
    return absl::InvalidArgumentError(
        "screening_reply_words needs all_clear, about_the_rest and yes");
  }
  for (const auto& c : k->text_.conditions()) {
    CompiledCondition compiled{&c, {}};
    for (const auto& pattern : c.keywords()) {
      auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
      if (!re->ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("conditions[", c.id(), "]: bad keyword pattern '",
                         pattern, "': ", re->error()));
      }
      compiled.keywords.push_back(std::move(re));
    }
    if (c.about_query().empty() || c.care_query().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "conditions[", c.id(), "]: about_query and care_query needed"));
    }
    if (c.about_query().size() > kMaxCuratedQueryBytes ||
        c.care_query().size() > kMaxCuratedQueryBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("conditions[", c.id(), "]: about_query and care_query ",
                       "must be at most ", kMaxCuratedQueryBytes, " bytes"));
    }
    k->conditions_.push_back(std::move(compiled));
  }
  std::vector<const RE2*> keywords;
  for (size_t c = 0; c < k->conditions_.size(); ++c) {
    for (size_t i = 0; i < k->conditions_[c].keywords.size(); ++i) {
      keywords.push_back(k->conditions_[c].keywords[i].get());
      k->keyword_of_.emplace_back(c, i);
    }
  }
  k->keyword_set_ = PatternSet(std::move(keywords), RE2::Options(RE2::Quiet));
  for (const auto& pattern : k->text_.wondering_patterns()) {
    auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
    if (!re->ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad wondering pattern '", pattern, "': ", re->error()));
    }
    k->wondering_.push_back(std::move(re));
  }
  if (k->FindCondition(k->text_.fallback_condition()) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("fallback_condition '", k->text_.fallback_condition(),
                     "' is not a condition"));
  }
  for (const auto* field :
       {&k->text_.greeting(), &k->text_.out_of_scope(), &k->text_.goodbye(),
        &k->text_.not_covered(), &k->text_.answer_intro(),
        &k->text_.safety_net(), &k->text_.after_referral()}) {
    if (field->empty()) {
      return absl::InvalidArgumentError(
          "greeting, out_of_scope, goodbye, not_covered, answer_intro, "
          "safety_net and after_referral must all be set");
    }
  }
  return k;
}

const SlotQuestion* DialogueKnowledge::Question(const std::string& slot) const {
  for (const auto& q : text_.questions()) {
    if (q.slot() == slot) return &q;
  }
  return nullptr;
}

const ConditionSpec* DialogueKnowledge::FindCondition(
    const std::string& id) const {
  for (const auto& c : conditions_) {
    if (c.spec->id() == id) return c.spec;
  }
  return nullptr;
}

std::vector<std::pair<size_t, size_t>> DialogueKnowledge::KeywordsIn(
    std::string_view text) const {
  std::vector<std::pair<size_t, size_t>> found;
  for (int n : keyword_set_.Occurring(text)) found.push_back(keyword_of_[n]);
  return found;
}

std::string DialogueKnowledge::Phrase(const std::string& slot,
                                      const std::string& value) const {
  auto it = text_.summary_phrases().find(slot + ":" + value);
  return it == text_.summary_phrases().end() ? "" : it->second;
}

bool DialogueKnowledge::AnyOf(
    const std::vector<std::string>& words,
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  for (const std::string& w : words) {
    if (std::find(list.begin(), list.end(), w) != list.end()) return true;
  }
  return false;
}

bool DialogueKnowledge::Wonders(const std::string& clause) const {
  for (const auto& re : wondering_) {
    if (RE2::PartialMatch(clause, *re)) return true;
  }
  return false;
}

}  // namespace kneechat

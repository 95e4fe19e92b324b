#include "services/dialogue/composer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "re2/re2.h"
#include "services/common/request_facts.h"
#include "services/retrieval/answer_finder.h"
#include "services/retrieval/excerpts.h"
#include "services/retrieval/question_terms.h"

namespace kneechat {
namespace {

constexpr double kPreferredDocumentBoost = 1.5;

struct Quote {
  PassageHit hit;
  std::string excerpt;
};

bool Preferred(const ConditionSpec* condition, const std::string& doc) {
  if (condition == nullptr) return false;
  return std::find(condition->documents().begin(), condition->documents().end(),
                   doc) != condition->documents().end();
}

// Hits reordered so the condition's own articles come first among close
// scores.
std::vector<PassageHit> Rank(std::vector<PassageHit> hits,
                             const ConditionSpec* condition) {
  auto weight = [&](const PassageHit& h) {
    return h.score * (Preferred(condition, h.document_id)
                          ? kPreferredDocumentBoost
                          : 1.0);
  };
  std::stable_sort(hits.begin(), hits.end(),
                   [&](const PassageHit& a, const PassageHit& b) {
                     return weight(a) > weight(b);
                   });
  return hits;
}

// Adds up to `n` quotes from `hits` not already used.
void TakeQuotes(const std::vector<PassageHit>& hits, std::string_view query,
                const QueryAnalyzer& analyzer, size_t n,
                std::vector<Quote>* quotes) {
  const std::set<std::string> stems = ContentStems(query, analyzer);
  size_t taken = 0;
  for (const auto& hit : hits) {
    if (taken == n) break;
    bool used = false;
    for (const auto& q : *quotes) used |= q.hit.passage_id == hit.passage_id;
    if (used) continue;
    std::string_view excerpt =
        BestExcerptBy(hit.text, [&](std::string_view sentence) {
          return CountStems(WordStems(sentence), stems);
        });
    if (excerpt.size() < 25) continue;  // too thin to stand as advice
    quotes->push_back(Quote{hit, std::string(excerpt)});
    ++taken;
  }
}

std::string Fill(std::string text, const std::string& key,
                 const std::string& value) {
  return absl::StrReplaceAll(text, {{"{" + key + "}", value}});
}

// Writes the quotes as bullet lines with [n] markers and fills citations.
std::string QuoteLines(const std::vector<Quote>& quotes, v1::Reply* reply) {
  std::string lines;
  for (size_t i = 0; i < quotes.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    absl::StrAppend(&lines, "\n• ", quotes[i].excerpt, " [", n, "]");
    v1::Citation* c = reply->add_citations();
    c->set_document_id(quotes[i].hit.document_id);
    c->set_passage_id(quotes[i].hit.passage_id);
    c->set_title(quotes[i].hit.title);
    c->set_excerpt(quotes[i].excerpt);
    c->set_number(n);
  }
  return lines;
}

// The first sentence of `text`, for speech.
std::string FirstSentence(std::string_view text) {
  std::vector<std::string_view> s = SplitSentences(text);
  return s.empty() ? std::string(text) : std::string(s[0]);
}

std::string SafetyLines(const DialogueText& t, const ConditionSpec* condition,
                        v1::TriageLevel level) {
  std::string out;
  if (level == v1::TRIAGE_LEVEL_SOON && !t.soon_line().empty()) {
    absl::StrAppend(&out, t.soon_line(), " ");
  }
  if (condition != nullptr && !condition->safety_net().empty()) {
    absl::StrAppend(&out, condition->safety_net(), " ");
  }
  absl::StrAppend(&out, t.safety_net());
  return out;
}

}  // namespace

Composer::Composer(const DialogueKnowledge& knowledge, const Searcher& searcher)
    : knowledge_(knowledge), searcher_(searcher) {}

std::string ToSpeech(std::string_view text) {
  static const RE2* marker = new RE2("\\s*\\[\\d+\\]");
  static const RE2* url = new RE2("(?i)\\b(?:https?://|www\\.)\\S+");
  static const RE2* space = new RE2("\\s+");
  std::string s(text);
  RE2::GlobalReplace(&s, *marker, "");
  RE2::GlobalReplace(&s, *url, "");
  s = absl::StrReplaceAll(s, {{"•", " "}, {"*", " "}, {"_", " "}});
  RE2::GlobalReplace(&s, *space, " ");
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

absl::StatusOr<v1::Reply> Composer::Answer(const ConditionSpec& condition,
                                           const std::string& summary,
                                           v1::TriageLevel level) const {
  const DialogueText& t = knowledge_.text();
  SearchOptions options;
  options.limit = 10;
  std::optional<ScopedStage> retrieval(std::in_place, TurnStage::kRetrieval);
  auto about = searcher_.Search(condition.about_query(), options);
  if (!about.ok()) return about.status();
  auto care = searcher_.Search(condition.care_query(), options);
  if (!care.ok()) return care.status();
  retrieval.reset();

  std::vector<Quote> quotes;
  const QueryAnalyzer& analyzer = searcher_.analyzer();
  TakeQuotes(Rank(*about, &condition), condition.about_query(), analyzer, 1,
             &quotes);
  TakeQuotes(Rank(*care, &condition), condition.care_query(), analyzer, 2,
             &quotes);
  if (quotes.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "the index has no passage for condition '", condition.id(), "'"));
  }

  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  std::string intro = Fill(t.answer_intro(), "summary", summary);
  intro = Fill(intro, "condition", condition.name());
  std::string text = intro;
  absl::StrAppend(&text, QuoteLines(quotes, &reply), "\n\n",
                  SafetyLines(t, &condition, level));
  reply.set_text(text);

  std::string speech = Fill(t.answer_speech(), "condition", condition.name());
  const std::string& advice =
      quotes.size() > 1 ? quotes[1].excerpt : quotes[0].excerpt;
  absl::StrAppend(
      &speech, " The articles say: ", FirstSentence(advice), " ",
      t.safety_net_speech().empty() ? t.safety_net() : t.safety_net_speech());
  reply.set_speech(ToSpeech(speech));
  reply.mutable_triage()->set_level(level);
  return reply;
}

absl::StatusOr<v1::Reply> Composer::FollowUp(std::string_view question,
                                             const ConditionSpec* condition,
                                             v1::TriageLevel level,
                                             bool off_topic) const {
  const DialogueText& t = knowledge_.text();
  AnswerContext context;
  if (condition != nullptr) {
    context.documents.assign(condition->documents().begin(),
                             condition->documents().end());
    context.about = condition->about_query();
  }
  const FoundAnswer found = [&] {
    ScopedStage retrieval(TurnStage::kRetrieval);
    return searcher_.answers().Find(question, context);
  }();
  auto decision = t.decision_lines().find(found.reading.decision);
  const std::string decision_line =
      decision == t.decision_lines().end() ? "" : decision->second;

  v1::Reply reply;
  reply.mutable_triage()->set_level(level);
  if (found.verdict != AnswerVerdict::kAnswered) {
    // Not about the person's health at all: no word of it is in the
    // articles, nothing medical is asked, it is not a question about their
    // problem ("who should I see?"), and it did not read as knee talk.
    if (found.verdict == AnswerVerdict::kUnrelated && off_topic &&
        decision_line.empty() && found.reading.types == 0) {
      reply.set_kind(v1::REPLY_KIND_OUT_OF_SCOPE);
      reply.set_text(t.out_of_scope());
      reply.set_speech(ToSpeech(t.out_of_scope()));
      return reply;
    }
    const std::string text =
        decision_line.empty()
            ? t.not_covered()
            : absl::StrCat(t.not_covered_lead(), " ", decision_line);
    reply.set_kind(v1::REPLY_KIND_NOT_COVERED);
    reply.set_text(text);
    reply.set_speech(ToSpeech(text));
    return reply;
  }

  std::vector<Quote> quotes;
  for (const QuotedSentences& q : found.quotes) {
    quotes.push_back(Quote{q.passage, q.excerpt});
  }
  // The full safety net when the question is about things getting worse,
  // new symptoms or when to get care; otherwise a one-line reminder.
  const bool full_safety =
      (found.reading.types & (kWorsening | kSeeSomeone)) != 0 ||
      t.safety_reminder().empty();
  const std::string safety =
      full_safety ? SafetyLines(t, nullptr, level)
                  : (level == v1::TRIAGE_LEVEL_SOON && !t.soon_line().empty()
                         ? absl::StrCat(t.soon_line(), " ", t.safety_reminder())
                         : t.safety_reminder());
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  std::string text = t.follow_up_intro();
  absl::StrAppend(&text, QuoteLines(quotes, &reply));
  if (!decision_line.empty()) absl::StrAppend(&text, "\n\n", decision_line);
  absl::StrAppend(&text, "\n\n", safety);
  reply.set_text(text);
  const std::string& safety_speech =
      full_safety
          ? (t.safety_net_speech().empty() ? t.safety_net()
                                           : t.safety_net_speech())
          : (t.safety_reminder_speech().empty() ? t.safety_reminder()
                                                : t.safety_reminder_speech());
  reply.set_speech(ToSpeech(absl::StrCat(
      "The articles say: ", FirstSentence(quotes[0].excerpt), " ",
      decision_line.empty() ? "" : decision_line + " ", safety_speech)));
  return reply;
}

}  // namespace kneechat

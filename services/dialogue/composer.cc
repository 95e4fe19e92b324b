#include "services/dialogue/composer.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "re2/re2.h"
#include "services/dialogue/excerpts.h"

namespace kneechat {
namespace {

constexpr double kPreferredDocumentBoost = 1.5;

// Stems too common in the articles to show that a sentence answers a
// question ("knee", "pain").
const std::set<std::string>& GenericStems() {
  static const auto* stems = new std::set<std::string>{
      "knee", "pain", "hurt", "ach", "sore", "leg", "joint", "problem"};
  return *stems;
}

std::set<std::string> SpecificStems(std::string_view text) {
  std::set<std::string> stems = ContentStems(text);
  for (const auto& g : GenericStems()) stems.erase(g);
  return stems;
}

struct Quote {
  PassageHit hit;
  std::string excerpt;
};

bool Preferred(const ConditionSpec* condition, const std::string& doc) {
  if (condition == nullptr) return false;
  return std::find(condition->documents().begin(),
                   condition->documents().end(),
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

// Adds up to `n` quotes from `hits` not already used. With `context`, the
// quote must itself contain a word of `query`, and context words break ties.
void TakeQuotes(const std::vector<PassageHit>& hits, std::string_view query,
                size_t n, std::vector<Quote>* quotes,
                std::string_view context = {}) {
  const std::set<std::string> stems = ContentStems(query);
  const std::set<std::string> specific = SpecificStems(query);
  std::set<std::string> context_stems = ContentStems(context);
  for (const auto& s : stems) context_stems.erase(s);
  size_t taken = 0;
  for (const auto& hit : hits) {
    if (taken == n) break;
    bool used = false;
    for (const auto& q : *quotes) used |= q.hit.passage_id == hit.passage_id;
    if (used) continue;
    std::string_view excerpt = BestExcerpt(
        hit.text, stems, context.empty() ? nullptr : &context_stems);
    if (excerpt.size() < 25) continue;  // too thin to stand as advice
    if (!context.empty() && !specific.empty() &&
        CountMatches(excerpt, specific) == 0) {
      continue;
    }
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
  auto about = searcher_.Search(condition.about_query(), options);
  if (!about.ok()) return about.status();
  auto care = searcher_.Search(condition.care_query(), options);
  if (!care.ok()) return care.status();

  std::vector<Quote> quotes;
  TakeQuotes(Rank(*about, &condition), condition.about_query(), 1, &quotes);
  TakeQuotes(Rank(*care, &condition), condition.care_query(), 2, &quotes);
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
  absl::StrAppend(&speech, " The articles say: ", FirstSentence(advice), " ",
                  t.safety_net_speech().empty() ? t.safety_net()
                                                : t.safety_net_speech());
  reply.set_speech(ToSpeech(speech));
  reply.mutable_triage()->set_level(level);
  return reply;
}

absl::StatusOr<v1::Reply> Composer::FollowUp(std::string_view question,
                                             const ConditionSpec* condition,
                                             v1::TriageLevel level) const {
  const DialogueText& t = knowledge_.text();
  SearchOptions options;
  options.limit = 30;
  options.min_coverage = t.min_coverage();
  auto hits = searcher_.Search(question, options);
  if (!hits.ok()) return hits.status();
  if (condition != nullptr && !hits->empty()) {
    // In context: among the passages that answer the question, prefer those
    // that also speak of the person's problem.
    SearchOptions wide;
    wide.limit = 30;
    auto in_context = searcher_.Search(
        absl::StrCat(std::string(question), " ", condition->about_query()), wide);
    if (!in_context.ok()) return in_context.status();
    std::vector<PassageHit> ordered;
    for (const auto& c : *in_context) {
      for (const auto& h : *hits) {
        if (h.passage_id == c.passage_id) ordered.push_back(h);
      }
    }
    for (const auto& h : *hits) {
      bool seen = false;
      for (const auto& o : ordered) seen |= o.passage_id == h.passage_id;
      if (!seen) ordered.push_back(h);
    }
    *hits = std::move(ordered);
  }

  v1::Reply reply;
  reply.mutable_triage()->set_level(level);
  std::vector<Quote> quotes;
  TakeQuotes(*hits, question, 2, &quotes,
             condition != nullptr ? condition->about_query() : "");
  if (quotes.empty()) {
    reply.set_kind(v1::REPLY_KIND_NOT_COVERED);
    reply.set_text(t.not_covered());
    reply.set_speech(ToSpeech(t.not_covered()));
    return reply;
  }
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  std::string text = t.follow_up_intro();
  absl::StrAppend(&text, QuoteLines(quotes, &reply), "\n\n",
                  SafetyLines(t, nullptr, level));
  reply.set_text(text);
  reply.set_speech(ToSpeech(absl::StrCat(
      "The articles say: ", FirstSentence(quotes[0].excerpt), " ",
      t.safety_net_speech().empty() ? t.safety_net()
                                    : t.safety_net_speech())));
  return reply;
}

}  // namespace kneechat

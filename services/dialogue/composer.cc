#include "services/dialogue/composer.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "re2/re2.h"
#include "services/dialogue/excerpts.h"

namespace kneechat {
namespace {

constexpr double kPreferredDocumentBoost = 1.5;

// A second quote must hold at least this share of the first's weight.
constexpr double kSecondQuoteShare = 0.5;
// An off-topic-looking message naming no lexicon concept is answered only
// if a quote holds at least this share of its specific weight.
constexpr double kOffTopicShare = 0.5;

std::vector<PassageHit> AllPassagesOf(const Searcher& searcher) {
  absl::StatusOr<std::vector<PassageHit>> all = searcher.AllPassages();
  return all.ok() ? *std::move(all) : std::vector<PassageHit>{};
}

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
    : knowledge_(knowledge),
      searcher_(searcher),
      vocabulary_(AllPassagesOf(searcher)) {}

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
  v1::Reply reply;
  reply.mutable_triage()->set_level(level);
  auto not_covered = [&]() {
    reply.set_kind(v1::REPLY_KIND_NOT_COVERED);
    reply.set_text(t.not_covered());
    reply.set_speech(ToSpeech(t.not_covered()));
    return reply;
  };

  const std::vector<QuestionTerm> terms =
      AnalyzeQuestion(question, searcher_.analyzer(), vocabulary_);
  // Not covered: a lexicon concept no article mentions ("warfarin",
  // "glucosamine"), or, for a message that does not look like knee talk, any
  // word no article holds. Other unknown words (lay words, typos) are left
  // for the search to weigh.
  double total = 0;  // weight of the specific terms the articles hold
  for (const QuestionTerm& term : terms) {
    if (term.generic) continue;
    if (term.passages == 0 && (off_topic || term.concept)) {
      return not_covered();
    }
    if (term.passages > 0) total += term.weight;
  }

  // A question naming a lexicon concept ("insoles", "warm up", "days off")
  // is answered only by passages that speak of it; otherwise any specific
  // word of the question will do.
  bool has_concept = false;
  for (const QuestionTerm& term : terms) {
    has_concept |= term.concept && !term.generic && term.passages > 0;
  }
  auto answers = [&](const std::vector<std::string>& words) {
    for (const QuestionTerm& term : terms) {
      if (term.generic || (has_concept && !term.concept)) continue;
      if (Holds(words, term)) return true;
    }
    return total == 0;
  };

  SearchOptions options;
  options.limit = 30;
  options.min_coverage = t.min_coverage();
  auto hits = searcher_.Search(question, options);
  if (!hits.ok()) return hits.status();
  if (hits->empty() && !has_concept) return not_covered();

  // The pool, best first. In context: among the passages that answer the
  // question, those that also speak of the person's problem come first.
  std::vector<PassageHit> pool;
  std::set<std::string> pooled;
  auto add = [&](const PassageHit& h) {
    if (pooled.insert(h.passage_id).second) pool.push_back(h);
  };
  std::set<std::string> covered;
  for (const PassageHit& h : *hits) covered.insert(h.passage_id);
  std::set<std::string> context_stems;
  if (condition != nullptr) {
    SearchOptions wide;
    wide.limit = 30;
    auto in_context = searcher_.Search(
        absl::StrCat(std::string(question), " ", condition->about_query()),
        wide);
    if (!in_context.ok()) return in_context.status();
    for (const PassageHit& h : *in_context) {
      if (has_concept || covered.count(h.passage_id)) add(h);
    }
    context_stems =
        ContentStems(condition->about_query(), searcher_.analyzer());
    for (const auto& s : ContentStems(question, searcher_.analyzer())) {
      context_stems.erase(s);
    }
  }
  for (const PassageHit& h : *hits) add(h);
  if (has_concept) {
    // The concept may be all the question says that the articles hold
    // ("how long should I rest between sessions?").
    SearchOptions loose;
    loose.limit = 30;
    auto more = searcher_.Search(question, loose);
    if (!more.ok()) return more.status();
    for (const PassageHit& h : *more) add(h);
  }

  // Each passage's best excerpt for the question. With concepts, an excerpt
  // holding more of the question's concepts comes first ("stretch" and "IT
  // band" over "stretch" alone); otherwise the pool's order stands.
  struct Candidate {
    Quote quote;
    int concepts = 0;
    double weight = 0;
  };
  std::vector<Candidate> candidates;
  for (const PassageHit& hit : pool) {
    std::string_view excerpt = BestExcerptBy(hit.text, [&](std::string_view s) {
      const std::vector<std::string> words = WordStems(s);
      return (answers(words) ? 2.0 : 0.0) + 3 * MatchedWeight(words, terms) +
             CountStems(words, context_stems);
    });
    if (excerpt.size() < 25) continue;  // too thin to stand as advice
    const std::vector<std::string> words = WordStems(excerpt);
    if (!answers(words)) continue;
    Candidate c{Quote{hit, std::string(excerpt)}, 0,
                MatchedWeight(words, terms)};
    for (const QuestionTerm& term : terms) {
      if (has_concept && term.concept && !term.generic && Holds(words, term)) {
        ++c.concepts;
      }
    }
    // A message that does not look like knee talk needs a quote that holds
    // a concept it names, or most of what it says.
    if (off_topic && c.concepts == 0 && c.weight < kOffTopicShare * total) {
      continue;
    }
    candidates.push_back(std::move(c));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.concepts > b.concepts;
                   });
  std::vector<Quote> quotes;
  for (const Candidate& c : candidates) {
    if (quotes.size() == 2) break;
    if (!quotes.empty() &&
        c.weight < kSecondQuoteShare * candidates.front().weight) {
      continue;
    }
    bool repeat = false;
    for (const Quote& q : quotes) repeat |= q.excerpt == c.quote.excerpt;
    if (!repeat) quotes.push_back(c.quote);
  }
  if (quotes.empty()) return not_covered();
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  std::string text = t.follow_up_intro();
  absl::StrAppend(&text, QuoteLines(quotes, &reply), "\n\n",
                  SafetyLines(t, nullptr, level));
  reply.set_text(text);
  reply.set_speech(ToSpeech(absl::StrCat(
      "The articles say: ", FirstSentence(quotes[0].excerpt), " ",
      t.safety_net_speech().empty() ? t.safety_net() : t.safety_net_speech())));
  return reply;
}

}  // namespace kneechat

#include "services/dialogue/composer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
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
    : knowledge_(knowledge), searcher_(searcher) {
  for (const auto& condition : knowledge_.conditions()) {
    plans_[condition.spec] = PlanAnswer(*condition.spec);
  }
}

namespace {

// RE2's \s: the whitespace ToSpeech collapses.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Length of a "[123]" marker at the start of `s`, 0 if none.
size_t MarkerLength(std::string_view s) {
  if (s.size() < 3 || s[0] != '[') return 0;
  size_t i = 1;
  while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i])))
    ++i;
  return i > 1 && i < s.size() && s[i] == ']' ? i + 1 : 0;
}

// Length of the URL prefix ("http://", "https://", "www.", any case) at the
// start of `s`, when a non-space character follows it; 0 otherwise.
size_t UrlPrefixLength(std::string_view s) {
  for (std::string_view prefix : {"https://", "http://", "www."}) {
    if (s.size() > prefix.size() &&
        absl::EqualsIgnoreCase(
            absl::string_view(s.data(), prefix.size()),
            absl::string_view(prefix.data(), prefix.size())) &&
        !IsSpace(s[prefix.size()])) {
      return prefix.size();
    }
  }
  return 0;
}

// What the rules after the first (markers) make of a byte: kept, unless it
// is whitespace or "*" or "_" (a space), the first byte of "•", or a letter
// that may start a URL prefix.
enum ByteRole : uint8_t { kKept, kSpace, kBulletStart, kUrlStart };

struct ByteRoles {
  ByteRole role[256] = {};
  constexpr ByteRoles() {
    for (unsigned char c : {' ', '\t', '\n', '\f', '\r'}) role[c] = kSpace;
    role[static_cast<unsigned char>('*')] = kSpace;
    role[static_cast<unsigned char>('_')] = kSpace;
    role[0xE2] = kBulletStart;
    for (unsigned char c : {'h', 'H', 'w', 'W'}) role[c] = kUrlStart;
  }
};
constexpr ByteRoles kByteRoles;

// Text with every "\s*\[\d+\]" removed. `*storage` holds the result
// when anything is removed; text without a "[" is returned as it is.
std::string_view WithoutMarkers(std::string_view text, std::string* storage) {
  size_t open = text.find('[');
  if (open == std::string_view::npos) return text;
  storage->reserve(text.size());
  size_t kept = 0;  // text before `kept` is dealt with
  for (; open != std::string_view::npos; open = text.find('[', open + 1)) {
    const size_t n = MarkerLength(text.substr(open));
    if (n == 0) continue;
    size_t from = open;  // the marker and the whitespace right before it
    while (from > kept && IsSpace(text[from - 1])) --from;
    storage->append(text.substr(kept, from - kept));
    kept = open + n;
    open = kept - 1;
  }
  storage->append(text.substr(kept));
  return *storage;
}

}  // namespace

// One pass per rule, in this order, over the output of the one before:
// "\s*\[\d+\]" removed; "\b(https?://|www\.)\S+" (any case) removed;
// "•", "*" and "_" made spaces; runs of whitespace made one space; ends
// trimmed. Written as loops, not regular expressions: it runs on every reply.
// The last three passes run as one: each reads only what the one before
// writes, a character at a time.
std::string ToSpeech(std::string_view text) {
  std::string storage;
  const std::string_view unmarked = WithoutMarkers(text, &storage);
  // Every byte written stands for at least one byte read.
  std::string out(unmarked.size(), '\0');
  char* const begin = out.data();
  char* end = begin;
  bool space = false;  // whitespace is pending
  auto put = [&](char c) {
    if (space) *end++ = ' ';
    space = false;
    *end++ = c;
  };
  // A byte kept, or a letter that may start a URL prefix inside a word
  // (where no URL starts), is written as it is (j > 0).
  auto plain = [&](size_t j) {
    const ByteRole role =
        kByteRoles.role[static_cast<unsigned char>(unmarked[j])];
    return role == kKept || (role == kUrlStart && IsWordChar(unmarked[j - 1]));
  };
  for (size_t i = 0; i < unmarked.size();) {
    const char c = unmarked[i];
    switch (kByteRoles.role[static_cast<unsigned char>(c)]) {
      case kKept: {
        // The whole run of plain bytes at once, with the single spaces
        // between them (each written as the one space it becomes).
        size_t j = i + 1;
        while (j < unmarked.size()) {
          if (plain(j)) {
            ++j;
          } else if (unmarked[j] == ' ' && j + 1 < unmarked.size() &&
                     plain(j + 1)) {
            j += 2;
          } else {
            break;
          }
        }
        if (space) *end++ = ' ';
        space = false;
        std::memcpy(end, unmarked.data() + i, j - i);
        end += j - i;
        i = j;
        continue;
      }
      case kSpace:
        space = end != begin;
        ++i;
        continue;
      case kBulletStart:
        if (unmarked.substr(i, 3) == "\xE2\x80\xA2") {  // "•"
          space = end != begin;
          i += 3;
          continue;
        }
        break;
      case kUrlStart:
        if (i == 0 || !IsWordChar(unmarked[i - 1])) {
          if (const size_t prefix = UrlPrefixLength(unmarked.substr(i));
              prefix > 0) {
            i += prefix;
            while (i < unmarked.size() && !IsSpace(unmarked[i])) ++i;
            continue;
          }
        }
        break;
    }
    put(c);
    ++i;
  }
  out.resize(end - begin);
  return out;
}

struct Composer::AnswerPlan {
  // Not OK when the index cannot give the condition an answer.
  absl::Status status;
  // The quoted lines with their [n] markers, and their citations.
  std::string quote_lines;
  google::protobuf::RepeatedPtrField<v1::Citation> citations;
  // The whole spoken answer.
  std::string speech;
};

std::unique_ptr<const Composer::AnswerPlan> Composer::PlanAnswer(
    const ConditionSpec& condition) const {
  auto plan = std::make_unique<AnswerPlan>();
  SearchOptions options;
  options.limit = 10;
  std::optional<ScopedStage> retrieval(std::in_place, TurnStage::kRetrieval);
  auto about = searcher_.Search(condition.about_query(), options);
  if (!about.ok()) {
    plan->status = about.status();
    return plan;
  }
  auto care = searcher_.Search(condition.care_query(), options);
  if (!care.ok()) {
    plan->status = care.status();
    return plan;
  }
  retrieval.reset();

  std::vector<Quote> quotes;
  const QueryAnalyzer& analyzer = searcher_.analyzer();
  TakeQuotes(Rank(*about, &condition), condition.about_query(), analyzer, 1,
             &quotes);
  TakeQuotes(Rank(*care, &condition), condition.care_query(), analyzer, 2,
             &quotes);
  if (quotes.empty()) {
    plan->status = absl::NotFoundError(absl::StrCat(
        "the index has no passage for condition '", condition.id(), "'"));
    return plan;
  }
  v1::Reply cited;
  plan->quote_lines = QuoteLines(quotes, &cited);
  plan->citations = std::move(*cited.mutable_citations());

  const DialogueText& t = knowledge_.text();
  std::string speech = Fill(t.answer_speech(), "condition", condition.name());
  const std::string& advice =
      quotes.size() > 1 ? quotes[1].excerpt : quotes[0].excerpt;
  absl::StrAppend(
      &speech, " The articles say: ", FirstSentence(advice), " ",
      t.safety_net_speech().empty() ? t.safety_net() : t.safety_net_speech());
  plan->speech = ToSpeech(speech);
  return plan;
}

Composer::~Composer() = default;

bool Composer::AnswersEveryCondition() const {
  for (const auto& [condition, plan] : plans_) {
    if (!plan->status.ok()) return false;
  }
  return true;
}

std::vector<std::string> Composer::FixedTexts() const {
  const DialogueText& t = knowledge_.text();
  std::vector<std::string> texts;
  for (const v1::TriageLevel level :
       {v1::TRIAGE_LEVEL_SELF_CARE, v1::TRIAGE_LEVEL_SOON}) {
    texts.push_back(SafetyLines(t, nullptr, level));
    for (const auto& [condition, plan] : plans_) {
      texts.push_back(SafetyLines(t, condition, level));
    }
  }
  if (!t.soon_line().empty()) {
    texts.push_back(absl::StrCat(t.soon_line(), " ", t.safety_reminder()));
  }
  for (const auto& [condition, plan] : plans_) texts.push_back(plan->speech);
  return texts;
}

absl::StatusOr<v1::Reply> Composer::Answer(const ConditionSpec& condition,
                                           const std::string& summary,
                                           v1::TriageLevel level) const {
  std::unique_ptr<const AnswerPlan> unplanned;
  const AnswerPlan* plan = nullptr;
  if (auto it = plans_.find(&condition); it != plans_.end()) {
    plan = it->second.get();
  } else {  // a condition from elsewhere than knowledge_
    unplanned = PlanAnswer(condition);
    plan = unplanned.get();
  }
  if (!plan->status.ok()) return plan->status;

  const DialogueText& t = knowledge_.text();
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  std::string text = Fill(t.answer_intro(), "summary", summary);
  text = Fill(text, "condition", condition.name());
  absl::StrAppend(&text, plan->quote_lines, "\n\n",
                  SafetyLines(t, &condition, level));
  reply.set_text(std::move(text));
  *reply.mutable_citations() = plan->citations;
  reply.set_speech(plan->speech);
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

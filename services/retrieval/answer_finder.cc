#include "services/retrieval/answer_finder.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>

#include "absl/strings/str_join.h"
#include "index/index_format.h"
#include "services/retrieval/question_terms.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

// How much a term counts, relative to a specific word of the question.
constexpr double kIncidentalFactor = 0.15;
constexpr double kGenericFactor = 0.25;
constexpr double kConceptFactor = 1.2;  // a lexicon concept ("insoles")
// A word no article holds weighs as the rarest word would, times this: in
// full when it is what the question is about ("does a TENS machine help?"),
// less when it only sets the scene after a preposition ("... before rides").
constexpr double kUnknownCoreFactor = 1.0;
constexpr double kUnknownSceneFactor = 0.25;
// Words naming the person's problem, standing in for a question that names
// nothing the articles hold.
constexpr double kBorrowedShare = 0.5;
// A synonym found instead of the word as typed.
constexpr double kSynonymMatch = 0.7;
// One specific word of a phrase typed ("hip" of "hip exercises") found
// without the rest.
constexpr double kPartialMatch = 0.4;
// A word the articles hold that only says where ("at home", "at the gym").
constexpr double kPlaceFactor = 0.5;
// A word the articles hold that names what the question compares with ("why
// are lunges worse than jogging?") or, in a how-long question, the event the
// time runs to ("how long until I book a physio?"): the question is not
// about it.
constexpr double kContrastFactor = 0.35;
// A term the sentence lacks but a neighbouring sentence or the passage
// heading holds, or only some other sentence of its passage.
constexpr double kNeighbourMatch = 0.4;
constexpr double kNearMatch = 0.3;  // two sentences away
constexpr double kPassageMatch = 0.2;
// Boosts: each answer shape of the question's types the sentence has (at
// most two count), the person's articles, and the words naming their
// problem in the sentence (up to three).
constexpr double kShapeBoost = 0.5;
constexpr double kPreferredBoost = 0.1;
// Question types whose answers have a shape of their own (instructions,
// definitions, causes, durations, prevention, who to see): a sentence
// without it counts for this share.
constexpr uint32_t kDistinctShapes =
    kHowTo | kWhatIs | kWhy | kHowLong | kHowOften | kPrevention | kSeeSomeone;
constexpr double kShapelessShare = 0.8;
constexpr double kBorrowedShapelessShare = 0.5;
constexpr double kAboutBoost = 0.05;
// A word the articles hold, right after a word they do not ("TENS
// machine", "growing pains"), names something else: its matches count for
// this share.
constexpr double kCompoundMatch = 0.3;
// A specific word of the question followed in a sentence by the same word
// as in the question ("the day after"): a share of its weight is added.
constexpr double kPairShare = 0.5;
// The point of a question like "how long ..." or "who ...": a sentence
// with that answer shape earns this share of the rarest word's weight on
// top of the words it holds, provided it holds or sits next to at least
// kFocusMinShare of them (a duration alone answers nothing).
constexpr double kFocusShare = 1.0;
constexpr double kFocusMinShare = 0.25;
// A second quote must score this share of the first.
constexpr double kSecondShare = 0.75;
// A neighbouring sentence joins the quote when it is needed to finish the
// thought (a lead-in before a list, a "This ..." that leans on the sentence
// before), or when it scores this share of the chosen one: the next sentence
// often carries the answer on; the one before must answer almost as well,
// or the quote would open with a paragraph's scene-setting first sentence.
constexpr double kNextShare = 0.5;
constexpr double kPreviousShare = 0.7;
constexpr size_t kMaxExcerptBytes = 420;
// Words of a message read as the question.
constexpr size_t kMaxWords = 60;

// Words after which the rest of a question sets the scene.
bool IsSceneWord(const std::string& w) {
  static const char* kWords[] = {"before", "after", "on",   "during", "for",
                                 "of",     "in",    "at",   "from",   "when",
                                 "while",  "since", "into", "around", "about",
                                 "than",   "next",  "last"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// Words after which the rest of a question names what it is compared with.
bool IsContrastWord(const std::string& w) { return w == "than"; }

// Words after which the rest of a how-long question names the event the
// time runs to.
bool IsEndpointWord(const std::string& w) {
  return w == "before" || w == "until" || w == "till";
}

bool IsTimeWord(const std::string& w) {
  return w == "after" || w == "before" || w == "during" || w == "until" ||
         w == "since";
}

// Words that start a sentence leaning on the one before it.
bool LeansBack(std::string_view s) {
  static const char* kStarts[] = {
      "This ",   "It ",        "These ",    "That ",     "They ",
      "However", "So ",        "Similarly", "Therefore", "But ",
      "Instead", "To keep it", "In short",  "Then ",     "Also,"};
  for (std::string_view start : kStarts) {
    if (s.substr(0, start.size()) == start) return true;
  }
  return false;
}

int Popcount(uint32_t v) {
  int n = 0;
  for (; v != 0; v &= v - 1) ++n;
  return n;
}

struct Term {
  std::vector<uint8_t> in;     // by sentence: 0, or 1 as typed, 2 synonym
  std::vector<uint32_t> held;  // the sentences whose `in` is not 0
  double weight = 0;           // idf times factor
  bool specific = false;       // neither generic nor incidental
  bool known = false;          // some sentence holds it
  double match = 1;            // share of the weight a match earns
};

}  // namespace

AnswerFinder::AnswerFinder(std::vector<PassageHit> passages,
                           const QueryAnalyzer& analyzer,
                           std::unique_ptr<const QuestionReader> reader)
    : analyzer_(analyzer),
      reader_(std::move(reader)),
      index_(std::move(passages), analyzer.lexicon(), *reader_) {
  static std::atomic<uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
}

FoundAnswer AnswerFinder::Find(std::string_view question,
                               const AnswerContext& context,
                               std::vector<QuotedSentences>* considered) const {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  FoundAnswer out;
  out.reading = reader_->Read(question);
  if (out.reading.refer) {
    out.verdict = AnswerVerdict::kProfessional;
    return out;
  }
  // Typing slips: a word no article holds, one letter from one that does.
  std::vector<std::string> words = SplitWords(out.reading.terms_text);
  // A question is a sentence or two; a long message is read by its start.
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  for (std::string& w : words) {
    if (analyzer_.IsStopword(w)) continue;
    std::string corrected = index_.Correct(w);
    if (!corrected.empty()) w = std::move(corrected);
  }
  std::vector<QueryUnit> units =
      analyzer_.Analyze(absl::StrJoin(words, " "), stem);
  const size_t asked_units = units.size();
  // Position of a unit's first word among `words`, or words.size().
  auto position = [&](const QueryUnit& unit) {
    for (size_t k = 0; k < words.size(); ++k) {
      if (!unit.typed.empty() && words[k] == unit.typed[0]) return k;
    }
    return words.size();
  };
  auto at_place = [&](const QueryUnit& unit) {
    const size_t k = position(unit);
    size_t j = k;
    while (j > 0 && (words[j - 1] == "the" || words[j - 1] == "my" ||
                     words[j - 1] == "a" || words[j - 1] == "your")) {
      --j;
    }
    return k < words.size() && j > 0 && words[j - 1] == "at";
  };
  // The unit comes after the comparison ("than") or, in a how-long
  // question, after the event the time runs to ("before", "until").
  const bool how_long = (out.reading.types & kHowLong) != 0;
  auto in_contrast = [&](const QueryUnit& unit) {
    const size_t k = position(unit);
    for (size_t j = 0; j < k; ++j) {
      if (IsContrastWord(words[j]) || (how_long && IsEndpointWord(words[j]))) {
        return true;
      }
    }
    return false;
  };
  auto sets_scene = [&](const QueryUnit& unit) {
    for (const std::string& w : words) {
      if (!unit.typed.empty() && w == unit.typed[0]) return false;
      if (IsSceneWord(w)) return true;
    }
    return false;
  };

  const std::vector<IndexedSentence>& sentences = index_.sentences();
  const size_t n = sentences.size();
  const double max_idf = std::log(n + 1.0);
  std::vector<Term> terms;
  double total = 0;
  bool any_known = false, specific_known = false;
  // Adds the terms of units[from..] at `share` of their weight.
  auto add_terms = [&](size_t from, double share) {
    for (size_t t = from; t < units.size(); ++t) {
      const QueryUnit& unit = units[t];
      Term term;
      term.in.assign(n, 0);
      // Sentences holding the unit (as typed or a synonym): those marked 1
      // or 2, counted as they are first marked.
      size_t df = 0;
      for (size_t a = 0; a < unit.alternatives.size(); ++a) {
        for (uint32_t id : index_.Holding(unit.alternatives[a])) {
          if (term.in[id] == 0) {
            ++df;
            term.held.push_back(id);
          }
          if (term.in[id] == 0 || term.in[id] == 3 || a == 0) {
            term.in[id] = a == 0 ? 1 : 2;
          }
        }
      }
      if (unit.typed.size() > 1 && !unit.generic) {
        for (size_t w = 0; w < unit.typed.size(); ++w) {
          if (analyzer_.IsStopword(unit.typed[w]) ||
              reader_->IsIncidental(unit.typed[w]) ||
              w >= unit.alternatives[0].size()) {
            continue;
          }
          for (uint32_t id : index_.Holding({unit.alternatives[0][w]})) {
            if (term.in[id] == 0) {
              term.in[id] = 3;
              term.held.push_back(id);
            }
          }
        }
      }
      bool incidental = true;
      for (const std::string& w : unit.typed) {
        incidental &= reader_->IsIncidental(w);
      }
      double factor = incidental     ? kIncidentalFactor
                      : unit.generic ? kGenericFactor
                                     : share;
      if (!unit.concept_ids.empty() && !unit.generic && !incidental) {
        factor *= kConceptFactor;
      }
      term.known = df > 0;
      term.specific = !incidental && !unit.generic;
      if (term.known) {
        if (at_place(unit)) factor *= kPlaceFactor;
        if (term.specific && in_contrast(unit)) factor *= kContrastFactor;
        term.weight = factor * std::log((n + 1.0) / (df + 1.0));
      } else if (term.specific) {
        term.weight =
            factor * max_idf *
            (sets_scene(unit) ? kUnknownSceneFactor : kUnknownCoreFactor);
      }  // an unknown generic or incidental word says nothing either way
      total += term.weight;
      any_known |= term.known;
      specific_known |= term.known && term.specific;
      terms.push_back(std::move(term));
    }
  };
  add_terms(0, 1.0);
  // A question that names nothing the articles hold ("will it settle by
  // itself?", "who should I see if it doesn't?") is about the person's
  // problem: the words naming it stand in, at part weight.
  // (Words that only set the scene, "next season", do not count.)
  bool names_something = false;
  for (size_t t = 0; t < terms.size(); ++t) {
    names_something |=
        terms[t].specific && (terms[t].known || !sets_scene(units[t]));
  }
  const bool borrowed = !names_something && !context.about.empty();
  if (borrowed) {
    for (QueryUnit& unit : analyzer_.Analyze(context.about, stem)) {
      units.push_back(std::move(unit));
    }
    add_terms(asked_units, kBorrowedShare);
  }
  if (!any_known) {
    out.verdict = AnswerVerdict::kUnrelated;
    return out;
  }
  // Only incidental and generic words in common with the articles ("why
  // only the left and not the right?"): nothing to answer it from.
  if (!specific_known) {
    out.verdict = AnswerVerdict::kNotCovered;
    return out;
  }
  for (size_t t = 0; t < units.size(); ++t) {
    if (terms[t].known) continue;
    const size_t k = position(units[t]);
    for (size_t u = 0; u < units.size(); ++u) {
      if (terms[u].known && k + 1 < words.size() &&
          position(units[u]) == k + 1) {
        terms[u].match = kCompoundMatch;
      }
    }
  }
  // The question's point ("how long", "who") weighs as a word of its own,
  // held by sentences with its answer shape.
  const uint32_t focus = out.reading.focus & ~kWorsening;
  const double words_total = total;
  const double focus_weight = focus != 0 ? kFocusShare * max_idf : 0;
  total += focus_weight;
  // Neighbouring question words, as stems, for the pair bonus ("the day
  // after"): each specific word the articles hold, with the word after it.
  // (As stem ids: a pair with a stem no sentence holds is never found.)
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  std::vector<double> pair_weights;
  for (size_t t = 0; t < asked_units; ++t) {
    if (!terms[t].known || !terms[t].specific) continue;
    const size_t k = position(units[t]);
    if (k + 1 >= words.size() || units[t].alternatives[0].empty()) continue;
    // A small word after it says little ("running with"), unless it places
    // the question in time ("the day after").
    const std::string& next_word = words[k + 1];
    if (analyzer_.IsStopword(next_word) && !IsTimeWord(next_word)) continue;
    const uint32_t first = index_.StemId(units[t].alternatives[0].back());
    const uint32_t second = index_.StemId(stem(words[k + 1]));
    if (first == SentenceIndex::kUnknownStem ||
        second == SentenceIndex::kUnknownStem) {
      continue;
    }
    pairs.emplace_back(first, second);
    pair_weights.push_back(terms[t].weight);
  }

  // Context: the person's articles and the words naming their problem.
  // The same few texts name problems (one per condition): each thread keeps
  // the stems of the last one it read for this finder, those some sentence
  // holds, with their ids (a stem no sentence holds is never found).
  thread_local uint64_t about_finder = 0;
  thread_local std::string about_text;
  thread_local std::vector<std::pair<std::string, uint32_t>> about_text_stems;
  if (about_finder != id_ || about_text != context.about) {
    about_text_stems.clear();
    for (const std::string& s : ContentStems(context.about, analyzer_)) {
      const uint32_t id = index_.StemId(s);
      if (id != SentenceIndex::kUnknownStem)
        about_text_stems.emplace_back(s, id);
    }
    about_text = context.about;
    about_finder = id_;
  }
  // Looked up for every word of every sentence scored: by stem id, 1 for
  // the words naming the problem that the question does not hold itself
  // (empty when there are none).
  std::vector<uint8_t> is_about;
  for (const auto& [about_stem, id] : about_text_stems) {
    bool asked = false;
    for (const QueryUnit& unit : units) {
      for (const auto& alternative : unit.alternatives) {
        asked |= std::find(alternative.begin(), alternative.end(),
                           about_stem) != alternative.end();
      }
    }
    if (asked) continue;
    if (is_about.empty()) is_about.assign(index_.stem_count(), 0);
    is_about[id] = 1;
  }
  // Each unit's alternatives as stem ids, for finding them in headings;
  // empty for one holding a stem no heading or sentence holds.
  std::vector<std::vector<std::vector<uint32_t>>> alternative_ids(units.size());
  for (size_t t = 0; t < units.size(); ++t) {
    for (const auto& alternative : units[t].alternatives) {
      std::vector<uint32_t>& ids = alternative_ids[t].emplace_back();
      for (const std::string& s : alternative) {
        const uint32_t id = index_.StemId(s);
        if (id == SentenceIndex::kUnknownStem) {
          ids.clear();
          break;
        }
        ids.push_back(id);
      }
    }
  }
  auto preferred = [&](uint32_t passage) {
    const std::string& doc = index_.passages()[passage].document_id;
    return std::find(context.documents.begin(), context.documents.end(), doc) !=
           context.documents.end();
  };
  // Sentences are scored in order, so a passage's sentences come together:
  // what its heading holds is found once per passage and term.
  uint32_t heading_passage = UINT32_MAX;
  std::vector<int8_t> heading_has;  // by term: -1 not yet looked at
  auto heading_holds = [&](uint32_t passage, size_t t) {
    if (passage != heading_passage) {
      heading_passage = passage;
      heading_has.assign(units.size(), -1);
    }
    if (heading_has[t] >= 0) return heading_has[t] == 1;
    const std::vector<uint32_t>& heading = index_.HeadingStemIds(passage);
    heading_has[t] = 0;
    for (const auto& alternative : alternative_ids[t]) {
      if (!alternative.empty() &&
          std::search(heading.begin(), heading.end(), alternative.begin(),
                      alternative.end()) != heading.end()) {
        heading_has[t] = 1;
        break;
      }
    }
    return heading_has[t] == 1;
  };
  auto same_passage = [&](size_t i, size_t j) {
    return j < n && sentences[j].passage == sentences[i].passage;
  };
  // Sentences of each passage, as [first, last] ids.
  auto passage_range = [&](size_t i, size_t* first, size_t* last) {
    *first = *last = i;
    while (*first > 0 && same_passage(i, *first - 1)) --*first;
    while (same_passage(i, *last + 1)) ++*last;
  };
  auto score_of = [&](size_t i) {
    const IndexedSentence& s = sentences[i];
    size_t first, last;
    passage_range(i, &first, &last);
    double lex = 0, ctx = 0;
    for (size_t t = 0; t < terms.size(); ++t) {
      const Term& term = terms[t];
      if (term.in[i] == 1) {
        lex += term.match * term.weight;
        continue;
      }
      if (term.in[i] == 2) {
        lex += term.match * kSynonymMatch * term.weight;
        continue;
      }
      if (term.in[i] == 3) {
        lex += term.match * kPartialMatch * term.weight;
        continue;
      }
      if (!term.known) continue;
      if (heading_holds(s.passage, t) || (i > first && term.in[i - 1]) ||
          (i < last && term.in[i + 1])) {
        ctx += kNeighbourMatch * term.weight;
        continue;
      }
      if ((i > first + 1 && term.in[i - 2]) ||
          (i + 1 < last && term.in[i + 2])) {
        ctx += kNearMatch * term.weight;
        continue;
      }
      for (size_t j = first; j <= last; ++j) {
        if (term.in[j]) {
          ctx += kPassageMatch * term.weight;
          break;
        }
      }
    }
    for (size_t k = 0; k < pairs.size(); ++k) {
      for (size_t w = 0; w + 1 < s.stem_ids.size(); ++w) {
        if (s.stem_ids[w] == pairs[k].first &&
            s.stem_ids[w + 1] == pairs[k].second) {
          lex += kPairShare * pair_weights[k];
          break;
        }
      }
    }
    if ((s.shapes & focus) != 0 && words_total > 0 &&
        lex + ctx >= kFocusMinShare * words_total) {
      lex += focus_weight;
    }
    double score = total > 0 ? (lex + ctx) / total : 0;
    const int shapes =
        std::min(2, Popcount(s.shapes & out.reading.types & ~kWorsening));
    score *= 1 + kShapeBoost * shapes;
    return score;
  };
  // Ranks within the conversation; coverage is judged without it. A
  // sentence without the distinct shape the question wants ranks lower.
  auto in_context = [&](size_t i) {
    const IndexedSentence& s = sentences[i];
    double boost = preferred(s.passage) ? 1 + kPreferredBoost : 1;
    const uint32_t distinct = out.reading.types & kDistinctShapes;
    if (distinct != 0 && (s.shapes & distinct) == 0) {
      // With the problem's words standing in, the kind of question is most
      // of what it says.
      boost *= borrowed ? kBorrowedShapelessShare : kShapelessShare;
    }
    int about_words = 0;
    if (!is_about.empty()) {
      for (const uint32_t id : s.stem_ids) about_words += is_about[id];
    }
    return boost * (1 + kAboutBoost * std::min(about_words, 3));
  };

  // The lead-in a list item hangs from ("You might notice it:"), if the
  // item is in a list right after one; n if none.
  auto lead_in_of = [&](size_t i) {
    size_t j = i;
    while (j > 0 && same_passage(i, j - 1)) {
      --j;
      if (sentences[j].lead_in) return j;
      if (!sentences[j].list_item) break;
    }
    return n;
  };

  // Candidates: sentences holding a specific word of the question.
  struct Candidate {
    size_t sentence;
    double score;  // with the conversation's context
    double base;   // without it
  };
  std::vector<Candidate> candidates;
  std::vector<double> scores(n, -1);
  // A sentence with the shape of the answer counts too when its passage
  // holds a specific word ("who could check my technique?" answered by "get
  // in touch with a personal trainer" after a sentence about technique).
  // So the sentences looked at are those holding a specific word and those
  // with a wanted shape in the passages of those (a passage's sentences are
  // consecutive), in order.
  std::vector<uint32_t> holding;
  for (const Term& term : terms) {
    if (term.specific) {
      holding.insert(holding.end(), term.held.begin(), term.held.end());
    }
  }
  std::sort(holding.begin(), holding.end());
  holding.erase(std::unique(holding.begin(), holding.end()), holding.end());
  const uint32_t wanted_shapes = out.reading.types & ~kWorsening;
  std::vector<uint32_t> looked_at = holding;
  if (wanted_shapes != 0) {
    for (size_t k = 0; k < holding.size(); ++k) {
      if (k > 0 && same_passage(holding[k - 1], holding[k])) continue;
      size_t first, last;
      passage_range(holding[k], &first, &last);
      for (size_t i = first; i <= last; ++i) {
        if ((sentences[i].shapes & wanted_shapes) != 0) {
          looked_at.push_back(static_cast<uint32_t>(i));
        }
      }
    }
    std::sort(looked_at.begin(), looked_at.end());
    looked_at.erase(std::unique(looked_at.begin(), looked_at.end()),
                    looked_at.end());
  }
  for (const size_t i : looked_at) {
    scores[i] = score_of(i);
    const IndexedSentence& s = sentences[i];
    const bool lead_in_ok =
        s.lead_in && same_passage(i, i + 1) && sentences[i + 1].quotable;
    const size_t lead = s.list_item && !s.quotable ? lead_in_of(i) : n;
    const bool item_ok =
        lead < n && s.end - sentences[lead].begin <= kMaxExcerptBytes;
    if (s.quotable || lead_in_ok || item_ok) {
      candidates.push_back({i, scores[i] * in_context(i), scores[i]});
    }
  }
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (considered != nullptr) {
    for (size_t k = 0; k < candidates.size() && k < 10; ++k) {
      const IndexedSentence& s = sentences[candidates[k].sentence];
      QuotedSentences q;
      q.passage = index_.passages()[s.passage];
      q.excerpt = std::string(index_.Text(s));
      q.score = candidates[k].score;
      considered->push_back(std::move(q));
    }
  }
  if (candidates.empty()) {
    out.verdict = AnswerVerdict::kNotCovered;
    return out;
  }
  out.best_score = candidates.front().base;
  if (out.best_score < kMinScore) {
    out.verdict = AnswerVerdict::kNotCovered;
    return out;
  }

  // The excerpt around a chosen sentence: a list item comes with its
  // lead-in, a lead-in with what it introduces, a sentence leaning on the
  // one before with that one; otherwise the better-scoring neighbour in the
  // same paragraph joins when it scores well enough.
  auto neighbour_ok = [&](size_t i, size_t j) {
    return same_passage(i, j) && sentences[j].quotable;
  };
  // The next sentence has the answer's shape the chosen one lacks ("There
  // are several easy exercises." then "One is based on sitting ...").
  auto carries_on = [&](size_t i, size_t j) {
    const uint32_t want = out.reading.types & kDistinctShapes;
    return (sentences[i].shapes & want) == 0 && (sentences[j].shapes & want);
  };
  // Both hold a specific word of the question: the later one names again
  // what the earlier one introduced ("... a course called X." "The course
  // ...").
  auto shares_term = [&](size_t a, size_t b) {
    for (const Term& term : terms) {
      if (term.specific && term.in[a] && term.in[a] != 3 && term.in[b] &&
          term.in[b] != 3) {
        return true;
      }
    }
    return false;
  };
  auto excerpt_of = [&](size_t i, size_t* first, size_t* last) {
    const IndexedSentence& s = sentences[i];
    *first = *last = i;
    const std::string_view text = index_.Text(s);
    if (s.list_item && !s.quotable) {
      *first = lead_in_of(i);
      return;
    }
    if (s.lead_in) {
      *last = i + 1;
      return;
    }
    // An announcement is quoted with what it announces.
    if (s.announces && neighbour_ok(i, i + 1) &&
        sentences[i + 1].end - s.begin <= kMaxExcerptBytes) {
      *last = i + 1;
      return;
    }
    const bool prev_ok = i > 0 && !s.line_start && neighbour_ok(i, i - 1);
    const bool next_ok = !s.line_end && neighbour_ok(i, i + 1);
    if (prev_ok && LeansBack(text)) {
      *first = i - 1;
    } else if (next_ok && LeansBack(index_.Text(sentences[i + 1]))) {
      *last = i + 1;
    } else if (next_ok && (scores[i + 1] >= kNextShare * scores[i] ||
                           carries_on(i, i + 1))) {
      *last = i + 1;
    } else if (prev_ok && (scores[i - 1] >= kPreviousShare * scores[i] ||
                           (shares_term(i - 1, i) &&
                            scores[i - 1] >= kNextShare * scores[i]))) {
      *first = i - 1;
    }
    if (sentences[*last].end - sentences[*first].begin > kMaxExcerptBytes) {
      *first = *last = i;
    }
  };
  auto quote = [&](size_t first, size_t last, double score) {
    QuotedSentences q;
    const IndexedSentence& a = sentences[first];
    const IndexedSentence& b = sentences[last];
    q.passage = index_.passages()[a.passage];
    q.excerpt = q.passage.text.substr(a.begin, b.end - a.begin);
    q.score = score;
    return q;
  };

  std::vector<std::pair<size_t, size_t>> used;
  for (const Candidate& c : candidates) {
    if (out.quotes.size() == 2) break;
    if (!out.quotes.empty() &&
        (c.score < kSecondShare * candidates.front().score ||
         c.base < kMinScore)) {
      break;
    }
    // A second quote comes from another passage: the first one's
    // neighbours were already weighed for its excerpt.
    if (!out.quotes.empty() &&
        sentences[c.sentence].passage == sentences[used[0].first].passage) {
      continue;
    }
    size_t first, last;
    excerpt_of(c.sentence, &first, &last);
    bool overlaps = false;
    for (const auto& [f, l] : used) overlaps |= !(last < f || first > l);
    if (overlaps) continue;
    QuotedSentences q = quote(first, last, c.score);
    used.emplace_back(first, last);
    out.quotes.push_back(std::move(q));
  }
  out.verdict = AnswerVerdict::kAnswered;
  return out;
}

}  // namespace kneechat

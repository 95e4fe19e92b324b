// Passage search over the kneechat index (built by kneechat-index).
//
// A query is split into units (services/retrieval/query_analyzer.h): lay
// phrases from corpus/lexicon.tsv expand to their synonyms, stop words are
// dropped, generic words (corpus/retrieval/generic_terms.txt) rank but do not
// count as the question's substance. Passages are scored by Xapian BM25 and
// each hit reports its coverage: the share of the query's specific units it
// matches, so callers can tell a well-covered question from a weak one. Hits
// are ordered by BM25 weight scaled by coverage (half of the weight depends
// on it), so a passage answering every part of a question comes first.
//
// A query is off-topic, and gets no hits, when fewer than half of its units
// occur anywhere in the corpus ("banana bread recipe"), or when it has
// specific units and none of them occurs ("chest pain").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/retrieval/doc_set.h"
#include "services/retrieval/query_analyzer.h"
#include "services/retrieval/question_reader.h"

namespace kneechat {

class AnswerFinder;

struct PassageHit {
  std::string document_id, passage_id, title, heading, text;
  double score = 0;  // Xapian BM25 weight
  int percent = 0;   // Xapian percentage
  // Fraction of the query's specific (non-generic, non-stopword) units this
  // passage matches, 0..1. A query of generic words only is measured on
  // those instead. 0 for passages not returned by a search.
  double coverage = 0;
};

struct SearchOptions {
  int limit = 5;            // at most this many hits; must be >= 1
  double min_coverage = 0;  // drop hits below this coverage (0..1)
};

class Searcher {
 public:
  // Opens the index and loads corpus_dir/lexicon.tsv,
  // corpus_dir/retrieval/stopwords.txt, .../generic_terms.txt and
  // .../questions.tsv. The passages, and which passages hold each word, are
  // read into memory (a few hundred passages), and split into the sentences
  // follow-up questions are answered from (answers()). kNotFound naming the index directory or file when
  // missing; kInvalidArgument when the index is not a kneechat index or a
  // file is malformed. The Searcher must outlive every call on it.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(
      const std::string& index_dir, const std::string& corpus_dir);

  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Best passages for `query`, best first. Thread-safe: each calling thread
  // uses its own Xapian::Database (never shared). kInvalidArgument for an
  // empty, over kMaxRetrievalQueryBytes (a message plus a curated query;
  // services/common/limits.h) or invalid UTF-8 query, or bad options. A query with
  // no useful term, off-topic, or matching nothing returns an empty vector.
  // kInternal if the index cannot be read (e.g. it was replaced by a rebuild
  // after Open: a Searcher serves the index it opened).
  absl::StatusOr<std::vector<PassageHit>> Search(
      std::string_view query, const SearchOptions& options) const;

  // The passage with this id, or kNotFound. Thread-safe.
  absl::StatusOr<PassageHit> GetPassage(std::string_view passage_id) const;
  // The same without a copy: null when unknown; lives as long as the
  // Searcher. Thread-safe.
  const PassageHit* FindPassage(std::string_view passage_id) const;

  // All passages of the index in id order: manifest order, then passage
  // number. Thread-safe.
  absl::StatusOr<std::vector<PassageHit>> AllPassages() const;

  // How queries are split into units (with lexicon synonyms), for callers
  // that judge a passage against a question. Thread-safe.
  const QueryAnalyzer& analyzer() const { return analyzer_; }

  // Answers follow-up questions with article sentences, from tables built
  // once here. Thread-safe; lives as long as the Searcher.
  const AnswerFinder& answers() const { return *answers_; }

 private:
  struct ThreadState;
  Searcher(std::string index_dir, std::string uuid, QueryAnalyzer analyzer,
           std::vector<PassageHit> passages,
           std::unordered_map<std::string, DocSet> matches,
           std::unique_ptr<const QuestionReader> reader);
  absl::StatusOr<ThreadState*> StateForThisThread() const;

  const std::string index_dir_;
  const std::string uuid_;  // of the database the passages were read from
  const QueryAnalyzer analyzer_;
  const std::vector<PassageHit> passages_;  // by Xapian docid - 1
  std::unordered_map<std::string, size_t> by_id_;
  // The passages containing every stemmed word of the index and every
  // lexicon phrase, keyed by PhraseKey, read once from the index: coverage
  // needs no further index access.
  const std::unordered_map<std::string, DocSet> matches_;
  // Identifies this Searcher in the per-thread database cache; expires with
  // it so that other threads release their databases.
  std::shared_ptr<const int> owner_token_;
  std::unique_ptr<const AnswerFinder> answers_;  // reads passages_, analyzer_
};

}  // namespace kneechat

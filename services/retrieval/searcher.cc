#include "services/retrieval/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "index/index_format.h"
#include "services/common/limits.h"
#include "services/common/utf8.h"
#include "services/retrieval/answer_finder.h"
#include "services/retrieval/doc_set.h"

namespace kneechat {
namespace {

// Weight of a lexicon synonym relative to the words as typed.
constexpr double kSynonymWeight = 0.5;
// Weight of generic units ("knee", "pain") relative to specific ones.
constexpr double kGenericWeight = 0.5;
// Share of the rank given by coverage: hits are ordered by BM25 weight
// scaled by (1 - share + share * coverage), so a passage that answers every
// part of the question moves ahead of one that repeats a single word.
constexpr double kCoverageShare = 0.5;
// Hits ranked before coverage filtering, at least.
constexpr Xapian::doccount kMinCandidates = 20;

Xapian::Query SequenceQuery(const std::vector<std::string>& stems) {
  std::vector<Xapian::Query> terms;
  terms.reserve(stems.size());
  for (const std::string& stem : stems) {
    terms.emplace_back(index_format::kStemPrefix + stem);
  }
  if (terms.size() == 1) return terms[0];
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                       static_cast<Xapian::termcount>(terms.size()));
}

// What was typed, OR its synonyms (as one synonym term, down-weighted unless
// the typed words occur nowhere in the corpus: then the synonyms are all the
// evidence there is). Generic units rank on what was typed alone: their
// synonyms ("sore", "ache" for "pain") occur everywhere and add cost, not
// information. `occurs[i]`: whether alternative i occurs in any passage; a
// synonym that occurs nowhere is left out, as it can match nothing (Xapian
// would still look for a phrase's words together in every passage holding
// them, and count the phrase in the synonym's term frequency estimate).
Xapian::Query UnitQuery(const QueryUnit& unit,
                        const std::vector<bool>& occurs) {
  Xapian::Query typed = SequenceQuery(unit.alternatives[0]);
  const bool typed_occurs = occurs[0];
  if (unit.alternatives.size() == 1 || (unit.generic && typed_occurs)) {
    return typed;
  }
  std::vector<Xapian::Query> synonyms;
  for (size_t i = 1; i < unit.alternatives.size(); ++i) {
    if (occurs[i]) synonyms.push_back(SequenceQuery(unit.alternatives[i]));
  }
  if (synonyms.empty()) return typed;
  Xapian::Query expansion(Xapian::Query::OP_SYNONYM, synonyms.begin(),
                          synonyms.end());
  if (!typed_occurs) return expansion;
  return Xapian::Query(
      Xapian::Query::OP_OR, typed,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, kSynonymWeight));
}

using MatchTable = std::unordered_map<std::string, DocSet>;

// Docids of every passage matching `query`.
DocSet MatchingDocs(Xapian::Database& db, const Xapian::Query& query) {
  DocSet matches(db.get_lastdocid() + 1);
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    matches.Add(*it);
  }
  return matches;
}

// Which passages contain each stemmed word of the index and each phrase of
// the lexicon. Small for a corpus of a few hundred passages.
MatchTable BuildMatchTable(Xapian::Database& db, const Lexicon& lexicon) {
  MatchTable table;
  const size_t size = db.get_lastdocid() + 1;
  const std::string prefix = index_format::kStemPrefix;
  for (Xapian::TermIterator term = db.allterms_begin(prefix);
       term != db.allterms_end(prefix); ++term) {
    DocSet docs(size);
    for (Xapian::PostingIterator post = db.postlist_begin(*term);
         post != db.postlist_end(*term); ++post) {
      docs.Add(*post);
    }
    table.emplace((*term).substr(prefix.size()), std::move(docs));
  }
  for (const LexiconGroup& group : lexicon.groups()) {
    for (const LexiconPhrase& phrase : group.phrases) {
      const std::string key = PhraseKey(phrase.stems);
      if (phrase.stems.size() < 2 || table.count(key) != 0) continue;
      table.emplace(key, MatchingDocs(db, SequenceQuery(phrase.stems)));
    }
  }
  return table;
}

// Passages containing `alternative` (stems): the table's entry, or for a
// phrase the table does not know its passages looked up in `db` into
// `scratch`; null for a word the index does not have.
const DocSet* AlternativeMatches(const std::vector<std::string>& alternative,
                                 const MatchTable& table, Xapian::Database& db,
                                 DocSet& scratch) {
  auto it = table.find(PhraseKey(alternative));
  if (it != table.end()) return &it->second;
  if (alternative.size() < 2) return nullptr;
  scratch = MatchingDocs(db, SequenceQuery(alternative));
  return &scratch;
}

}  // namespace

struct Searcher::ThreadState {
  std::weak_ptr<const int> owner;
  Xapian::Database db;
  Xapian::Stem stem{index_format::kStemmerLanguage};
};

Searcher::Searcher(std::string index_dir, std::string uuid,
                   QueryAnalyzer analyzer, std::vector<PassageHit> passages,
                   std::unordered_map<std::string, DocSet> matches,
                   std::unique_ptr<const QuestionReader> reader)
    : index_dir_(std::move(index_dir)),
      uuid_(std::move(uuid)),
      analyzer_(std::move(analyzer)),
      passages_(std::move(passages)),
      matches_(std::move(matches)),
      owner_token_(std::make_shared<const int>(0)) {
  for (size_t i = 0; i < passages_.size(); ++i) {
    by_id_.emplace(passages_[i].passage_id, i);
  }
  answers_ =
      std::make_unique<AnswerFinder>(passages_, analyzer_, std::move(reader));
}

Searcher::~Searcher() = default;

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(
    const std::string& index_dir, const std::string& corpus_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(index_dir, error)) {
    return absl::NotFoundError(
        absl::StrCat("index directory not found: ", index_dir));
  }
  absl::StatusOr<QueryAnalyzer> analyzer = QueryAnalyzer::Load(corpus_dir);
  if (!analyzer.ok()) return analyzer.status();
  absl::StatusOr<std::unique_ptr<QuestionReader>> reader =
      QuestionReader::Load(corpus_dir + "/retrieval/questions.tsv");
  if (!reader.ok()) return reader.status();

  std::vector<PassageHit> passages;
  std::string uuid;
  MatchTable matches;
  try {
    Xapian::Database db(index_dir);
    if (db.get_metadata(index_format::kFormatKey) !=
        index_format::kFormatValue) {
      return absl::InvalidArgumentError(
          absl::StrCat(index_dir, " is not a kneechat passage index"));
    }
    uuid = db.get_uuid();
    for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
      absl::StatusOr<Passage> passage =
          index_format::DecodePassageData(db.get_document(id).get_data());
      if (!passage.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            index_dir, ": document ", id, ": ", passage.status().message()));
      }
      PassageHit hit;
      hit.document_id = std::move(passage->document_id);
      hit.passage_id = std::move(passage->passage_id);
      hit.title = std::move(passage->title);
      hit.heading = std::move(passage->heading);
      hit.text = std::move(passage->text);
      passages.push_back(std::move(hit));
    }
    matches = BuildMatchTable(db, analyzer->lexicon());
  } catch (const Xapian::DocNotFoundError&) {
    return absl::InvalidArgumentError(
        absl::StrCat(index_dir, ": passages are not numbered 1..n"));
  } catch (const Xapian::DatabaseOpeningError& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot open index ", index_dir, ": ", e.get_description()));
  } catch (const Xapian::Error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot read index ", index_dir, ": ", e.get_description()));
  }
  if (passages.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(index_dir, ": the index holds no passages"));
  }
  return std::unique_ptr<Searcher>(new Searcher(
      index_dir, std::move(uuid), std::move(*analyzer), std::move(passages),
      std::move(matches), *std::move(reader)));
}

absl::StatusOr<Searcher::ThreadState*> Searcher::StateForThisThread() const {
  // One database per thread and Searcher; entries of destroyed Searchers
  // are released the next time this thread searches.
  static thread_local std::vector<std::unique_ptr<ThreadState>> states;
  states.erase(std::remove_if(states.begin(), states.end(),
                              [](const std::unique_ptr<ThreadState>& state) {
                                return state->owner.expired();
                              }),
               states.end());
  for (const std::unique_ptr<ThreadState>& state : states) {
    if (!state->owner.owner_before(owner_token_) &&
        !owner_token_.owner_before(state->owner)) {
      return state.get();
    }
  }
  auto state = std::make_unique<ThreadState>();
  state->owner = owner_token_;
  try {
    Xapian::Database on_disk(index_dir_);
    if (on_disk.get_uuid() != uuid_) {
      return absl::InternalError(absl::StrCat(
          "the index at ", index_dir_, " was replaced after it was opened"));
    }
    // A few hundred passages: searched from memory, they cost no file reads
    // and no page decoding per query. Same documents, ids and statistics, so
    // the same weights.
    Xapian::WritableDatabase in_memory = Xapian::InMemory::open();
    for (Xapian::PostingIterator it = on_disk.postlist_begin("");
         it != on_disk.postlist_end(""); ++it) {
      in_memory.replace_document(*it, on_disk.get_document(*it));
    }
    state->db = in_memory;
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("cannot open index ", index_dir_,
                                            ": ", e.get_description()));
  }
  states.push_back(std::move(state));
  return states.back().get();
}

absl::StatusOr<std::vector<PassageHit>> Searcher::Search(
    std::string_view query, const SearchOptions& options) const {
  if (query.empty()) return absl::InvalidArgumentError("empty query");
  if (query.size() > kMaxRetrievalQueryBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("query longer than ", kMaxRetrievalQueryBytes, " bytes"));
  }
  if (!IsValidUtf8(query)) {
    return absl::InvalidArgumentError("query is not valid UTF-8");
  }
  if (options.limit < 1) {
    return absl::InvalidArgumentError("limit must be at least 1");
  }
  if (!(options.min_coverage >= 0 && options.min_coverage <= 1)) {
    return absl::InvalidArgumentError("min_coverage must be within 0..1");
  }
  absl::StatusOr<ThreadState*> state = StateForThisThread();
  if (!state.ok()) return state.status();

  const std::vector<QueryUnit> units = analyzer_.Analyze(query, (*state)->stem);
  if (units.empty()) return std::vector<PassageHit>();

  std::vector<PassageHit> hits;
  try {
    Xapian::Database& db = (*state)->db;
    const size_t size = passages_.size() + 1;
    std::vector<Xapian::Query> ranking;
    std::vector<DocSet> matches;
    matches.reserve(units.size());
    size_t known = 0;
    size_t specific = 0;
    size_t specific_known = 0;
    std::vector<bool> alternative_occurs;
    DocSet scratch(size);
    for (const QueryUnit& unit : units) {
      // Passages matching any alternative of the unit.
      DocSet& unit_matches = matches.emplace_back(size);
      alternative_occurs.clear();
      for (const std::vector<std::string>& alternative : unit.alternatives) {
        const DocSet* found =
            AlternativeMatches(alternative, matches_, db, scratch);
        alternative_occurs.push_back(found != nullptr && found->Any());
        if (found != nullptr) unit_matches.AddAll(*found);
      }
      const bool occurs = unit_matches.Any();
      known += occurs ? 1 : 0;
      if (!unit.generic) {
        ++specific;
        specific_known += occurs ? 1 : 0;
      }
      Xapian::Query query_for_unit = UnitQuery(unit, alternative_occurs);
      ranking.push_back(unit.generic
                            ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                            query_for_unit, kGenericWeight)
                            : query_for_unit);
    }
    // Off-topic: mostly words the corpus does not have, or nothing of the
    // question's substance in it ("chest pain", "banana bread recipe").
    if (known * 2 < units.size()) return hits;
    if (specific > 0 && specific_known == 0) return hits;

    // Coverage counts the specific units, or the generic ones if that is all
    // the query has.
    std::vector<size_t> counted;
    for (size_t i = 0; i < units.size(); ++i) {
      if (!units[i].generic) counted.push_back(i);
    }
    if (counted.empty()) {
      for (size_t i = 0; i < units.size(); ++i) counted.push_back(i);
    }

    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_OR, ranking.begin(), ranking.end()));
    const Xapian::doccount candidates = std::max<Xapian::doccount>(
        kMinCandidates, static_cast<Xapian::doccount>(options.limit));
    Xapian::MSet mset = enquire.get_mset(0, candidates);
    struct Ranked {
      double key;
      Xapian::docid docid;
      double score;
      int percent;
      double coverage;
    };
    std::vector<Ranked> ranked;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      const Xapian::docid docid = *it;
      if (docid == 0 || docid > passages_.size()) {
        return absl::InternalError("index and passage cache disagree");
      }
      size_t covered = 0;
      for (size_t i : counted) covered += matches[i].Has(docid) ? 1 : 0;
      const double coverage =
          static_cast<double>(covered) / static_cast<double>(counted.size());
      if (coverage < options.min_coverage) continue;
      const double score = it.get_weight();
      ranked.push_back(
          {score * ((1 - kCoverageShare) + kCoverageShare * coverage), docid,
           score, mset.convert_to_percent(it), coverage});
    }
    // Stable: equal keys keep Xapian's order.
    std::stable_sort(
        ranked.begin(), ranked.end(),
        [](const Ranked& a, const Ranked& b) { return a.key > b.key; });
    for (const Ranked& entry : ranked) {
      if (hits.size() == static_cast<size_t>(options.limit)) break;
      PassageHit hit = passages_[entry.docid - 1];
      hit.score = entry.score;
      hit.percent = entry.percent;
      hit.coverage = entry.coverage;
      hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    return absl::InternalError(
        absl::StrCat("search failed: ", e.get_description()));
  }
  return hits;
}

absl::StatusOr<PassageHit> Searcher::GetPassage(
    std::string_view passage_id) const {
  const std::string id(passage_id);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return absl::NotFoundError(absl::StrCat("no passage ", id));
  }
  return passages_[it->second];
}

const PassageHit* Searcher::FindPassage(std::string_view passage_id) const {
  auto it = by_id_.find(std::string(passage_id));
  return it == by_id_.end() ? nullptr : &passages_[it->second];
}

absl::StatusOr<std::vector<PassageHit>> Searcher::AllPassages() const {
  return passages_;
}

}  // namespace kneechat

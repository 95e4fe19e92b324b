#include "services/retrieval/query_analyzer.h"

#include <algorithm>
#include <set>

#include "index/data_files.h"
#include "index/index_format.h"
#include "services/text/text_normalize.h"

namespace kneechat {

QueryAnalyzer::QueryAnalyzer(Lexicon lexicon,
                             const std::vector<std::string>& stopwords,
                             const std::vector<std::string>& generic_words)
    : lexicon_(std::move(lexicon)) {
  Xapian::Stem stem(index_format::kStemmerLanguage);
  for (const std::string& word : stopwords) {
    stopwords_.insert(FoldForMatching(word));
  }
  for (const std::string& word : generic_words) {
    generic_stems_.insert(stem(FoldForMatching(word)));
  }
}

absl::StatusOr<QueryAnalyzer> QueryAnalyzer::Load(
    const std::string& corpus_dir) {
  absl::StatusOr<Lexicon> lexicon = Lexicon::Load(corpus_dir + "/lexicon.tsv");
  if (!lexicon.ok()) return lexicon.status();
  absl::StatusOr<std::vector<std::string>> stopwords =
      ReadWordList(corpus_dir + "/retrieval/stopwords.txt");
  if (!stopwords.ok()) return stopwords.status();
  absl::StatusOr<std::vector<std::string>> generic =
      ReadWordList(corpus_dir + "/retrieval/generic_terms.txt");
  if (!generic.ok()) return generic.status();
  return QueryAnalyzer(std::move(*lexicon), *stopwords, *generic);
}

std::vector<QueryUnit> QueryAnalyzer::Analyze(std::string_view query,
                                              const Xapian::Stem& stem) const {
  const std::vector<std::string> words = SplitWords(query);
  std::vector<std::string> stems;
  stems.reserve(words.size());
  for (const std::string& word : words) stems.push_back(stem(word));

  std::vector<QueryUnit> units;
  std::set<std::vector<std::string>> seen;  // first alternative, or concepts
  for (size_t i = 0; i < words.size();) {
    size_t length = 0;
    std::vector<const LexiconGroup*> groups =
        lexicon_.MatchAt(stems, i, &length);
    QueryUnit unit;
    if (groups.empty()) {
      length = 1;
      if (IsStopword(words[i])) {
        ++i;
        continue;
      }
    }
    unit.typed.assign(words.begin() + i, words.begin() + i + length);
    unit.alternatives.emplace_back(stems.begin() + i,
                                   stems.begin() + i + length);
    for (const LexiconGroup* group : groups) {
      unit.concept_ids.push_back(group->concept_id);
      for (const LexiconPhrase& phrase : group->phrases) {
        if (std::find(unit.alternatives.begin(), unit.alternatives.end(),
                      phrase.stems) == unit.alternatives.end()) {
          unit.alternatives.push_back(phrase.stems);
        }
      }
    }
    unit.generic = true;
    for (size_t j = i; j < i + length; ++j) {
      if (!IsStopword(words[j]) && generic_stems_.count(stems[j]) == 0) {
        unit.generic = false;
      }
    }
    i += length;
    std::vector<std::string> key = unit.alternatives[0];
    if (!unit.concept_ids.empty()) {
      key = unit.concept_ids;
      key.insert(key.begin(), "@concepts");
    }
    if (!seen.insert(key).second) continue;
    units.push_back(std::move(unit));
  }
  return units;
}

}  // namespace kneechat

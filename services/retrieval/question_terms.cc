#include "services/retrieval/question_terms.h"

#include <xapian.h>

#include "index/index_format.h"
#include "services/text/text_normalize.h"

namespace kneechat {

std::vector<std::string> WordStems(std::string_view text) {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  std::vector<std::string> out;
  for (const std::string& word : SplitWords(text)) out.push_back(stem(word));
  return out;
}

std::set<std::string> ContentStems(std::string_view text,
                                   const QueryAnalyzer& analyzer) {
  thread_local Xapian::Stem stem(index_format::kStemmerLanguage);
  std::set<std::string> out;
  for (const std::string& word : SplitWords(text)) {
    if (!analyzer.IsStopword(word)) out.insert(stem(word));
  }
  return out;
}

int CountStems(const std::vector<std::string>& words,
               const std::set<std::string>& stems) {
  int n = 0;
  for (const std::string& w : words) n += stems.count(w);
  return n;
}

}  // namespace kneechat

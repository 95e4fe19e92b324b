// Words of a question or a sentence, split and stemmed exactly as the index
// splits and stems the articles (services/text/text_normalize.h, the index's English
// stemmer), so that what a person typed and what an article says compare
// stem for stem.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "services/retrieval/query_analyzer.h"

namespace kneechat {

// Stemmed words of `text` in order, split as the index splits them (no stop
// words dropped). Thread-safe.
std::vector<std::string> WordStems(std::string_view text);

// Stemmed words of `text` that are not stop words of `analyzer`
// (corpus/retrieval/stopwords.txt), split and stemmed as the index does.
// Thread-safe.
std::set<std::string> ContentStems(std::string_view text,
                                   const QueryAnalyzer& analyzer);

// How many of `words` (from WordStems) are among `stems`.
int CountStems(const std::vector<std::string>& words,
               const std::set<std::string>& stems);

}  // namespace kneechat

// A passage: the unit kneechat indexes, retrieves and quotes.
#pragma once

#include <string>

namespace kneechat {

struct Passage {
  std::string document_id;  // manifest id, e.g. "patellofemoral-pain"
  std::string passage_id;   // "<document_id>#<n>", n = 1, 2, ... in order
  std::string title;        // the article's title
  std::string heading;      // the heading it sits under ("" before the first)
  std::string text;         // paragraphs joined by '\n'; bullets as "• item"
};

}  // namespace kneechat

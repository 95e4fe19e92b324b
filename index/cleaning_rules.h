// The corpus cleaning rules, loaded from <corpus>/cleaning/ (each rule with
// the reason it exists) plus the stop-word list used to compare paragraphs:
//   drop_lines.tsv      RE2: a matching line is junk (chrome, ads, promotion)
//   exact_lines.tsv     whole lines that are junk (image captions)
//   strip_spans.tsv     RE2: junk inside a good line; the match is deleted
//   promo_sections.tsv  RE2: a heading that opens a promotional section
//   lost_headings.tsv   RE2 + heading: a heading the scraped page lost
//   <corpus>/retrieval/stopwords.txt
// Immutable once loaded; safe to share between threads (RE2 is).
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"

namespace kneechat {

struct PatternRule {
  std::shared_ptr<const RE2> pattern;
  std::string why;
  std::string source;  // "file:line", for explanations
};

struct ExactRule {
  std::string line;
  std::string why;
  std::string source;
};

struct LostHeadingRule {
  std::shared_ptr<const RE2> pattern;  // matched against a paragraph
  std::string heading;                 // inserted before it
  std::string why;
  std::string source;
};

struct CleaningRules {
  std::vector<PatternRule> drop_lines;
  std::vector<ExactRule> exact_lines;
  std::vector<PatternRule> strip_spans;
  std::vector<PatternRule> promo_sections;
  std::vector<LostHeadingRule> lost_headings;
  std::unordered_set<std::string> stopwords;  // folded (lower-case) words

  // kNotFound naming the missing file; kInvalidArgument naming file:line for
  // a rule without a reason or a pattern RE2 rejects.
  static absl::StatusOr<CleaningRules> Load(const std::string& corpus_dir);
};

}  // namespace kneechat

#include "index/cleaning_rules.h"

#include "absl/strings/str_cat.h"
#include "index/data_files.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

absl::StatusOr<std::shared_ptr<const RE2>> Compile(const std::string& pattern,
                                                   const std::string& source) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": bad RE2 pattern: ", re->error()));
  }
  return re;
}

absl::StatusOr<std::vector<PatternRule>> LoadPatterns(const std::string& path) {
  absl::StatusOr<std::vector<Rule>> rules = ReadRuleFile(path);
  if (!rules.ok()) return rules.status();
  std::vector<PatternRule> patterns;
  for (const Rule& rule : *rules) {
    const std::string source = absl::StrCat(path, ":", rule.line_number);
    absl::StatusOr<std::shared_ptr<const RE2>> re = Compile(rule.rule, source);
    if (!re.ok()) return re.status();
    patterns.push_back({std::move(*re), rule.why, source});
  }
  return patterns;
}

absl::StatusOr<std::vector<LostHeadingRule>> LoadLostHeadings(
    const std::string& path) {
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(path);
  if (!lines.ok()) return lines.status();
  std::vector<LostHeadingRule> rules;
  for (const DataLine& line : *lines) {
    const std::string source = absl::StrCat(path, ":", line.line_number);
    if (line.fields.size() != 3 || line.fields[0].empty() ||
        line.fields[1].empty() || line.fields[2].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": expected \"<pattern> TAB <heading> TAB <why>\""));
    }
    absl::StatusOr<std::shared_ptr<const RE2>> re =
        Compile(line.fields[0], source);
    if (!re.ok()) return re.status();
    rules.push_back({std::move(*re), line.fields[1], line.fields[2], source});
  }
  return rules;
}

}  // namespace

absl::StatusOr<CleaningRules> CleaningRules::Load(
    const std::string& corpus_dir) {
  const std::string dir = corpus_dir + "/cleaning/";
  CleaningRules rules;
  absl::StatusOr<std::vector<PatternRule>> patterns =
      LoadPatterns(dir + "drop_lines.tsv");
  if (!patterns.ok()) return patterns.status();
  rules.drop_lines = std::move(*patterns);
  patterns = LoadPatterns(dir + "strip_spans.tsv");
  if (!patterns.ok()) return patterns.status();
  rules.strip_spans = std::move(*patterns);
  patterns = LoadPatterns(dir + "promo_sections.tsv");
  if (!patterns.ok()) return patterns.status();
  rules.promo_sections = std::move(*patterns);
  absl::StatusOr<std::vector<LostHeadingRule>> lost =
      LoadLostHeadings(dir + "lost_headings.tsv");
  if (!lost.ok()) return lost.status();
  rules.lost_headings = std::move(*lost);

  const std::string exact_path = dir + "exact_lines.tsv";
  absl::StatusOr<std::vector<Rule>> exact = ReadRuleFile(exact_path);
  if (!exact.ok()) return exact.status();
  for (const Rule& rule : *exact) {
    rules.exact_lines.push_back(
        {NormalizeSpaces(rule.rule), rule.why,
         absl::StrCat(exact_path, ":", rule.line_number)});
  }

  absl::StatusOr<std::vector<std::string>> stopwords =
      ReadWordList(corpus_dir + "/retrieval/stopwords.txt");
  if (!stopwords.ok()) return stopwords.status();
  for (const std::string& word : *stopwords) {
    rules.stopwords.insert(FoldForMatching(word));
  }
  return rules;
}

}  // namespace kneechat

#include "index/cleaner.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "index/near_duplicates.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

constexpr int kMaxHeadingWords = 12;
constexpr int kMaxTitleCaseHeadingWords = 25;

// A line of the article after the line-level rules.
struct KeptLine {
  int line_number;
  int block_number;  // lines with the same number had no blank line between
  std::string text;
  bool bullet;
  bool heading;
};

bool StartsWithUpper(std::string_view word) {
  if (word.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(word[0]);
  return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '(' ||
         c >= 0x80;
}

bool IsTitleCase(std::string_view line) {
  std::vector<absl::string_view> words = absl::StrSplit(
      absl::string_view(line.data(), line.size()), ' ', absl::SkipEmpty());
  if (words.empty() ||
      !StartsWithUpper(std::string_view(words[0].data(), words[0].size())))
    return false;
  int long_words = 0;
  int capitalised = 0;
  for (absl::string_view word : words) {
    if (word.size() < 4) continue;  // "to", "the", "of", "and" ...
    ++long_words;
    if (StartsWithUpper(std::string_view(word.data(), word.size())))
      ++capitalised;
  }
  return long_words > 0 && capitalised * 10 >= long_words * 6;
}

// Removes a leading bullet mark ("• ", "* ", "- "); true if there was one.
bool StripBullet(std::string* line) {
  static const RE2* const kBullet = new RE2(R"(^(?:•|\*|-|▪|◦)\s+)");
  return RE2::Replace(line, *kBullet, "");
}

// Deletes what the strip rules match; each deletion is reported to `removed`.
std::string StripSpans(
    const std::string& line, const std::vector<PatternRule>& rules,
    const std::function<void(std::string, const PatternRule&)>& removed) {
  std::string text = line;
  for (const PatternRule& rule : rules) {
    const RE2& re = *rule.pattern;
    const int groups = re.NumberOfCapturingGroups();
    re2::StringPiece match[2];
    std::string out;
    size_t pos = 0;
    size_t copied = 0;
    while (pos <= text.size() &&
           re.Match(text, pos, text.size(), RE2::UNANCHORED, match,
                    groups > 0 ? 2 : 1)) {
      const re2::StringPiece whole = match[0];
      const re2::StringPiece cut = groups > 0 ? match[1] : match[0];
      const size_t cut_begin = cut.data() - text.data();
      const size_t whole_end = whole.data() - text.data() + whole.size();
      if (cut.data() != nullptr && !cut.empty()) {
        out.append(text, copied, cut_begin - copied);
        copied = cut_begin + cut.size();
        removed(std::string(cut.data(), cut.size()), rule);
      }
      pos = whole.empty() ? whole_end + 1 : whole_end;
    }
    out.append(text, copied, std::string::npos);
    text = NormalizeSpaces(out);
  }
  return text;
}

}  // namespace

bool LooksLikeHeading(std::string_view line) {
  if (line.empty() || !StartsWithUpper(line)) return false;
  const int words = CountWords(line);
  if (words == 0) return false;
  if (line.find(". ") != std::string_view::npos) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == '!') return false;
  if (last == '?') return words <= kMaxHeadingWords;
  if (last == ':') return words <= kMaxHeadingWords && IsTitleCase(line);
  return words <= kMaxHeadingWords ||
         (words <= kMaxTitleCaseHeadingWords && IsTitleCase(line));
}

namespace {

using Note =
    std::function<void(int line_number, std::string text,
                       const std::string& why, const std::string& rule)>;

template <typename Rule>
const Rule* FirstMatch(const std::vector<Rule>& rules,
                       const std::string& line) {
  for (const Rule& rule : rules) {
    if (RE2::PartialMatch(line, *rule.pattern)) return &rule;
  }
  return nullptr;
}

// Step 1, line by line: promotional sections, junk lines, junk spans.
std::vector<KeptLine> ApplyLineRules(std::string_view raw,
                                     const CleaningRules& rules,
                                     const Note& note) {
  std::vector<KeptLine> kept;
  const PatternRule* promo_section = nullptr;  // the rule that opened it
  int block_number = 0;
  int line_number = 0;
  bool previous_blank = true;
  for (absl::string_view raw_line :
       absl::StrSplit(absl::string_view(raw.data(), raw.size()), '\n')) {
    ++line_number;
    std::string line =
        NormalizeSpaces(std::string_view(raw_line.data(), raw_line.size()));
    if (line.empty()) {
      previous_blank = true;
      continue;
    }
    if (previous_blank) ++block_number;
    previous_blank = false;

    if (const PatternRule* rule = FirstMatch(rules.promo_sections, line)) {
      promo_section = rule;
      note(line_number, line, rule->why, rule->source);
      continue;
    }
    auto exact =
        std::find_if(rules.exact_lines.begin(), rules.exact_lines.end(),
                     [&](const ExactRule& rule) { return rule.line == line; });
    if (exact != rules.exact_lines.end()) {
      note(line_number, line, exact->why, exact->source);
      continue;
    }
    if (const PatternRule* rule = FirstMatch(rules.drop_lines, line)) {
      note(line_number, line, rule->why, rule->source);
      continue;
    }

    std::string text =
        StripSpans(line, rules.strip_spans,
                   [&](std::string piece, const PatternRule& rule) {
                     note(line_number, std::move(piece), rule.why, rule.source);
                   });
    const bool bullet = StripBullet(&text);
    if (text.empty()) continue;
    const bool heading = LooksLikeHeading(text);
    if (promo_section != nullptr) {
      if (!heading || bullet) {
        note(line_number, text, promo_section->why, promo_section->source);
        continue;
      }
      promo_section = nullptr;  // a clean heading ends the section
    }
    kept.push_back(
        {line_number, block_number, std::move(text), bullet, heading});
  }
  return kept;
}

// Step 2, blocks: bullets stand alone; the other lines of one block are
// joined, and form a heading when every one of them looks like a heading.
// Lost headings are put back before the paragraph they belong to.
std::vector<TextBlock> AssembleBlocks(const std::vector<KeptLine>& kept,
                                      const CleaningRules& rules,
                                      const Note& note) {
  std::vector<TextBlock> blocks;
  for (size_t i = 0; i < kept.size();) {
    const KeptLine& first = kept[i];
    if (first.bullet) {
      // A Title-Case bullet is a heading dressed as a list item.
      const bool heading = first.heading && IsTitleCase(first.text);
      blocks.push_back(
          {heading ? TextBlock::Kind::kHeading : TextBlock::Kind::kBullet,
           first.text, first.line_number});
      ++i;
      continue;
    }
    std::vector<std::string> texts;
    bool all_headings = true;
    size_t j = i;
    for (; j < kept.size() && !kept[j].bullet &&
           kept[j].block_number == first.block_number;
         ++j) {
      texts.push_back(kept[j].text);
      all_headings = all_headings && kept[j].heading;
    }
    i = j;
    std::string text = absl::StrJoin(texts, " ");
    if (all_headings) {
      if (absl::EndsWith(text, ":")) text.pop_back();
      blocks.push_back(
          {TextBlock::Kind::kHeading, std::move(text), first.line_number});
      continue;
    }
    if (const LostHeadingRule* rule = FirstMatch(rules.lost_headings, text)) {
      blocks.push_back(
          {TextBlock::Kind::kHeading, rule->heading, first.line_number});
      note(first.line_number, rule->heading,
           absl::StrCat("heading put back: ", rule->why), rule->source);
    }
    blocks.push_back(
        {TextBlock::Kind::kParagraph, std::move(text), first.line_number});
  }
  return blocks;
}

// Step 3, repeated drafts: sentences repeated inside a paragraph, then
// paragraphs repeating an earlier one.
std::vector<TextBlock> DropRepeats(std::vector<TextBlock> blocks,
                                   const CleaningRules& rules,
                                   const Note& note) {
  NearDuplicateFinder finder(rules.stopwords);
  std::vector<std::set<std::string>> earlier;
  std::vector<TextBlock> kept;
  for (TextBlock& block : blocks) {
    if (block.kind == TextBlock::Kind::kHeading) {
      kept.push_back(std::move(block));
      continue;
    }
    std::vector<std::string> removed;
    block.text = finder.RemoveRepeatedSentences(block.text, &removed);
    for (std::string& sentence : removed) {
      note(block.line_number, std::move(sentence),
           "repeats an earlier sentence of the same paragraph",
           "near-duplicate sentence");
    }
    std::set<std::string> words = finder.ContentWords(block.text);
    size_t which = 0;
    if (finder.RepeatsEarlier(words, earlier, &which)) {
      note(block.line_number, block.text,
           absl::StrCat("repeats an earlier paragraph (", which + 1,
                        ". paragraph)"),
           "near-duplicate paragraph");
      continue;
    }
    earlier.push_back(std::move(words));
    kept.push_back(std::move(block));
  }
  return kept;
}

}  // namespace

CleanedArticle CleanArticle(std::string_view raw, const CleaningRules& rules) {
  CleanedArticle result;
  const Note note = [&](int line_number, std::string text,
                        const std::string& why, const std::string& rule) {
    result.dropped.push_back({line_number, std::move(text), why, rule});
  };
  std::vector<KeptLine> lines = ApplyLineRules(raw, rules, note);
  std::vector<TextBlock> blocks = AssembleBlocks(lines, rules, note);
  result.blocks = DropRepeats(std::move(blocks), rules, note);
  return result;
}

}  // namespace kneechat

#include "services/retrieval/lexicon.h"

#include <xapian.h>

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "index/index_format.h"
#include "services/text/text_normalize.h"

namespace kneechat {

std::string PhraseKey(const std::vector<std::string>& stems) {
  return absl::StrJoin(stems, " ");
}

absl::StatusOr<Lexicon> Lexicon::Load(const std::string& path) {
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(path);
  if (!lines.ok()) return lines.status();
  return Build(*lines, path);
}

absl::StatusOr<Lexicon> Lexicon::FromLines(
    const std::vector<std::string>& lines) {
  std::vector<DataLine> data;
  for (size_t i = 0; i < lines.size(); ++i) {
    DataLine line;
    line.line_number = static_cast<int>(i + 1);
    line.fields = absl::StrSplit(lines[i], '\t');
    data.push_back(std::move(line));
  }
  return Build(data, "<lexicon>");
}

absl::StatusOr<Lexicon> Lexicon::Build(const std::vector<DataLine>& lines,
                                       const std::string& source) {
  Lexicon lexicon;
  std::set<std::string> concepts;
  Xapian::Stem stem(index_format::kStemmerLanguage);
  for (const DataLine& line : lines) {
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line.line_number, ": ", what));
    };
    LexiconGroup group;
    group.concept_id = std::string(absl::StripAsciiWhitespace(line.fields[0]));
    if (group.concept_id.empty()) return error("empty concept id");
    if (!concepts.insert(group.concept_id).second) {
      return error("duplicate concept id");
    }
    for (size_t i = 1; i < line.fields.size(); ++i) {
      absl::string_view text = absl::StripAsciiWhitespace(line.fields[i]);
      if (text.empty()) continue;
      LexiconPhrase phrase;
      if (absl::StartsWith(text, "[") && absl::EndsWith(text, "]")) {
        phrase.search_only = true;
        text = text.substr(1, text.size() - 2);
      }
      for (const std::string& word :
           SplitWords(std::string_view(text.data(), text.size()))) {
        phrase.stems.push_back(stem(word));
      }
      if (phrase.stems.empty()) return error("a phrase has no words");
      group.phrases.push_back(std::move(phrase));
    }
    if (group.phrases.size() < 2) {
      return error("expected a concept id and at least two phrases");
    }
    lexicon.groups_.push_back(std::move(group));
  }
  for (size_t g = 0; g < lexicon.groups_.size(); ++g) {
    for (const LexiconPhrase& phrase : lexicon.groups_[g].phrases) {
      if (phrase.search_only) continue;
      std::vector<size_t>& groups = lexicon.triggers_[PhraseKey(phrase.stems)];
      if (groups.empty() || groups.back() != g) groups.push_back(g);
      lexicon.longest_trigger_ =
          std::max(lexicon.longest_trigger_, phrase.stems.size());
    }
  }
  return lexicon;
}

std::vector<const LexiconGroup*> Lexicon::MatchAt(
    const std::vector<std::string>& stems, size_t start, size_t* length) const {
  *length = 0;
  if (start >= stems.size()) return {};
  const size_t limit = std::min(longest_trigger_, stems.size() - start);
  std::string key;
  for (size_t n = limit; n >= 1; --n) {
    key.clear();
    for (size_t i = start; i < start + n; ++i) {
      if (i > start) key.push_back(' ');
      key.append(stems[i]);
    }
    auto it = triggers_.find(key);
    if (it == triggers_.end()) continue;
    std::vector<const LexiconGroup*> groups;
    for (size_t g : it->second) groups.push_back(&groups_[g]);
    *length = n;
    return groups;
  }
  return {};
}

}  // namespace kneechat

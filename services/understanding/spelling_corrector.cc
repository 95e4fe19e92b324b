#include "services/understanding/spelling_corrector.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "hunspell.hxx"

namespace kneechat::understanding_internal {
namespace {

constexpr size_t kMinLength = 4;
constexpr size_t kCacheLimit = 20000;

bool AllLower(const std::string& w) {
  for (char c : w) {
    if (!absl::ascii_islower(c)) return false;
  }
  return true;
}

// Whether every letter of `part` appears in `whole`, in order.
bool IsSubsequence(const std::string& part, const std::string& whole) {
  size_t i = 0;
  for (char c : whole) {
    if (i < part.size() && part[i] == c) ++i;
  }
  return i == part.size();
}

// Levenshtein distance, for the sanity bound on a suggestion.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

SpellingCorrector::SpellingCorrector() = default;
SpellingCorrector::~SpellingCorrector() = default;

absl::StatusOr<std::unique_ptr<SpellingCorrector>> SpellingCorrector::Create(
    const std::string& general_aff, const std::string& general_dic,
    const std::string& domain_aff, const std::string& domain_dic,
    const std::set<std::string>& vocabulary) {
  for (const std::string& path :
       {general_aff, general_dic, domain_aff, domain_dic}) {
    if (!std::filesystem::exists(path)) {
      return absl::NotFoundError(
          absl::StrCat(path, ": spelling dictionary missing"));
    }
  }
  std::unique_ptr<SpellingCorrector> out(new SpellingCorrector());
  out->general_ =
      std::make_unique<Hunspell>(general_aff.c_str(), general_dic.c_str());
  out->domain_ =
      std::make_unique<Hunspell>(domain_aff.c_str(), domain_dic.c_str());
  for (const std::string& w : vocabulary) {
    out->vocabulary_.insert(w);
    out->domain_->add(w);
  }
  // The words domain.dic lists are vocabulary too (its first line is the
  // count Hunspell expects; a "/" starts affix flags).
  std::ifstream dic(domain_dic);
  std::string line;
  std::getline(dic, line);
  while (std::getline(dic, line)) {
    const std::string word = line.substr(0, line.find('/'));
    if (!word.empty()) out->vocabulary_.insert(word);
  }
  return out;
}

std::optional<std::string> SpellingCorrector::Correct(
    const std::string& word) const {
  if (word.size() < kMinLength || !AllLower(word) ||
      vocabulary_.contains(word)) {
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = cache_.find(word); it != cache_.end()) return it->second;
  std::optional<std::string> result;
  if (!general_->spell(word) && !domain_->spell(word)) {
    // A dropped g ("shakin", "splittin", "chatterin"): the -ing word, when
    // that is a word and the short form is not.
    if (word.size() >= 5 && word.compare(word.size() - 2, 2, "in") == 0) {
      const std::string with_g = word + "g";
      if (vocabulary_.contains(with_g) || general_->spell(with_g)) {
        result = with_g;
      }
    }
  }
  if (!result.has_value() && !general_->spell(word) && !domain_->spell(word)) {
    // The nearest domain word Hunspell suggests, same first letter, at most
    // two edits away; of equally near ones, one that holds every letter of
    // the word in order (letters left out, the commonest slip in chat:
    // "wose" is "worse", not "wise"), then Hunspell's first. So a word added
    // to the vocabulary for another pattern does not take a misspelling
    // over.
    constexpr size_t kMaxEdits = 2;
    size_t best = SIZE_MAX;  // 2 * edits, plus 1 if letters were changed
    for (const std::string& s : domain_->suggest(word)) {
      if (s.empty() || s[0] != word[0] || !vocabulary_.contains(s)) continue;
      const size_t d = Distance(s, word);
      if (d > kMaxEdits) continue;
      const size_t rank = 2 * d + (IsSubsequence(word, s) ? 0 : 1);
      if (rank < best) {
        best = rank;
        result = s;
      }
    }
  }
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_.emplace(word, result);
  return result;
}

void CollectPatternWords(const std::string& pattern,
                         std::set<std::string>* words) {
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\\') {  // an escape such as \b or \w is not part of a word
      i += 2;
      continue;
    }
    if (!absl::ascii_islower(c)) {
      ++i;
      continue;
    }
    const size_t begin = i;
    while (i < pattern.size() && absl::ascii_islower(pattern[i])) ++i;
    const std::string word = pattern.substr(begin, i - begin);
    // A stem continued by a class or an optional letter is not a word.
    const bool continued =
        i < pattern.size() &&
        (pattern[i] == '\\' || pattern[i] == '[' || pattern[i] == '?' ||
         pattern[i] == '*' || pattern[i] == '+' || pattern[i] == '(');
    const bool preceded =
        begin > 0 && (pattern[begin - 1] == ')' || pattern[begin - 1] == ']');
    if (!continued && !preceded && word.size() >= kMinLength) {
      words->insert(word);
    }
  }
}

}  // namespace kneechat::understanding_internal

#include "index/near_duplicates.h"

#include <xapian.h>

#include "absl/strings/ascii.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && absl::ascii_isspace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

NearDuplicateFinder::NearDuplicateFinder(
    const std::unordered_set<std::string>& stopwords)
    : stopwords_(stopwords) {}

std::set<std::string> NearDuplicateFinder::ContentWords(
    std::string_view text) const {
  Xapian::Stem stem("en");
  std::set<std::string> words;
  for (const std::string& word : SplitWords(text)) {
    if (stopwords_.count(word) != 0) continue;
    words.insert(stem(word));
  }
  return words;
}

double NearDuplicateFinder::Containment(const std::set<std::string>& text,
                                        const std::set<std::string>& earlier) {
  if (text.empty()) return 0;
  size_t shared = 0;
  for (const std::string& word : text) shared += earlier.count(word);
  return static_cast<double>(shared) / static_cast<double>(text.size());
}

std::string NearDuplicateFinder::RemoveRepeatedSentences(
    std::string_view paragraph, std::vector<std::string>* removed) const {
  std::vector<std::set<std::string>> kept_words;
  std::string out;
  for (std::string_view sentence : SplitSentences(paragraph)) {
    std::set<std::string> words = ContentWords(sentence);
    bool repeated = false;
    if (words.size() >= kSentenceMinWords) {
      for (const std::set<std::string>& earlier : kept_words) {
        if (Containment(words, earlier) >= kSentenceContainment) {
          repeated = true;
          break;
        }
      }
    }
    if (repeated) {
      if (removed != nullptr) {
        removed->emplace_back(TrimRight(sentence));
      }
      continue;
    }
    out.append(sentence);
    kept_words.push_back(std::move(words));
  }
  return std::string(TrimRight(out));
}

bool NearDuplicateFinder::RepeatsEarlier(
    const std::set<std::string>& paragraph,
    const std::vector<std::set<std::string>>& earlier, size_t* which) const {
  if (paragraph.size() < kParagraphMinWords) return false;
  for (size_t i = 0; i < earlier.size(); ++i) {
    if (Containment(paragraph, earlier[i]) >= kParagraphContainment) {
      if (which != nullptr) *which = i;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> SplitSentences(std::string_view text) {
  std::vector<std::string_view> sentences;
  size_t start = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    size_t next = i + 1;
    while (next < text.size() && text[next] == ' ') ++next;
    if (next == i + 1 || next >= text.size()) continue;
    const unsigned char n = static_cast<unsigned char>(text[next]);
    const bool opens_sentence = absl::ascii_isupper(n) ||
                                absl::ascii_isdigit(n) || n == '"' ||
                                n == 0xE2;  // “ and other typographic quotes
    if (!opens_sentence) continue;
    sentences.push_back(text.substr(start, next - start));
    start = next;
  }
  if (start < text.size()) sentences.push_back(text.substr(start));
  return sentences;
}

}  // namespace kneechat

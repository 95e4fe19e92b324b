// Detection of repeated text in a scraped article. Some pages carry two
// drafts of the same paragraph, or of the same sentences inside a paragraph,
// with small wording changes. Two texts are compared by their content words
// (stemmed, stop words left out): a text repeats another when most of its
// content words already occur there.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kneechat {

class NearDuplicateFinder {
 public:
  // A paragraph repeats an earlier one when at least this share of its
  // content words occur in that paragraph ...
  static constexpr double kParagraphContainment = 0.65;
  // ... and it has at least this many distinct content words (short
  // paragraphs share words by chance).
  static constexpr size_t kParagraphMinWords = 12;
  // Same for a sentence against an earlier sentence of its own paragraph.
  static constexpr double kSentenceContainment = 0.55;
  static constexpr size_t kSentenceMinWords = 8;

  // `stopwords` (folded words) must outlive this object.
  explicit NearDuplicateFinder(
      const std::unordered_set<std::string>& stopwords);

  // The distinct stemmed content words of `text`.
  std::set<std::string> ContentWords(std::string_view text) const;

  // Share of `text`'s content words that occur in `earlier` (0 if none).
  static double Containment(const std::set<std::string>& text,
                            const std::set<std::string>& earlier);

  // `paragraph` without the sentences that repeat an earlier sentence of the
  // same paragraph; the removed sentences are appended to `removed`.
  std::string RemoveRepeatedSentences(std::string_view paragraph,
                                      std::vector<std::string>* removed) const;

  // Whether `paragraph` repeats one of `earlier` (content-word sets); on
  // true, `*which` is the index of the first such paragraph.
  bool RepeatsEarlier(const std::set<std::string>& paragraph,
                      const std::vector<std::set<std::string>>& earlier,
                      size_t* which) const;

 private:
  const std::unordered_set<std::string>& stopwords_;
};

// Splits `text` into sentences at ". ", "! " or "? " followed by an upper-case
// letter, digit or opening quote. Each sentence keeps its trailing spaces so
// that joining them gives `text` back.
std::vector<std::string_view> SplitSentences(std::string_view text);

}  // namespace kneechat

#include "services/understanding/crisis_scorer.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/text/text_normalize.h"

namespace kneechat::understanding_internal {
namespace {

// The message's words, lower case, apostrophes (any kind, as text_normalize
// defines them) dropped: views into `letters`, which holds them end to end.
std::vector<absl::string_view> Words(std::string_view message,
                                     std::string* letters) {
  letters->clear();
  letters->reserve(message.size());  // views stay valid: no reallocation
  std::vector<absl::string_view> words;
  size_t start = 0;
  auto end_word = [&] {
    if (letters->size() > start) {
      words.emplace_back(letters->data() + start, letters->size() - start);
    }
    start = letters->size();
  };
  for (size_t i = 0; i < message.size(); ++i) {
    size_t apostrophe = 0;
    if (ApostropheAt(message, i, &apostrophe)) {
      i += apostrophe - 1;
      continue;
    }
    const char lower = absl::ascii_tolower(message[i]);
    if (lower >= 'a' && lower <= 'z') {
      letters->push_back(lower);
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CrisisScorer>> CrisisScorer::Load(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open knowledge file"));
  }
  auto out = std::unique_ptr<CrisisScorer>(new CrisisScorer());
  bool has_threshold = false;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#' || line.rfind("feature\t", 0) == 0) {
      continue;
    }
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    double value = 0;
    if (columns.size() != 2 || columns[0].empty() ||
        !absl::SimpleAtod(columns[1], &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected feature <TAB> weight"));
    }
    if (columns[0] == "threshold") {
      out->threshold_ = value;
      has_threshold = true;
    } else {
      out->weights_[columns[0]] = value;
    }
  }
  if (!has_threshold) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no threshold"));
  }
  out->IndexWeights();
  return out;
}

int CrisisScorer::WordId(const std::string& word) {
  auto [it, added] = word_ids_.emplace(word, word_weights_.size());
  if (added) word_weights_.push_back(nullptr);
  return it->second;
}

void CrisisScorer::IndexWeights() {
  for (const auto& [feature, weight] : weights_) {
    const size_t underscore = feature.find('_');
    if (underscore == std::string::npos) {
      word_weights_[WordId(feature)] = &weight;
    } else if (underscore > 0 && underscore + 1 < feature.size() &&
               feature.find('_', underscore + 1) == std::string::npos) {
      const int first = WordId(feature.substr(0, underscore));
      const int second = WordId(feature.substr(underscore + 1));
      pair_weights_[PairKey(first, second)] = &weight;
    }
    // Anything else names no word or pair of words and never counts.
  }
}

double CrisisScorer::Score(std::string_view message) const {
  std::string letters;
  const std::vector<absl::string_view> words = Words(message, &letters);
  const size_t n = words.size();
  // The weight of each word and of each pair starting at it, looked up once
  // (nullptr: no weight). Each feature has one weight entry, so a window
  // counts each distinct feature once by its entry.
  struct Weights {
    int id = -1;
    const double* word = nullptr;
    const double* pair = nullptr;
  };
  std::vector<Weights> at(n);
  for (size_t i = 0; i < n; ++i) {
    if (auto it = word_ids_.find(words[i]); it != word_ids_.end()) {
      at[i].id = it->second;
      at[i].word = word_weights_[it->second];
    }
  }
  for (size_t i = 0; i + 1 < n; ++i) {
    if (at[i].id < 0 || at[i + 1].id < 0) continue;
    auto it = pair_weights_.find(PairKey(at[i].id, at[i + 1].id));
    if (it != pair_weights_.end()) at[i].pair = it->second;
  }
  std::vector<const double*> counted;
  auto window = [&](size_t begin, size_t end) {
    counted.clear();
    double score = 0;
    auto add = [&](const double* weight) {
      if (weight == nullptr ||
          std::find(counted.begin(), counted.end(), weight) != counted.end()) {
        return;
      }
      counted.push_back(weight);
      score += *weight;
    };
    for (size_t i = begin; i < end; ++i) add(at[i].word);
    for (size_t i = begin; i + 1 < end; ++i) add(at[i].pair);
    return score;
  };
  if (n <= kWindow) return window(0, n);
  double best = 0;
  bool first = true;
  for (size_t i = 0; i + kWindow <= n; i += kStep) {
    const double s = window(i, i + kWindow);
    if (first || s > best) best = s;
    first = false;
  }
  // The last window ends at the last word, so a message's tail is read too
  // ("... anyway, that's the knee. I don't see the point any more").
  if ((n - kWindow) % kStep != 0) best = std::max(best, window(n - kWindow, n));
  return best;
}

bool CrisisScorer::Flags(std::string_view message) const {
  return Score(message) > threshold_;
}

}  // namespace kneechat::understanding_internal

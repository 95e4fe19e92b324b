#include "services/understanding/crisis_scorer.h"

#include <fstream>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/text/text_normalize.h"

namespace kneechat::understanding_internal {
namespace {

std::vector<std::string> Words(std::string_view message) {
  std::vector<std::string> words;
  std::string current;
  for (size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    size_t apostrophe = 0;  // any kind, as text_normalize defines it
    if (ApostropheAt(message, i, &apostrophe)) {
      i += apostrophe - 1;
      continue;
    }
    const char lower = absl::ascii_tolower(c);
    if (lower >= 'a' && lower <= 'z') {
      current.push_back(lower);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
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
  return out;
}

double CrisisScorer::ScoreWords(const std::vector<std::string>& words,
                                size_t begin, size_t end) const {
  absl::flat_hash_set<std::string> features(words.begin() + begin,
                                            words.begin() + end);
  for (size_t i = begin; i + 1 < end; ++i) {
    features.insert(absl::StrCat(words[i], "_", words[i + 1]));
  }
  double score = 0;
  for (const std::string& f : features) {
    if (auto it = weights_.find(f); it != weights_.end()) score += it->second;
  }
  return score;
}

double CrisisScorer::Score(std::string_view message) const {
  const std::vector<std::string> words = Words(message);
  if (words.size() <= kWindow) return ScoreWords(words, 0, words.size());
  double best = 0;
  bool first = true;
  for (size_t i = 0; i + kWindow <= words.size(); i += kStep) {
    const double s = ScoreWords(words, i, i + kWindow);
    if (first || s > best) best = s;
    first = false;
  }
  return best;
}

bool CrisisScorer::Flags(std::string_view message) const {
  return Score(message) > threshold_;
}

}  // namespace kneechat::understanding_internal

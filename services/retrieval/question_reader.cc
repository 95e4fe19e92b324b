#include "services/retrieval/question_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "index/data_files.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

struct TypeName {
  uint32_t bit;
  const char* name;
};
constexpr TypeName kTypes[] = {
    {kHowTo, "how_to"},          {kShould, "should"},
    {kWhatIs, "what_is"},        {kWhy, "why"},
    {kDoesHelp, "does_help"},    {kHowLong, "how_long"},
    {kPrevention, "prevention"}, {kSeeSomeone, "see_someone"},
    {kWorsening, "worsening"},   {kHowOften, "how_often"},
};

uint32_t TypeBit(std::string_view name) {
  for (const TypeName& t : kTypes) {
    if (name == t.name) return t.bit;
  }
  return 0;
}

}  // namespace

std::string_view QuestionTypeName(uint32_t type_bit) {
  for (const TypeName& t : kTypes) {
    if (type_bit == t.bit) return t.name;
  }
  return "";
}

absl::StatusOr<std::unique_ptr<QuestionReader>> QuestionReader::Load(
    const std::string& path) {
  absl::StatusOr<std::vector<DataLine>> lines = ReadDataLines(path);
  if (!lines.ok()) return lines.status();
  std::vector<std::vector<std::string>> rows;
  std::vector<int> numbers;
  for (DataLine& line : *lines) {
    rows.push_back(std::move(line.fields));
    numbers.push_back(line.line_number);
  }
  return Parse(rows, numbers, path);
}

absl::StatusOr<std::unique_ptr<QuestionReader>> QuestionReader::FromLines(
    const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> numbers;
  for (size_t i = 0; i < lines.size(); ++i) {
    rows.push_back(absl::StrSplit(lines[i], '\t'));
    numbers.push_back(static_cast<int>(i) + 1);
  }
  return Parse(rows, numbers, "<lines>");
}

absl::StatusOr<std::unique_ptr<QuestionReader>> QuestionReader::Parse(
    const std::vector<std::vector<std::string>>& rows,
    const std::vector<int>& line_numbers, const std::string& where) {
  std::unique_ptr<QuestionReader> reader(new QuestionReader());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::vector<std::string>& f = rows[i];
    const std::string at = absl::StrCat(where, ":", line_numbers[i]);
    if (f.size() < 3) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, ": expected kind, name and pattern"));
    }
    const std::string& kind = f[0];
    if (kind == "kind") continue;  // the header line
    if (kind == "incidental") {
      reader->incidental_.insert(FoldForMatching(f[2]));
      continue;
    }
    if (kind == "followup") {
      reader->short_forms_[FoldForMatching(f[1])] = FoldForMatching(f[2]);
      continue;
    }
    Pattern p;
    p.name = f[1];
    p.re = std::make_unique<RE2>(f[2], PatternOptions());
    if (!p.re->ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, ": bad pattern: ", p.re->error()));
    }
    if (kind == "question" || kind == "answer" || kind == "focus") {
      p.type = TypeBit(f[1]);
      if (p.type == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(at, ": unknown question type '", f[1], "'"));
      }
      (kind == "question" ? reader->question_
       : kind == "answer" ? reader->answer_
                          : reader->focus_)
          .push_back(std::move(p));
    } else if (kind == "decision") {
      reader->decision_.push_back(std::move(p));
    } else if (kind == "refer") {
      reader->refer_.push_back(std::move(p));
    } else if (kind == "frame") {
      reader->frame_.push_back(std::move(p));
    } else if (kind == "announce") {
      reader->announce_.push_back(std::move(p));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(at, ": unknown kind '", kind, "'"));
    }
  }
  reader->question_set_ = SetOf(reader->question_);
  reader->focus_set_ = SetOf(reader->focus_);
  reader->decision_set_ = SetOf(reader->decision_);
  reader->refer_set_ = SetOf(reader->refer_);
  return reader;
}

RE2::Options QuestionReader::PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

PatternSet QuestionReader::SetOf(const std::vector<Pattern>& patterns) {
  std::vector<const RE2*> res;
  res.reserve(patterns.size());
  for (const Pattern& p : patterns) res.push_back(p.re.get());
  return PatternSet(std::move(res), PatternOptions());
}

QuestionReading QuestionReader::Read(std::string_view question) const {
  QuestionReading out;
  std::vector<std::string> words;
  for (std::string& w : SplitWords(question)) {
    auto it = short_forms_.find(w);
    words.push_back(it == short_forms_.end() ? std::move(w) : it->second);
  }
  out.text = absl::StrJoin(words, " ");
  // The question mark is kept: some question patterns look for it.
  if (question.find('?') != std::string_view::npos) out.text += " ?";
  for (int i : question_set_.Occurring(out.text)) {
    out.types |= question_[i].type;
  }
  for (int i : focus_set_.Occurring(out.text)) {
    out.focus |= focus_[i].type;
  }
  out.types |= out.focus;
  out.terms_text = out.text;
  for (const Pattern& p : frame_) {
    RE2::GlobalReplace(&out.terms_text, *p.re, " ");
  }
  const std::vector<int> decisions = decision_set_.Occurring(out.text);
  if (!decisions.empty()) out.decision = decision_[decisions.front()].name;
  for (int i : refer_set_.Occurring(out.text)) {
    if (refer_[i].name == out.decision) out.refer = true;
  }
  return out;
}

uint32_t QuestionReader::AnswerShapes(std::string_view sentence) const {
  const std::string folded = FoldForMatching(sentence);
  uint32_t shapes = 0;
  for (const Pattern& p : answer_) {
    if ((shapes & p.type) == 0 && RE2::PartialMatch(folded, *p.re)) {
      shapes |= p.type;
    }
  }
  return shapes;
}

bool QuestionReader::Announces(std::string_view sentence) const {
  const std::string folded = FoldForMatching(sentence);
  for (const Pattern& p : announce_) {
    if (RE2::PartialMatch(folded, *p.re)) return true;
  }
  return false;
}

}  // namespace kneechat

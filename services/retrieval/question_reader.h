// Reads what kind of answer a follow-up question wants, from the curated
// patterns of corpus/retrieval/questions.tsv: its types (how to, should I,
// what is, why, does X help, how long, prevention, when to see someone,
// worsening) and which of them is its point ("how long", "who"), whether it
// asks for a decision a professional makes with the person (medicines, imaging,
// surgery) or something only they can answer (doses, interactions), which of
// its words are incidental, and which short forms people type in questions
// stand for which words. The same file says which article sentences have the
// shape of an answer to each type, and which announce the sentence after them.
//
// Immutable after Load; const methods are thread-safe (RE2 is).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "services/common/pattern_set.h"

namespace kneechat {

// Question types, as bits of a mask.
enum QuestionType : uint32_t {
  kHowTo = 1u << 0,
  kShould = 1u << 1,
  kWhatIs = 1u << 2,
  kWhy = 1u << 3,
  kDoesHelp = 1u << 4,
  kHowLong = 1u << 5,
  kPrevention = 1u << 6,
  kSeeSomeone = 1u << 7,
  kWorsening = 1u << 8,  // asks about worse or new symptoms
  kHowOften = 1u << 9,   // how many times, how often (counts, not durations)
};

// The type's name in questions.tsv ("how_to"), or "" for a bit with none.
std::string_view QuestionTypeName(uint32_t type_bit);

struct QuestionReading {
  std::string text;        // lower-cased, short forms expanded
  std::string terms_text;  // `text` without its frame ("how long", "is it ok")
  uint32_t types = 0;      // QuestionType bits
  uint32_t focus = 0;      // those of `types` that are its point ("who")
  std::string decision;    // "medicine", "imaging", "surgery" or ""
  bool refer = false;      // only a professional who knows the person can say
};

class QuestionReader {
 public:
  // Loads a file in the questions.tsv format. kNotFound if missing;
  // kInvalidArgument naming file:line for an unknown kind or type, a line
  // without three fields, or a pattern RE2 cannot compile.
  static absl::StatusOr<std::unique_ptr<QuestionReader>> Load(
      const std::string& path);

  // Builds one from in-memory lines of the same format (for tests).
  static absl::StatusOr<std::unique_ptr<QuestionReader>> FromLines(
      const std::vector<std::string>& lines);

  QuestionReader(const QuestionReader&) = delete;
  QuestionReader& operator=(const QuestionReader&) = delete;

  // Reads a question (valid UTF-8).
  QuestionReading Read(std::string_view question) const;

  // QuestionType bits whose answer shape `sentence` has.
  uint32_t AnswerShapes(std::string_view sentence) const;

  // Whether an article sentence announces what the next one gives ("There
  // are several easy exercises."), so the two are quoted together.
  bool Announces(std::string_view sentence) const;

  // Whether a folded word says little about what is asked ("left", "really").
  bool IsIncidental(const std::string& folded_word) const {
    return incidental_.count(folded_word) != 0;
  }

 private:
  struct Pattern {
    uint32_t type = 0;  // for question and answer rows
    std::string name;   // for decision and refer rows
    std::unique_ptr<RE2> re;
  };
  QuestionReader() = default;
  // The RE2 options of every pattern.
  static RE2::Options PatternOptions();
  // The patterns as one set, in order.
  static PatternSet SetOf(const std::vector<Pattern>& patterns);
  static absl::StatusOr<std::unique_ptr<QuestionReader>> Parse(
      const std::vector<std::vector<std::string>>& rows,
      const std::vector<int>& line_numbers, const std::string& where);

  std::vector<Pattern> question_;
  std::vector<Pattern> answer_;
  std::vector<Pattern> decision_;
  std::vector<Pattern> refer_;
  std::vector<Pattern> frame_;
  std::vector<Pattern> focus_;
  std::vector<Pattern> announce_;
  // SetOf() the patterns read per question.
  PatternSet question_set_;
  PatternSet focus_set_;
  PatternSet decision_set_;
  PatternSet refer_set_;
  std::unordered_set<std::string> incidental_;
  std::unordered_map<std::string, std::string> short_forms_;
};

}  // namespace kneechat

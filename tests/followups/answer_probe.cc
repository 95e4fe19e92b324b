// Developer tool for tuning follow-up answers: reads one question per line
// from stdin, optionally followed by " || <condition id>", and prints how
// kneechat reads it (types, decision), the verdict and the best-scoring
// article sentences with their scores. Not built by default:
//   cmake --build <build> --target kneechat_answer_probe
#include <iostream>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/paths.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/retrieval/answer_finder.h"
#include "services/retrieval/searcher.h"

int main() {
  using namespace kneechat;
  const DataPaths paths = DefaultDataPaths();
  auto searcher = Searcher::Open(paths.index_dir, paths.corpus_dir);
  auto knowledge = DialogueKnowledge::Load(paths.corpus_dir);
  if (!searcher.ok() || !knowledge.ok()) {
    std::cerr << searcher.status() << " " << knowledge.status() << "\n";
    return 1;
  }
  const char* kVerdicts[] = {"ANSWERED", "NOT_COVERED", "UNRELATED",
                             "PROFESSIONAL"};
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::string> parts = absl::StrSplit(line, " || ");
    AnswerContext context;
    if (parts.size() > 1) {
      const ConditionSpec* c = (*knowledge)
                                   ->FindCondition(std::string(
                                       absl::StripAsciiWhitespace(parts[1])));
      if (c != nullptr) {
        context.documents.assign(c->documents().begin(), c->documents().end());
        context.about = c->about_query();
      }
    }
    std::vector<QuotedSentences> considered;
    const FoundAnswer found =
        (*searcher)->answers().Find(parts[0], context, &considered);
    std::string types;
    for (uint32_t bit = 1; bit <= kHowOften; bit <<= 1) {
      if (found.reading.types & bit) {
        types += std::string(QuestionTypeName(bit)) +
                 (found.reading.focus & bit ? "(focus) " : " ");
      }
    }
    std::cout << "Q: " << parts[0] << "\n   read as: " << found.reading.text
              << "\n   types: " << types
              << " decision: " << found.reading.decision
              << (found.reading.refer ? " refer" : "")
              << "\n   verdict: " << kVerdicts[static_cast<int>(found.verdict)]
              << " best " << found.best_score << "\n";
    {
      Xapian::Stem stem("en");
      std::cout << "   units:";
      for (const QueryUnit& u :
           (*searcher)->analyzer().Analyze(found.reading.terms_text, stem)) {
        std::cout << " [";
        for (const auto& a : u.alternatives) {
          for (const auto& w : a) std::cout << w << "_";
          std::cout << "|";
        }
        std::cout << (u.generic ? " g" : "") << "]";
      }
      std::cout << "\n";
    }
    for (const QuotedSentences& q : found.quotes) {
      std::cout << "   QUOTE " << q.passage.passage_id << " " << q.score << " "
                << q.excerpt << "\n";
    }
    for (const QuotedSentences& q : considered) {
      std::cout << "     " << q.score << " " << q.passage.passage_id << " "
                << q.excerpt.substr(0, 140) << "\n";
    }
  }
  return 0;
}

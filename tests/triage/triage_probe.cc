// Developer tool for rule authors: reads one conversation per line from stdin
// (turns separated by " || "), runs understanding and triage as the
// regression test does, and prints the findings, slots, flags and the next
// deciding question. A turn written "[slot:id,id] text" is understood as the
// answer to a question asking that slot and those finding ids. Built with
// the tree (so it never goes stale against the rules it reads):
//   printf 'my knee is hot and swollen\n' | build/tests/triage/kneechat_triage_probe
#include <iostream>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/paths.h"
#include "services/config/deployment_config.h"
#include "services/triage/merge_findings.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

int main() {
  using namespace kneechat;
  const std::string corpus = DefaultDataPaths().corpus_dir;
  auto extractor = Extractor::Load(corpus);
  auto triage = Triage::Load(corpus, DefaultDeploymentConfig());
  if (!extractor.ok() || !triage.ok()) {
    std::cerr << extractor.status() << " " << triage.status() << "\n";
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    ConversationFacts facts;
    Assessment a;
    for (absl::string_view turn : absl::StrSplit(line, " || ")) {
      UnderstandingContext ctx;
      if (!turn.empty() && turn.front() == '[') {
        const size_t close = turn.find(']');
        if (close != absl::string_view::npos) {
          std::vector<std::string> parts =
              absl::StrSplit(turn.substr(1, close - 1), ':');
          ctx.asking = parts[0];
          if (parts.size() > 1) {
            ctx.asking_findings =
                absl::StrSplit(parts[1], ',', absl::SkipEmpty());
          }
          turn = absl::StripLeadingAsciiWhitespace(turn.substr(close + 1));
        }
      }
      auto u = (*extractor)->Understand(std::string(turn), ctx);
      if (!u.ok()) {
        std::cerr << u.status() << "\n";
        continue;
      }
      MergeUnderstanding(*u, &facts);
      a = (*triage)->Assess(facts.findings, facts.slots);
      std::cout << "> " << turn << "\n   intents:";
      for (const auto& i : u->intents) std::cout << " " << i;
      std::cout << "\n";
    }
    std::cout << "   findings:";
    for (const auto& f : facts.findings) {
      std::cout << " "
                << (f.polarity == Polarity::kPresent  ? "+"
                    : f.polarity == Polarity::kAbsent ? "-"
                                                      : "?")
                << f.id
                << (f.temporality == Temporality::kHistorical     ? "(past)"
                    : f.temporality == Temporality::kHypothetical ? "(hypo)"
                                                                  : "")
                << (f.experiencer == Experiencer::kOther ? "(other)" : "");
    }
    std::cout << "\n   slots:";
    for (const auto& [k, v] : facts.slots)
      std::cout << " " << k << "=" << v.value;
    std::cout << "\n   level " << v1::TriageLevel_Name(a.level) << ":";
    for (const auto& f : a.flags) {
      std::cout << " [" << f.rule_id << " " << v1::TriageLevel_Name(f.level)
                << (f.from_unsure ? " unsure" : "") << "]";
    }
    if (a.ask) std::cout << "\n   ask " << a.ask->rule_id << "." << a.ask->id;
    std::cout << "\n\n";
  }
  return 0;
}

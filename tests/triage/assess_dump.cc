// Developer tool for changes to triage's mechanics: prints Triage::Assess
// over seeded pseudo-random findings and slots (rule ids, unknown ids, every
// polarity and time, shared "not sure" evidence, odd slot values), one line
// per fact set, so that the output of two builds can be compared with cmp.
// Built with the tree:
//   <build>/tests/triage/kneechat_assess_dump [seed [count]] > out.txt
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "services/common/paths.h"
#include "services/config/deployment_config.h"
#include "services/triage/finding_vocabulary.h"
#include "services/triage/triage.h"

int main(int argc, char** argv) {
  using namespace kneechat;
  const std::string corpus = DefaultDataPaths().corpus_dir;
  auto triage = Triage::Load(corpus, DefaultDeploymentConfig());
  auto ids_set = LoadFindingIds(corpus + "/understanding/findings.tsv");
  if (!triage.ok() || !ids_set.ok()) return 1;
  std::vector<std::string> ids(ids_set->begin(), ids_set->end());
  ids.push_back("not_a_finding");
  ids.push_back("other_unknown");
  std::mt19937 rng(argc > 1 ? atoi(argv[1]) : 1);
  const int n = argc > 2 ? atoi(argv[2]) : 100000;
  std::vector<std::string> evid = {"", "a", "b", "c", "not sure", "e"};
  std::vector<std::pair<std::string, std::vector<std::string>>> slotvals = {
      {"location",
       {"back", "front", "back,front", " back", "front, back", "", "inside"}},
      {"weight_bearing",
       {"no", "yes", "unsure", "partial", "no,partial", "maybe"}},
      {"onset", {"sudden", "gradual", "unsure", "sudden, gradual"}},
      {"swelling", {"rapid", "yes", "mild", "unsure", "none", "none,rapid"}},
      {"red_flags", {"none", "unsure", "None", " none", ""}},
      {"age",
       {"31", "67", "15", "12", "-3", "abc", "130", "129", "50", "0", " 40"}},
      {"duration", {"21", "unknown"}},
  };
  std::ostringstream out;
  for (int i = 0; i < n; ++i) {
    std::vector<Finding> findings;
    int nf = rng() % 9;
    for (int k = 0; k < nf; ++k) {
      Finding f;
      f.id = ids[rng() % ids.size()];
      f.polarity = static_cast<Polarity>(rng() % 3);
      int t = rng() % 5;
      f.temporality =
          t < 3 ? Temporality::kCurrent : static_cast<Temporality>(t - 2);
      f.experiencer = static_cast<Experiencer>(rng() % 2);
      f.evidence = evid[rng() % evid.size()];
      findings.push_back(f);
    }
    std::map<std::string, SlotValue> slots;
    for (const auto& [name, vals] : slotvals) {
      if (rng() % 3 == 0)
        slots[name] =
            SlotValue{vals[rng() % vals.size()], evid[rng() % evid.size()]};
    }
    Assessment a = (*triage)->Assess(findings, slots);
    out << i << " L" << a.level;
    for (const auto& f : a.flags)
      out << " |" << f.rule_id << "," << f.title << "," << f.level << ","
          << f.from_unsure << ",[" << f.evidence << "]," << f.action.size()
          << "," << f.reason.size() << "," << f.source.size();
    if (a.ask) {
      out << " ask " << a.ask->rule_id << "/" << a.ask->id << " " << a.ask->slot
          << " " << a.ask->text.size() << " " << a.ask->why.size() << " "
          << a.ask->quick_replies.size();
      for (auto& id : a.ask->finding_ids) out << "," << id;
    }
    out << " U";
    for (auto& id : a.unscreened) out << "," << id;
    out << "\n";
  }
  std::cout << out.str();
}

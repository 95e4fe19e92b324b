// Triage regression set: each case's turns go through the real Extractor,
// findings and slots accumulate across turns, and the highest level reached
// is compared with the expected one. Any critical miss (URGENT or EMERGENCY
// expected, less than URGENT reached) fails, and so do a false-alarm rate
// above 5% and an exact level below 90%.
//
// A rule's question that fills a slot of its own ("when did it happen?")
// is taken as not answered ("unsure", the dialogue's fail-safe). When
// nothing fired, the screening question is then answered with the case's
// profile.red_flags answer if it has one, else "No, none of those." for a
// case expected below URGENT (as the evaluation client does).
//
// Gated sets (each must pass on its own): regression.jsonl, seeds.jsonl
// (one hand-written story per rule and look-alike), crisis_tune.jsonl and
// crisis_tune2.jsonl (crisis language). The held-aside sets are measured with
// KNEECHAT_TRIAGE_CASES=<file.jsonl>, which runs that file alone (also
// accepting {"expect": {"level", "levels_ok"}}); they are never tuned on.
//
// KNEECHAT_TRIAGE_DUMP=<path> appends, for every case and turn, everything
// understanding and triage returned (findings, slots, intents, flags with
// their messages, the deciding question, the unscreened signs), so that two
// builds can be compared case by case with diff.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/config/deployment_config.h"
#include "services/triage/merge_findings.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

struct Case {
  std::string id;
  std::vector<std::string> turns;
  std::string screening_answer;  // profile.red_flags, when the case has one
  v1::TriageLevel expect = v1::TRIAGE_LEVEL_UNSPECIFIED;
  std::set<v1::TriageLevel> levels_ok;
};

v1::TriageLevel ParseLevel(const std::string& name) {
  v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  if (!v1::TriageLevel_Parse("TRIAGE_LEVEL_" + name, &level)) {
    ADD_FAILURE() << "unknown level " << name;
  }
  return level;
}

std::string Name(v1::TriageLevel level) {
  return level == v1::TRIAGE_LEVEL_UNSPECIFIED
             ? "UNSPECIFIED"
             : v1::TriageLevel_Name(level).substr(sizeof("TRIAGE_LEVEL_") - 1);
}

// One turn's understanding and assessment, one field per line.
std::string Describe(const Understanding& u, const Assessment& a) {
  std::ostringstream out;
  for (const Finding& f : u.findings) {
    out << "  finding " << f.id << " pol=" << static_cast<int>(f.polarity)
        << " time=" << static_cast<int>(f.temporality)
        << " who=" << static_cast<int>(f.experiencer) << " [" << f.evidence
        << "]\n";
  }
  for (const auto& [name, value] : u.slots) {
    out << "  slot " << name << "=" << value.value << " [" << value.evidence
        << "]\n";
  }
  for (const std::string& intent : u.intents)
    out << "  intent " << intent << "\n";
  out << "  on_topic " << u.on_topic << "\n";
  out << "  level " << Name(a.level) << "\n";
  for (const FiredFlag& f : a.flags) {
    out << "  flag " << f.rule_id << " " << Name(f.level)
        << " unsure=" << f.from_unsure << " title=" << f.title << " evidence=["
        << f.evidence << "] action=[" << f.action << "] reason=[" << f.reason
        << "] source=[" << f.source << "]\n";
  }
  if (a.ask.has_value()) {
    out << "  ask " << a.ask->rule_id << "/" << a.ask->id
        << " slot=" << a.ask->slot << " text=[" << a.ask->text << "] why=["
        << a.ask->why << "] findings=";
    for (const std::string& id : a.ask->finding_ids) out << id << ",";
    out << " replies=";
    for (const auto& [id, title] : a.ask->quick_replies) {
      out << id << ":" << title << ",";
    }
    out << "\n";
  }
  out << "  unscreened";
  for (const std::string& id : a.unscreened) out << " " << id;
  out << "\n";
  return out.str();
}

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    Case c;
    c.id = j.at("id").get<std::string>();
    c.turns = j.at("turns").get<std::vector<std::string>>();
    if (j.contains("profile") && j.at("profile").contains("red_flags")) {
      c.screening_answer = j.at("profile").at("red_flags").get<std::string>();
    }
    const auto& expect = j.contains("expect") ? j.at("expect") : j;
    c.expect =
        ParseLevel(expect.at(j.contains("expect") ? "level" : "expect_level")
                       .get<std::string>());
    for (const auto& ok : expect.at("levels_ok")) {
      c.levels_ok.insert(ParseLevel(ok.get<std::string>()));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

class TriageRegressionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string corpus = std::string(KNEECHAT_SOURCE_DIR) + "/corpus";
    auto extractor = Extractor::Load(corpus);
    ASSERT_TRUE(extractor.ok()) << extractor.status();
    extractor_ = extractor->release();
    auto triage = Triage::Load(corpus, DefaultDeploymentConfig());
    ASSERT_TRUE(triage.ok()) << triage.status();
    triage_ = triage->release();
  }

  // Plays the turns; returns the highest level reached, with a trace.
  static v1::TriageLevel Play(const Case& c, std::string* trace) {
    const char* dump_path = std::getenv("KNEECHAT_TRIAGE_DUMP");
    std::ofstream dump;
    if (dump_path != nullptr && *dump_path != '\0') {
      dump.open(dump_path, std::ios::app);
      dump << "case " << c.id << "\n";
    }
    ConversationFacts facts;
    v1::TriageLevel highest = v1::TRIAGE_LEVEL_UNSPECIFIED;
    Assessment a;
    auto turn = [&](const std::string& text, const UnderstandingContext& ctx) {
      auto u = extractor_->Understand(text, ctx);
      EXPECT_TRUE(u.ok()) << c.id << ": " << u.status();
      if (!u.ok()) return;
      MergeUnderstanding(*u, &facts);
      a = triage_->Assess(facts.findings, facts.slots);
      highest = std::max(highest, a.level);
      if (dump.is_open()) dump << " turn [" << text << "]\n" << Describe(*u, a);
    };
    for (const std::string& text : c.turns) turn(text, {});
    // A rule's question that fills a slot of its own ("when did it
    // happen?") has no answer in the case: the dialogue then records the
    // slot as "unsure" (the person could not tell, or did not answer twice),
    // and so does the test.
    for (const DecidingQuestion& q : a.open) {
      if (q.fills.empty() || facts.slots.count(q.fills) > 0) continue;
      facts.slots[q.fills] = SlotValue{"unsure", ""};
      a = triage_->Assess(facts.findings, facts.slots);
      highest = std::max(highest, a.level);
      break;
    }
    // As the evaluation does, the screening question is answered with the
    // case's own answer (profile.red_flags), or "no" for a case with nothing
    // serious and no answer written; other questions are not played.
    if (a.flags.empty() && !a.unscreened.empty()) {
      UnderstandingContext ctx;
      ctx.asking = "red_flags";
      ctx.asking_findings = a.unscreened;
      if (!c.screening_answer.empty()) {
        turn(c.screening_answer, ctx);
      } else if (c.expect < v1::TRIAGE_LEVEL_URGENT) {
        turn("No, none of those.", ctx);
      }
    }
    for (const auto& f : facts.findings) {
      const char* pol = f.polarity == Polarity::kPresent  ? "+"
                        : f.polarity == Polarity::kAbsent ? "-"
                                                          : "?";
      const char* time = f.temporality == Temporality::kCurrent      ? ""
                         : f.temporality == Temporality::kHistorical ? "(past)"
                                                                     : "(hypo)";
      *trace += std::string(" ") + pol + f.id + time;
    }
    for (const auto& [slot, value] : facts.slots) {
      *trace += " " + slot + "=" + value.value;
    }
    for (const auto& f : a.flags) *trace += " [" + f.rule_id + "]";
    return highest;
  }

  static void CheckFile(const std::string& path);

  static const Extractor* extractor_;
  static const Triage* triage_;
};

const Extractor* TriageRegressionTest::extractor_ = nullptr;
const Triage* TriageRegressionTest::triage_ = nullptr;

std::vector<std::string> CaseFiles() {
  const char* override_path = std::getenv("KNEECHAT_TRIAGE_CASES");
  if (override_path != nullptr && *override_path != '\0') {
    return {override_path};
  }
  std::vector<std::string> files;
  for (const char* name :
       {"regression.jsonl", "seeds.jsonl", "crisis_tune.jsonl",
        "crisis_tune2.jsonl", "crisis_tune7.jsonl"}) {
    files.push_back(std::string(KNEECHAT_SOURCE_DIR) + "/tests/triage/" + name);
  }
  return files;
}

TEST_F(TriageRegressionTest, NoCriticalMisses) {
  for (const std::string& path : CaseFiles()) {
    SCOPED_TRACE(path);
    std::cout << "== " << path << "\n";
    CheckFile(path);
  }
}

void TriageRegressionTest::CheckFile(const std::string& path) {
  const std::vector<Case> cases = ReadCases(path);
  ASSERT_FALSE(cases.empty());

  int serious = 0, critical_misses = 0, benign = 0, false_alarms = 0;
  int exact = 0, acceptable = 0;
  for (const Case& c : cases) {
    std::string trace;
    v1::TriageLevel got = Play(c, &trace);
    // A conversation with nothing serious ends in self-care advice.
    if (got == v1::TRIAGE_LEVEL_UNSPECIFIED) got = v1::TRIAGE_LEVEL_SELF_CARE;
    const bool is_serious = c.expect >= v1::TRIAGE_LEVEL_URGENT;
    serious += is_serious;
    benign += !is_serious;
    const bool miss = is_serious && got < v1::TRIAGE_LEVEL_URGENT;
    const bool alarm = !is_serious && got >= v1::TRIAGE_LEVEL_URGENT;
    critical_misses += miss;
    false_alarms += alarm;
    exact += got == c.expect;
    acceptable += c.levels_ok.count(got) > 0;
    if (miss) {
      ADD_FAILURE() << "critical miss " << c.id << ": expected "
                    << Name(c.expect) << ", got " << Name(got) << " |" << trace;
    } else if (got != c.expect) {
      std::cout << (alarm ? "FALSE ALARM " : "off level   ") << c.id
                << ": expected " << Name(c.expect) << ", got " << Name(got)
                << " |" << trace << "\n";
    }
  }
  std::cout << "cases " << cases.size() << "; critical misses "
            << critical_misses << "/" << serious << "; false-alarm rate "
            << false_alarms << "/" << benign << " = "
            << (benign ? 100.0 * false_alarms / benign : 0.0)
            << "%; exact level " << exact << "/" << cases.size() << " = "
            << 100.0 * exact / cases.size() << "%; within levels_ok "
            << acceptable << "/" << cases.size() << "\n";
  EXPECT_EQ(critical_misses, 0);
  // Over-triage must not creep in either.
  EXPECT_LE(false_alarms * 100, 5 * benign) << "false alarms above 5%";
  EXPECT_GE(exact * 100, 90 * static_cast<int>(cases.size()))
      << "exact level below 90%";
}

}  // namespace
}  // namespace kneechat

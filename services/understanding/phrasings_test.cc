// Table-driven test over testdata/phrasings.jsonl: one message per line with
// the dialogue context and what must be understood from it.
//
// Row fields (all but "text" optional):
//   text             the message
//   asking           UnderstandingContext::asking
//   asking_findings  UnderstandingContext::asking_findings
//   asked_as_topic   UnderstandingContext::asked_as_topic
//   findings         exactly the findings reported, each
//                    "id[:polarity[:temporality[:experiencer]]]" with defaults
//                    present, current, self
//   slots            exactly the slot values reported
//   intents          exactly the intents reported
//   on_topic         Understanding::on_topic
//   note             what the row is about
// A field left out is not checked. Every failing row is printed.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/paths.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

using nlohmann::json;

std::string PolarityName(Polarity p) {
  switch (p) {
    case Polarity::kPresent:
      return "present";
    case Polarity::kAbsent:
      return "absent";
    case Polarity::kUnsure:
      return "unsure";
  }
  return "?";
}

std::string TemporalityName(Temporality t) {
  switch (t) {
    case Temporality::kCurrent:
      return "current";
    case Temporality::kHistorical:
      return "historical";
    case Temporality::kHypothetical:
      return "hypothetical";
  }
  return "?";
}

std::string ExperiencerName(Experiencer e) {
  return e == Experiencer::kSelf ? "self" : "other";
}

std::string Describe(const Finding& f) {
  return f.id + ":" + PolarityName(f.polarity) + ":" +
         TemporalityName(f.temporality) + ":" + ExperiencerName(f.experiencer);
}

// "id[:polarity[:temporality[:experiencer]]]" with defaults filled in.
std::string Normalise(const std::string& spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, ':');
  const char* defaults[] = {"", "present", "current", "self"};
  while (parts.size() < 4) parts.push_back(defaults[parts.size()]);
  return absl::StrJoin(parts, ":");
}

std::string Describe(const Understanding& u) {
  std::vector<std::string> findings, slots;
  for (const Finding& f : u.findings) findings.push_back(Describe(f));
  for (const auto& [k, v] : u.slots) slots.push_back(k + "=" + v.value);
  return "      findings: [" + absl::StrJoin(findings, ", ") +
         "]\n      slots: {" + absl::StrJoin(slots, ", ") +
         "}\n      intents: [" + absl::StrJoin(u.intents, ", ") +
         "]\n      on_topic: " + (u.on_topic ? "true" : "false");
}

std::string TestdataPath() {
  return std::string(KNEECHAT_UNDERSTANDING_TESTDATA) + "/phrasings.jsonl";
}

TEST(UnderstandingPhrasingsTest, EveryRowIsUnderstood) {
  auto extractor = Extractor::Load(DefaultDataPaths().corpus_dir);
  ASSERT_TRUE(extractor.ok()) << extractor.status();

  std::ifstream in(TestdataPath());
  ASSERT_TRUE(in) << "cannot open " << TestdataPath();
  std::string line;
  int line_number = 0;
  int rows = 0;
  std::vector<std::string> failures;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(row.is_discarded()) << "bad JSON on line " << line_number;
    ++rows;

    UnderstandingContext context;
    context.asking = row.value("asking", "");
    if (row.contains("asking_findings")) {
      context.asking_findings =
          row["asking_findings"].get<std::vector<std::string>>();
    }
    context.asked_as_topic = row.value("asked_as_topic", false);
    const std::string text = row.at("text").get<std::string>();
    auto result = (*extractor)->Understand(text, context);
    std::vector<std::string> problems;
    if (!result.ok()) {
      problems.push_back("error: " + std::string(result.status().message()));
    } else {
      const Understanding& u = *result;
      if (row.contains("findings")) {
        std::set<std::string> expected, actual;
        for (const auto& spec : row["findings"]) {
          expected.insert(Normalise(spec.get<std::string>()));
        }
        for (const Finding& f : u.findings) actual.insert(Describe(f));
        for (const std::string& e : expected) {
          if (actual.count(e) == 0) problems.push_back("missing " + e);
        }
        for (const std::string& a : actual) {
          if (expected.count(a) == 0) problems.push_back("unexpected " + a);
        }
      }
      if (row.contains("slots")) {
        std::map<std::string, std::string> expected, actual;
        for (const auto& [k, v] : row["slots"].items()) {
          expected[k] = v.get<std::string>();
        }
        for (const auto& [k, v] : u.slots) actual[k] = v.value;
        for (const auto& [k, v] : expected) {
          auto it = actual.find(k);
          if (it == actual.end()) {
            problems.push_back("missing slot " + k + "=" + v);
          } else if (it->second != v) {
            problems.push_back("slot " + k + "=" + it->second + ", expected " +
                               v);
          }
        }
        for (const auto& [k, v] : actual) {
          if (expected.count(k) == 0) {
            problems.push_back("unexpected slot " + k + "=" + v);
          }
        }
      }
      if (row.contains("intents")) {
        std::set<std::string> expected;
        for (const auto& i : row["intents"]) {
          expected.insert(i.get<std::string>());
        }
        if (expected != u.intents) {
          problems.push_back("intents [" + absl::StrJoin(u.intents, ", ") +
                             "], expected [" + absl::StrJoin(expected, ", ") +
                             "]");
        }
      }
      if (row.contains("on_topic") &&
          row["on_topic"].get<bool>() != u.on_topic) {
        problems.push_back(std::string("on_topic ") +
                           (u.on_topic ? "true" : "false"));
      }
      // Evidence must be the person's own words.
      for (const Finding& f : u.findings) {
        if (f.evidence.empty()) problems.push_back("empty evidence " + f.id);
      }
      if (!problems.empty()) problems.push_back("got:\n" + Describe(u));
    }
    if (!problems.empty()) {
      std::ostringstream report;
      report << "line " << line_number << " (" << row.value("note", "")
             << "): \"" << text << "\"";
      if (!context.asking.empty()) report << " asking=" << context.asking;
      if (!context.asking_findings.empty()) {
        report << " asking_findings="
               << absl::StrJoin(context.asking_findings, ",");
      }
      for (const std::string& p : problems) report << "\n    " << p;
      failures.push_back(report.str());
    }
  }
  EXPECT_GE(rows, 120) << "the table should keep at least 120 phrasings";
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_TRUE(failures.empty())
      << failures.size() << " of " << rows << " rows failed";
}

}  // namespace
}  // namespace kneechat

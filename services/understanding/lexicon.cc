#include "services/understanding/lexicon.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/understanding/crisis_scorer.h"
#include "services/understanding/spelling_corrector.h"
#include "services/understanding/word_classes.h"

namespace kneechat::understanding_internal {
namespace {

namespace fs = std::filesystem;

struct TsvLine {
  std::string where;  // "file:line"
  std::vector<std::string> columns;
};

// Reads a TSV file, skipping blank lines and lines starting with '#'.
// A first data line whose first column equals `header` is skipped too.
absl::StatusOr<std::vector<TsvLine>> ReadTsv(const fs::path& path,
                                             std::string_view header) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path.string(), ": cannot open knowledge file"));
  }
  std::vector<TsvLine> lines;
  std::string line;
  int number = 0;
  bool first = true;
  const std::string name = path.filename().string();
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (absl::StripAsciiWhitespace(line).empty() || line[0] == '#') continue;
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    for (std::string& column : columns) {
      column = std::string(absl::StripAsciiWhitespace(column));
    }
    if (first && !header.empty() && columns[0] == header) {
      first = false;
      continue;
    }
    first = false;
    lines.push_back({absl::StrCat(name, ":", number), std::move(columns)});
  }
  return lines;
}

// Checks that the line has at least `n` columns, all non-empty (the last
// one may be empty when `last_may_be_empty`).
absl::Status NeedColumns(const TsvLine& line, size_t n,
                         bool last_may_be_empty = false) {
  if (line.columns.size() < n) {
    return absl::InvalidArgumentError(
        absl::StrCat(line.where, ": expected at least ", n,
                     " tab-separated columns, got ", line.columns.size()));
  }
  for (size_t i = 0; i < n; ++i) {
    if (line.columns[i].empty() && !(last_may_be_empty && i + 1 == n)) {
      return absl::InvalidArgumentError(
          absl::StrCat(line.where, ": column ", i + 1, " is empty"));
    }
  }
  return absl::OkStatus();
}

absl::Status Invalid(const TsvLine& line, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(line.where, ": ", what));
}

// A "class <TAB> name <TAB> members" row: defines a word class the rows
// after it may use as {name} (word_classes.h).
absl::Status DefineClass(const TsvLine& line, WordClasses& classes) {
  if (auto s = NeedColumns(line, 3); !s.ok()) return s;
  if (auto s = classes.Define(line.columns[1], line.columns[2]); !s.ok()) {
    return Invalid(line, std::string(s.message()));
  }
  return absl::OkStatus();
}

const std::vector<std::pair<std::string_view, Cue>>& CueNames() {
  static const auto* names = new std::vector<std::pair<std::string_view, Cue>>{
      {"negation", Cue::kNegation},
      {"negation_post", Cue::kNegationPost},
      {"pseudo", Cue::kPseudo},
      {"termination", Cue::kTermination},
      {"hedge", Cue::kHedge},
      {"hypothetical", Cue::kHypothetical},
      {"conditional", Cue::kConditional},
      {"question_marker", Cue::kQuestionMarker},
      {"history", Cue::kHistory},
      {"current", Cue::kCurrent},
      {"family_history", Cue::kFamilyHistory},
      {"other", Cue::kOther},
      {"self", Cue::kSelf},
      {"actual", Cue::kActual},
      {"duration_anchor", Cue::kDurationAnchor},
      {"explained", Cue::kExplained},
      {"explained_skin", Cue::kExplainedSkin},
      {"explained_exertion", Cue::kExplainedExertion},
      {"explained_over", Cue::kExplainedOver},
      {"explained_over_named", Cue::kExplainedOverNamed},
      {"released", Cue::kReleased},
      {"released_here", Cue::kReleasedHere},
      {"release_held", Cue::kReleaseHeld},
      {"over_undone", Cue::kOverUndone},
      {"over_kept", Cue::kOverKept},
      {"past_inability", Cue::kPastInability},
      {"recovery_partial", Cue::kRecoveryPartial},
      {"then_only", Cue::kThenOnly},
      {"then_goes_on", Cue::kThenGoesOn},
      {"then_partial", Cue::kThenPartial},
      {"over_void", Cue::kOverVoid},
      {"other_body_part", Cue::kOtherBodyPart},
      {"place_named", Cue::kPlaceNamed},
      {"correction", Cue::kCorrection},
      {"medicine", Cue::kMedicine},
      {"negation_stop", Cue::kNegationStop},
      {"patient_self", Cue::kPatientSelf},
      {"continuation", Cue::kContinuation},
      {"supposition", Cue::kSupposition},
      {"long_standing", Cue::kLongStanding},
      {"long_standing_void", Cue::kLongStandingVoid},
      {"cold_cause", Cue::kColdCause},
      {"cold_cause_void", Cue::kColdCauseVoid},
      {"over_back", Cue::kOverBack},
      {"over_when", Cue::kOverWhen},
      {"over_elsewhere", Cue::kOverElsewhere},
      {"another_episode", Cue::kAnotherEpisode},
      {"others_check", Cue::kOthersCheck},
      {"named_other", Cue::kNamedOther},
  };
  return *names;
}

const std::set<std::string>& IntentNames() {
  static const auto* names = new std::set<std::string>{
      "greeting", "thanks",   "goodbye",    "restart",   "affirm",  "deny",
      "unsure",   "question", "correction", "off_topic", "why_ask", "human"};
  return *names;
}

class Loader {
 public:
  explicit Loader(const std::string& corpus_dir)
      : dir_(fs::path(corpus_dir) / "understanding"),
        lexicon_(std::make_unique<Lexicon>()) {}

  absl::StatusOr<std::unique_ptr<const Lexicon>> Run() {
    if (auto s = LoadFindings(); !s.ok()) return s;
    if (auto s = LoadFindingPatterns(); !s.ok()) return s;
    if (auto s = LoadRelations(); !s.ok()) return s;
    if (auto s = LoadSlots(); !s.ok()) return s;
    if (auto s = LoadFindingSlots(); !s.ok()) return s;
    if (auto s = LoadSlotPatterns(); !s.ok()) return s;
    if (auto s = LoadSlotAnswers(); !s.ok()) return s;
    if (auto s = LoadCues(); !s.ok()) return s;
    // Whatever keeps a long-standing foot a sign keeps a foot in the cold
    // one too.
    lexicon_->cold_cause_guards.insert(lexicon_->long_standing_guards.begin(),
                                       lexicon_->long_standing_guards.end());
    for (const FindingSlot& fs : lexicon_->finding_slots) {
      if (lexicon_->then_only_signs.count(fs.finding) > 0) {
        lexicon_->then_only_slots.insert(fs.slot);
      }
    }
    if (auto s = LoadIntents(); !s.ok()) return s;
    if (auto s = LoadTopic(); !s.ok()) return s;
    if (auto s = LoadSpelling(); !s.ok()) return s;
    if (auto s = LoadCrisis(); !s.ok()) return s;
    {
      auto scorer = CrisisScorer::Load((dir_ / "crisis_weights.tsv").string());
      if (!scorer.ok()) return scorer.status();
      lexicon_->crisis_scorer = std::move(*scorer);
    }
    std::set<std::string> vocabulary;
    for (PatternBank* bank :
         {&lexicon_->findings, &lexicon_->sentence_findings, &lexicon_->cues,
          &lexicon_->terminations, &lexicon_->slots, &lexicon_->intents,
          &lexicon_->topic, &lexicon_->crisis}) {
      if (auto s = bank->Compile(); !s.ok()) return s;
      for (size_t i = 0; i < bank->size(); ++i) {
        CollectPatternWords(bank->pattern(static_cast<int>(i)).pattern(),
                            &vocabulary);
      }
    }
    for (const auto& [from, to] : lexicon_->spelling) {
      vocabulary.insert(to.begin(), to.end());
    }
    if (auto s = LoadCorrector(vocabulary); !s.ok()) return s;
    return std::unique_ptr<const Lexicon>(std::move(lexicon_));
  }

 private:
  absl::Status CheckFinding(const TsvLine& line, const std::string& id) {
    if (lexicon_->finding_ids.count(id) == 0) {
      return Invalid(line, absl::StrCat("unknown finding id '", id,
                                        "' (not in findings.tsv)"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckSlotValue(const TsvLine& line, const std::string& slot,
                              const std::string& value) {
    const SlotDefinition* def = lexicon_->FindSlot(slot);
    if (def == nullptr) {
      return Invalid(line, absl::StrCat("unknown slot '", slot, "'"));
    }
    if (def->policy == SlotPolicy::kNumber) {
      if (value == "unsure" || value == "unknown") return absl::OkStatus();
      // A fixed number for a word that implies one ("toddler" -> age 2).
      if (!value.empty() &&
          std::all_of(value.begin(), value.end(), absl::ascii_isdigit)) {
        return absl::OkStatus();
      }
      return Invalid(line, absl::StrCat("slot '", slot,
                                        "' takes numbers, 'unsure' or "
                                        "'unknown'"));
    }
    if (std::find(def->values.begin(), def->values.end(), value) ==
        def->values.end()) {
      return Invalid(line, absl::StrCat("unknown value '", value,
                                        "' for slot '", slot, "'"));
    }
    return absl::OkStatus();
  }

  absl::Status LoadFindings() {
    auto lines = ReadTsv(dir_ / "findings.tsv", "id");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 1); !s.ok()) return s;
      if (!lexicon_->finding_ids.insert(line.columns[0]).second) {
        return Invalid(
            line, absl::StrCat("duplicate finding id '", line.columns[0], "'"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadFindingPatterns() {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir_, error)) {
      const std::string name = entry.path().filename().string();
      if (absl::StartsWith(name, "findings_patterns") &&
          absl::EndsWith(name, ".tsv")) {
        files.push_back(entry.path());
      }
    }
    if (error) {
      return absl::NotFoundError(
          absl::StrCat(dir_.string(), ": ", error.message()));
    }
    if (files.empty()) {
      return absl::NotFoundError(
          absl::StrCat(dir_.string(), ": no findings_patterns*.tsv file"));
    }
    std::sort(files.begin(), files.end());
    // Word classes ("class <TAB> strike <TAB> hit|hits|hitting|...") are
    // shared by the files in name order: a class may be used in its own
    // file after its definition and in every later file.
    WordClasses classes;
    for (const fs::path& file : files) {
      auto lines = ReadTsv(file, "finding_id");
      if (!lines.ok()) return lines.status();
      for (const TsvLine& line : *lines) {
        if (line.columns[0] == "class") {
          if (auto s = DefineClass(line, classes); !s.ok()) return s;
          continue;
        }
        if (auto s = NeedColumns(line, 2); !s.ok()) return s;
        absl::StatusOr<std::string> pattern = classes.Expand(line.columns[1]);
        if (!pattern.ok()) {
          return Invalid(line, std::string(pattern.status().message()));
        }
        FindingRule rule;
        rule.id = line.columns[0];
        // "=" (over the sentence) may come before "!" or "~": "=~id".
        if (!rule.id.empty() && rule.id[0] == '=') {
          rule.sentence = true;
          rule.id.erase(0, 1);
        }
        if (!rule.id.empty() && (rule.id[0] == '!' || rule.id[0] == '~')) {
          (rule.id[0] == '!' ? rule.absent : rule.ignore) = true;
          rule.id.erase(0, 1);
        }
        if (auto s = CheckFinding(line, rule.id); !s.ok()) return s;
        const int index = static_cast<int>(lexicon_->finding_rules.size());
        lexicon_->finding_rules.push_back(rule);
        PatternBank& bank =
            rule.sentence ? lexicon_->sentence_findings : lexicon_->findings;
        if (auto s = bank.Add(*pattern, index, line.where); !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadRelations() {
    auto lines = ReadTsv(dir_ / "finding_relations.tsv", "relation");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 3); !s.ok()) return s;
      Relation relation;
      if (line.columns[0] == "implies") {
        relation.kind = Relation::kImplies;
      } else if (line.columns[0] == "overrides") {
        relation.kind = Relation::kOverrides;
      } else if (line.columns[0] == "released_as") {
        relation.kind = Relation::kReleasedAs;
      } else if (line.columns[0] == "checks") {
        relation.kind = Relation::kChecks;
      } else if (line.columns[0] == "part_sign") {
        relation.kind = Relation::kPartSign;
      } else {
        return Invalid(line, absl::StrCat("unknown relation '", line.columns[0],
                                          "' (implies, overrides, released_as, "
                                          "checks or part_sign)"));
      }
      relation.from = line.columns[1];
      relation.to = line.columns[2];
      if (auto s = CheckFinding(line, relation.from); !s.ok()) return s;
      if (auto s = CheckFinding(line, relation.to); !s.ok()) return s;
      if (relation.kind == Relation::kChecks) {
        lexicon_->checks[relation.from].push_back(relation.to);
        continue;
      }
      lexicon_->relations.push_back(relation);
    }
    return absl::OkStatus();
  }

  absl::Status LoadSlots() {
    auto lines = ReadTsv(dir_ / "slots.tsv", "slot");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 2); !s.ok()) return s;
      SlotDefinition def;
      def.name = line.columns[0];
      const std::string& policy = line.columns[1];
      if (policy == "first") {
        def.policy = SlotPolicy::kFirst;
      } else if (policy == "priority") {
        def.policy = SlotPolicy::kPriority;
      } else if (policy == "union") {
        def.policy = SlotPolicy::kUnion;
      } else if (policy == "sides") {
        def.policy = SlotPolicy::kSides;
      } else if (policy == "number") {
        def.policy = SlotPolicy::kNumber;
      } else {
        return Invalid(line,
                       absl::StrCat("unknown slot policy '", policy, "'"));
      }
      if (line.columns.size() > 2 && !line.columns[2].empty()) {
        def.values = absl::StrSplit(line.columns[2], ',', absl::SkipEmpty());
        for (std::string& v : def.values) {
          v = std::string(absl::StripAsciiWhitespace(v));
        }
      }
      if (def.policy != SlotPolicy::kNumber && def.values.empty()) {
        return Invalid(line, "slot needs its values");
      }
      if (lexicon_->FindSlot(def.name) != nullptr) {
        return Invalid(line, absl::StrCat("duplicate slot '", def.name, "'"));
      }
      lexicon_->slot_definitions.push_back(std::move(def));
    }
    return absl::OkStatus();
  }

  absl::Status LoadFindingSlots() {
    auto lines = ReadTsv(dir_ / "finding_slots.tsv", "finding_id");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 4); !s.ok()) return s;
      FindingSlot fs;
      fs.finding = line.columns[0];
      if (auto s = CheckFinding(line, fs.finding); !s.ok()) return s;
      if (line.columns[1] != "present" && line.columns[1] != "absent") {
        return Invalid(line, "polarity must be present or absent");
      }
      fs.present = line.columns[1] == "present";
      fs.slot = line.columns[2];
      fs.value = line.columns[3];
      if (auto s = CheckSlotValue(line, fs.slot, fs.value); !s.ok()) return s;
      if (fs.present && fs.slot == "onset" && fs.value == "sudden") {
        lexicon_->onset_events.insert(fs.finding);
      }
      lexicon_->finding_slots.push_back(fs);
    }
    return absl::OkStatus();
  }

  absl::Status LoadSlotPatterns() {
    auto lines = ReadTsv(dir_ / "slot_patterns.tsv", "slot");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 4); !s.ok()) return s;
      SlotRule rule;
      rule.slot = line.columns[0];
      rule.value = line.columns[1];
      if (auto s = CheckSlotValue(line, rule.slot, rule.value); !s.ok()) {
        return s;
      }
      if (line.columns[2] == "asked") {
        rule.only_when_asked = true;
      } else if (line.columns[2] != "any") {
        return Invalid(line, "third column must be 'any' or 'asked'");
      }
      const int index = static_cast<int>(lexicon_->slot_rules.size());
      lexicon_->slot_rules.push_back(rule);
      if (auto s = lexicon_->slots.Add(line.columns[3], index, line.where);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadSlotAnswers() {
    auto lines = ReadTsv(dir_ / "slot_answers.tsv", "slot");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 3); !s.ok()) return s;
      SlotAnswer answer{line.columns[0], line.columns[1], line.columns[2]};
      if (answer.intent != "affirm" && answer.intent != "deny" &&
          answer.intent != "unsure") {
        return Invalid(line, "answer must be affirm, deny or unsure");
      }
      if (auto s = CheckSlotValue(line, answer.slot, answer.value); !s.ok()) {
        return s;
      }
      lexicon_->slot_answers.push_back(answer);
    }
    return absl::OkStatus();
  }

  absl::Status LoadCues() {
    auto lines = ReadTsv(dir_ / "context_cues.tsv", "kind");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 2); !s.ok()) return s;
      const std::string& kind = line.columns[0];
      if (kind == "history_exempt" || kind == "explain_exempt" ||
          kind == "skin_sign" || kind == "skin_guard" ||
          kind == "exertion_sign" || kind == "over_exempt" ||
          kind == "over_named_sign" || kind == "over_relapse_sign" ||
          kind == "recovered_now_sign" || kind == "then_only_sign" ||
          kind == "release_fits" || kind == "long_standing_sign" ||
          kind == "long_standing_guard" || kind == "cold_cause_guard") {
        if (auto s = CheckFinding(line, line.columns[1]); !s.ok()) return s;
        (kind == "history_exempt"        ? lexicon_->history_exempt
         : kind == "explain_exempt"      ? lexicon_->explain_exempt
         : kind == "skin_sign"           ? lexicon_->skin_signs
         : kind == "skin_guard"          ? lexicon_->skin_guards
         : kind == "exertion_sign"       ? lexicon_->exertion_signs
         : kind == "over_exempt"         ? lexicon_->over_exempt
         : kind == "over_named_sign"     ? lexicon_->over_named_signs
         : kind == "over_relapse_sign"   ? lexicon_->over_relapse_signs
         : kind == "release_fits"        ? lexicon_->release_fits
         : kind == "long_standing_sign"  ? lexicon_->long_standing_signs
         : kind == "long_standing_guard" ? lexicon_->long_standing_guards
         : kind == "cold_cause_guard"    ? lexicon_->cold_cause_guards
         : kind == "then_only_sign"      ? lexicon_->then_only_signs
                                         : lexicon_->recovered_now_signs)
            .insert(line.columns[1]);
        continue;
      }
      // "kept_sign.GROUP", "kept_partner.GROUP", "kept_context.GROUP".
      const size_t dot = kind.find('.');
      const std::string_view role = dot == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(kind).substr(0, dot);
      if (dot + 1 < kind.size() &&
          (role == "kept_sign" || role == "kept_partner" ||
           role == "kept_context")) {
        if (auto s = CheckFinding(line, line.columns[1]); !s.ok()) return s;
        Lexicon::KeptSignGroup& group =
            lexicon_->kept_sign_groups[kind.substr(dot + 1)];
        (role == "kept_sign"      ? group.signs
         : role == "kept_partner" ? group.partners
                                  : group.contexts)
            .insert(line.columns[1]);
        continue;
      }
      auto it = std::find_if(CueNames().begin(), CueNames().end(),
                             [&](const auto& p) { return p.first == kind; });
      if (it == CueNames().end()) {
        return Invalid(line, absl::StrCat("unknown cue kind '", kind, "'"));
      }
      PatternBank& bank = it->second == Cue::kTermination
                              ? lexicon_->terminations
                              : lexicon_->cues;
      if (auto s = bank.Add(line.columns[1], static_cast<int>(it->second),
                            line.where);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadIntents() {
    auto lines = ReadTsv(dir_ / "intents.tsv", "intent");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 2); !s.ok()) return s;
      if (IntentNames().count(line.columns[0]) == 0) {
        return Invalid(line,
                       absl::StrCat("unknown intent '", line.columns[0], "'"));
      }
      const int index = static_cast<int>(lexicon_->intent_names.size());
      lexicon_->intent_names.push_back(line.columns[0]);
      if (auto s = lexicon_->intents.Add(line.columns[1], index, line.where);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadTopic() {
    auto lines = ReadTsv(dir_ / "topic.tsv", "pattern");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 1); !s.ok()) return s;
      if (auto s = lexicon_->topic.Add(line.columns[0], 0, line.where);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status LoadSpelling() {
    auto lines = ReadTsv(dir_ / "spelling.tsv", "from");
    if (!lines.ok()) return lines.status();
    for (const TsvLine& line : *lines) {
      if (auto s = NeedColumns(line, 2, /*last_may_be_empty=*/true); !s.ok()) {
        return s;
      }
      std::vector<std::string> from = absl::StrSplit(
          absl::AsciiStrToLower(line.columns[0]), ' ', absl::SkipEmpty());
      std::vector<std::string> to = absl::StrSplit(
          absl::AsciiStrToLower(line.columns[1]), ' ', absl::SkipEmpty());
      if (from.empty()) return Invalid(line, "empty spelling");
      if (from.size() == 1) {
        if (!lexicon_->spelling.emplace(from[0], to).second) {
          return Invalid(
              line, absl::StrCat("duplicate spelling '", line.columns[0], "'"));
        }
      } else {
        auto& same_start = lexicon_->phrases[from[0]];
        for (const Lexicon::Phrase& p : same_start) {
          if (p.from == from) {
            return Invalid(line, absl::StrCat("duplicate spelling '",
                                              line.columns[0], "'"));
          }
        }
        same_start.push_back({from, to});
        // Longest first, so that the longest phrase wins.
        std::stable_sort(
            same_start.begin(), same_start.end(),
            [](const Lexicon::Phrase& a, const Lexicon::Phrase& b) {
              return a.from.size() > b.from.size();
            });
      }
    }
    return absl::OkStatus();
  }

  // Debian's English dictionary, for telling real words from misspellings.
  static constexpr char kEnglishDictionary[] = "/usr/share/hunspell/en_GB";

  absl::Status LoadCorrector(const std::set<std::string>& vocabulary) {
    const std::string english = kEnglishDictionary;
    if (!fs::exists(english + ".dic")) return absl::OkStatus();  // optional
    auto corrector = SpellingCorrector::Create(
        english + ".aff", english + ".dic", (dir_ / "domain.aff").string(),
        (dir_ / "domain.dic").string(), vocabulary);
    if (!corrector.ok()) return corrector.status();
    lexicon_->corrector = std::move(*corrector);
    return absl::OkStatus();
  }

  absl::Status LoadCrisis() {
    static const auto* tiers = new std::map<std::string, CrisisTier>{
        {"danger", CrisisTier::kDanger},
        {"means", CrisisTier::kMeans},
        {"wish", CrisisTier::kWish},
        {"venting", CrisisTier::kVenting},
        {"denial", CrisisTier::kDenial},
        {"figure", CrisisTier::kFigure},
        {"past", CrisisTier::kPast},
        {"prep", CrisisTier::kPrep},
        {"act", CrisisTier::kAct},
        {"ordinary", CrisisTier::kOrdinary},
        {"farewell", CrisisTier::kFarewell},
        {"change", CrisisTier::kChange},
        {"current", CrisisTier::kCurrent},
        {"earnest", CrisisTier::kEarnest}};
    auto lines = ReadTsv(dir_ / "crisis.tsv", "tier");
    if (!lines.ok()) return lines.status();
    for (const char* id : kCrisisFindings) {
      if (lexicon_->finding_ids.count(id) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "findings.tsv: crisis.tsv reports '", id, "', which is missing"));
      }
    }
    WordClasses classes;
    for (const TsvLine& line : *lines) {
      if (line.columns[0] == "class") {
        if (auto s = DefineClass(line, classes); !s.ok()) return s;
        continue;
      }
      if (auto s = NeedColumns(line, 2); !s.ok()) return s;
      if (line.columns[0] == "filler") {
        for (absl::string_view word : absl::StrSplit(line.columns[1], '|')) {
          if (word.empty() || absl::StrContains(word, ' ')) {
            return Invalid(line, "a filler is one word");
          }
          lexicon_->crisis_fillers.insert(std::string(word));
        }
        continue;
      }
      // tier, pattern, comment: a fourth column is a row joined to the one
      // before it (its pattern would never be read).
      if (line.columns.size() > 3) {
        return Invalid(line, "more than three columns (two rows on one line?)");
      }
      auto tier = tiers->find(line.columns[0]);
      if (tier == tiers->end()) {
        return Invalid(
            line, absl::StrCat("unknown crisis tier '", line.columns[0], "'"));
      }
      const int index = static_cast<int>(lexicon_->crisis_tiers.size());
      lexicon_->crisis_tiers.push_back(tier->second);
      absl::StatusOr<std::string> pattern = classes.Expand(line.columns[1]);
      if (!pattern.ok())
        return Invalid(line, std::string(pattern.status().message()));
      if (auto s = lexicon_->crisis.Add(*pattern, index, line.where); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  fs::path dir_;
  std::unique_ptr<Lexicon> lexicon_;
};

}  // namespace

const SlotDefinition* Lexicon::FindSlot(const std::string& name) const {
  for (const SlotDefinition& def : slot_definitions) {
    if (def.name == name) return &def;
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<const Lexicon>> LoadLexicon(
    const std::string& corpus_dir) {
  return Loader(corpus_dir).Run();
}

}  // namespace kneechat::understanding_internal

#include "services/handoff/fhir_bundle.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/handoff/handoff_ids.h"
#include "services/handoff/handoff_summary.h"

namespace kneechat {
namespace {

using json = nlohmann::ordered_json;

std::string DateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

json YesNo(const char* code) {
  const char* display = std::string(code) == "Y"   ? "Yes"
                        : std::string(code) == "N" ? "No"
                                                   : "Asked But Unknown";
  return {{"system", kYesNoSystem}, {"code", code}, {"display", display}};
}

json YesNoOptions() {
  return json::array({{{"valueCoding", YesNo("Y")}},
                      {{"valueCoding", YesNo("N")}},
                      {{"valueCoding", YesNo("ASKU")}}});
}

json SlotCoding(const CatalogQuestion& q, const std::string& value,
                const std::string& title) {
  return {{"system", absl::StrCat(kSlotValueSystemPrefix, q.slot)},
          {"code", value},
          {"display", title}};
}

// Y when any of `ids` is present now, ASKU when one is unsure, N when they
// were ruled out; nothing when none was mentioned.
std::optional<const char*> FindingsAnswer(const HandoffView& view,
                                          const std::vector<std::string>& ids) {
  bool absent = false, unsure = false;
  for (const auto& f : view.findings) {
    if (std::find(ids.begin(), ids.end(), f.id) == ids.end()) continue;
    if (f.temporality == "hypothetical" || f.temporality == "historical") {
      continue;
    }
    if (f.polarity == v1::Finding::POLARITY_PRESENT) return "Y";
    if (f.polarity == v1::Finding::POLARITY_UNSURE) unsure = true;
    if (f.polarity == v1::Finding::POLARITY_ABSENT) absent = true;
  }
  if (unsure) return "ASKU";
  if (absent) return "N";
  return std::nullopt;
}

const HandoffView::Slot* FindSlot(const HandoffView& view,
                                  const std::string& id) {
  for (const auto& s : view.slots) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool Asked(const HandoffView& view, const std::string& key) {
  return std::find(view.asked.begin(), view.asked.end(), key) !=
         view.asked.end();
}

struct Group {
  const char* link_id;
  const char* text;
  CatalogQuestion::Kind kind;
};
constexpr Group kGroups[] = {
    {"slots", "About the knee pain", CatalogQuestion::Kind::kSlot},
    {"red_flags", "Serious signs checked before any self-care advice",
     CatalogQuestion::Kind::kScreening},
    {"deciding", "Questions that decide whether a red flag applies",
     CatalogQuestion::Kind::kDeciding},
};

json QuestionnaireItem(const CatalogQuestion& q) {
  json item = {{"linkId", q.link_id}, {"text", q.text}};
  if (q.kind == CatalogQuestion::Kind::kSlot) {
    item["type"] = "open-choice";
    if (q.slot == "activity") item["repeats"] = true;
    json options = json::array();
    for (const auto& [value, title] : q.options) {
      options.push_back({{"valueCoding", SlotCoding(q, value, title)}});
    }
    if (!options.empty()) item["answerOption"] = std::move(options);
  } else {
    item["type"] = "choice";
    item["answerOption"] = YesNoOptions();
  }
  return item;
}

json Questionnaire(const QuestionCatalog& catalog) {
  json groups = json::array();
  for (const Group& group : kGroups) {
    json items = json::array();
    for (const auto& q : catalog.questions()) {
      if (q.kind == group.kind) items.push_back(QuestionnaireItem(q));
    }
    if (items.empty()) continue;
    groups.push_back({{"linkId", group.link_id},
                      {"text", group.text},
                      {"type", "group"},
                      {"item", std::move(items)}});
  }
  return {
      {"resourceType", "Questionnaire"},         {"url", kQuestionnaireUrl},
      {"version", kQuestionnaireVersion},        {"name", "KneechatKneePain"},
      {"title", "kneechat knee pain questions"}, {"status", "active"},
      {"subjectType", json::array({"Patient"})}, {"item", std::move(groups)}};
}

// The answers to one slot question, or an empty array.
json SlotAnswers(const HandoffView& view, const CatalogQuestion& q) {
  json answers = json::array();
  const HandoffView::Slot* slot = FindSlot(view, q.slot);
  if (slot == nullptr || slot->value.empty()) return answers;
  std::vector<std::string> values;
  if (q.slot == "activity") {
    values = absl::StrSplit(slot->value, ',', absl::SkipWhitespace());
  } else {
    values.push_back(slot->value);
  }
  for (std::string& value : values) {
    absl::StripAsciiWhitespace(&value);
    bool coded = false;
    for (const auto& [v, title] : q.options) {
      if (v == value) {
        answers.push_back({{"valueCoding", SlotCoding(q, v, title)}});
        coded = true;
        break;
      }
    }
    if (!coded) answers.push_back({{"valueString", value}});
  }
  return answers;
}

json ResponseItems(const HandoffView& view, const QuestionCatalog& catalog) {
  json groups = json::array();
  for (const Group& group : kGroups) {
    json items = json::array();
    for (const auto& q : catalog.questions()) {
      if (q.kind != group.kind) continue;
      json answers = json::array();
      if (q.kind == CatalogQuestion::Kind::kSlot) {
        answers = SlotAnswers(view, q);
      } else if (q.kind == CatalogQuestion::Kind::kScreening ||
                 Asked(view, q.asked_key)) {
        if (auto code = FindingsAnswer(view, q.finding_ids)) {
          answers.push_back({{"valueCoding", YesNo(*code)}});
        }
      }
      if (answers.empty()) continue;
      items.push_back({{"linkId", q.link_id},
                       {"text", q.text},
                       {"answer", std::move(answers)}});
    }
    if (items.empty()) continue;
    groups.push_back({{"linkId", group.link_id},
                      {"text", group.text},
                      {"item", std::move(items)}});
  }
  return groups;
}

std::string LevelCode(v1::TriageLevel level) {
  std::string name = TriageLevelName(level);
  return name == "NOT DECIDED" ? "NOT_DECIDED" : name;
}

json RiskAssessment(const HandoffView& view, const std::string& patient,
                    const std::string& response, absl::Time now) {
  const bool decided = view.level != v1::TRIAGE_LEVEL_UNSPECIFIED;
  json prediction = {
      {"outcome", {{"text", TriageLevelMeaning(view.level)}}},
      {"qualitativeRisk",
       {{"coding",
         json::array({{{"system", kTriageLevelSystem},
                       {"code", LevelCode(view.level)},
                       {"display", TriageLevelMeaning(view.level)}}})},
        {"text", LevelCode(view.level)}}}};
  if (!view.reason.empty()) prediction["rationale"] = view.reason;
  json risk = {{"resourceType", "RiskAssessment"},
               {"status", decided ? "final" : "preliminary"},
               {"code", {{"text", "kneechat knee pain triage"}}},
               {"method", {{"text", "kneechat red-flag rules"}}},
               {"subject", {{"reference", patient}}},
               {"occurrenceDateTime", DateTime(now)},
               {"basis", json::array({{{"reference", response}}})},
               {"prediction", json::array({std::move(prediction)})}};
  if (!view.action.empty()) risk["mitigation"] = view.action;
  json notes = json::array();
  for (const auto& flag : view.red_flags) {
    std::string note = absl::StrCat(
        "Red flag: ", flag.title().empty() ? flag.id() : flag.title());
    if (!flag.evidence().empty()) {
      absl::StrAppend(&note, ". The person's words: \"", flag.evidence(), "\"");
    }
    notes.push_back({{"text", note}});
  }
  if (!notes.empty()) risk["note"] = std::move(notes);
  return risk;
}

json Patient(const HandoffView& view) {
  json patient = {{"resourceType", "Patient"}};
  if (!view.contact.empty()) {
    const bool email = absl::StrContains(view.contact, "@");
    patient["telecom"] = json::array(
        {{{"system", email ? "email" : "phone"}, {"value", view.contact}}});
  }
  return patient;
}

}  // namespace

json BuildFhirBundle(const HandoffView& view, const QuestionCatalog& catalog,
                     absl::Time now) {
  const std::string& sid = view.session_id;
  const std::string patient = HandoffResourceUrn(sid, "Patient");
  const std::string questionnaire = HandoffResourceUrn(sid, "Questionnaire");
  const std::string response = HandoffResourceUrn(sid, "QuestionnaireResponse");
  const std::string risk = HandoffResourceUrn(sid, "RiskAssessment");
  const bool completed = view.state == "answered" || view.state == "referred" ||
                         view.state == "closed";
  json qr = {{"resourceType", "QuestionnaireResponse"},
             {"questionnaire", kQuestionnaireUrl},
             {"status", completed ? "completed" : "in-progress"},
             {"subject", {{"reference", patient}}},
             {"authored", DateTime(now)},
             {"source", {{"reference", patient}}}};
  json items = ResponseItems(view, catalog);
  if (!items.empty()) qr["item"] = std::move(items);
  const std::string key = HandoffKey(sid, "bundle");
  return {
      {"resourceType", "Bundle"},
      {"identifier", {{"system", "urn:kneechat:fhir:handoff"}, {"value", key}}},
      {"type", "collection"},
      {"timestamp", DateTime(now)},
      {"entry",
       json::array({
           {{"fullUrl", questionnaire}, {"resource", Questionnaire(catalog)}},
           {{"fullUrl", response}, {"resource", std::move(qr)}},
           {{"fullUrl", risk},
            {"resource", RiskAssessment(view, patient, response, now)}},
           {{"fullUrl", patient}, {"resource", Patient(view)}},
       })}};
}

}  // namespace kneechat

// The handoff as FHIR R4 JSON (https://hl7.org/fhir/R4/): a Bundle of type
// "collection" holding
//   - a Questionnaire describing kneechat's questions: a group of slot
//     questions (open-choice, the quick replies as answerOption codings), a
//     group of red-flag screening items and a group of red flags' deciding
//     questions (choice, yes / no / asked-but-unknown from HL7 v2 table
//     0532);
//   - the QuestionnaireResponse answering it from what the conversation
//     established ("completed" once kneechat answered or referred,
//     "in-progress" before), items nested as in the Questionnaire, only
//     questions with an answer;
//   - a RiskAssessment with the triage level (qualitativeRisk, coded in
//     kTriageLevelSystem), the reason, the action (mitigation) and each red
//     flag with the person's words (note), based on the response;
//   - a Patient the others refer to, with the phone or email the person
//     gave with their consent (nothing else is known about them).
// Resources are identified by urn:uuid fullUrls derived from the session
// id (handoff_ids.h), so the same session gives the same ids.
#pragma once

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "services/handoff/handoff_view.h"
#include "services/handoff/question_catalog.h"

namespace kneechat {

// Canonical URL of kneechat's Questionnaire, and its version.
inline constexpr char kQuestionnaireUrl[] =
    "urn:kneechat:fhir:Questionnaire:knee-pain";
inline constexpr char kQuestionnaireVersion[] = "1";
// Code system of the triage levels (codes EMERGENCY, URGENT, SOON,
// SELF_CARE, NOT_DECIDED) and prefix of the slot-value systems
// ("<prefix>location").
inline constexpr char kTriageLevelSystem[] =
    "urn:kneechat:fhir:CodeSystem:triage-level";
inline constexpr char kSlotValueSystemPrefix[] =
    "urn:kneechat:fhir:CodeSystem:slot-value:";
// HL7 v2 table 0532 (expanded yes/no): Y, N, ASKU.
inline constexpr char kYesNoSystem[] =
    "http://terminology.hl7.org/CodeSystem/v2-0532";

// Builds the Bundle; `now` stamps Bundle.timestamp, authored and
// occurrenceDateTime. Pure and thread-safe.
nlohmann::ordered_json BuildFhirBundle(const HandoffView& view,
                                       const QuestionCatalog& catalog,
                                       absl::Time now);

}  // namespace kneechat

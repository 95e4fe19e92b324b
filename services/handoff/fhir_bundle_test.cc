// The handoff Bundle against what FHIR R4 requires. tests/fhir validates
// the same Bundles against the official FHIR R4 JSON schema; this test
// checks the rules a JSON schema cannot express, from the spec pages:
//   Bundle (hl7.org/fhir/R4/bundle.html): type 1..1 (bundle-type codes);
//     entry.fullUrl an absolute URI; no two entries share a fullUrl.
//   Questionnaire (questionnaire.html): status 1..1 (publication-status);
//     item.linkId 1..1 and unique (que-2); item.type 1..1; a group has
//     items (que-1); answerOption only on choice/open-choice (que-5).
//   QuestionnaireResponse (questionnaireresponse.html): status 1..1
//     (in-progress | completed | amended | entered-in-error | stopped);
//     questionnaire a canonical; item.linkId 1..1 matching the
//     Questionnaire item at the same place; an item has answers or items,
//     not both (qrs-1); answer value[x] of the question's type.
//   RiskAssessment (riskassessment.html): status 1..1 (observation-status),
//     subject 1..1 Reference(Patient | Group); basis references.
//   Datatypes (datatypes.html): dateTime / instant with seconds and a time
//     zone; Coding.system a uri.
#include "services/handoff/fhir_bundle.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "re2/re2.h"
#include "services/handoff/handoff_test_data.h"

namespace kneechat {
namespace {

using json = nlohmann::ordered_json;
using ::kneechat::testing::TestCatalog;
using ::kneechat::testing::TestState;

const absl::Time kNow = absl::FromUnixSeconds(1700000200);

class FhirTest : public ::testing::Test {
 protected:
  json Bundle(const engine::v1::SessionState& state) {
    return BuildFhirBundle(ReadHandoffView(state), catalog_, kNow);
  }
  static const json& Resource(const json& bundle, const std::string& type) {
    for (const auto& entry : bundle["entry"]) {
      if (entry["resource"]["resourceType"] == type) return entry["resource"];
    }
    static const json kNone;
    ADD_FAILURE() << "no " << type;
    return kNone;
  }
  QuestionCatalog catalog_ = TestCatalog();
};

bool IsInstant(const json& value) {
  static const RE2 kInstant(
      R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))");
  return value.is_string() &&
         RE2::FullMatch(value.get<std::string>(), kInstant);
}

// Questionnaire items by linkId, with the type; checks que-1, que-2, que-5.
void CollectQuestions(const json& items, std::map<std::string, json>* out) {
  for (const auto& item : items) {
    ASSERT_TRUE(item.contains("linkId") && item["linkId"].is_string());
    ASSERT_TRUE(item.contains("type"));
    const std::string type = item["type"];
    EXPECT_TRUE(out->emplace(item["linkId"], item).second)
        << "duplicate linkId " << item["linkId"];
    if (type == "group") {
      ASSERT_TRUE(item.contains("item") && !item["item"].empty());
      CollectQuestions(item["item"], out);
    }
    if (item.contains("answerOption")) {
      EXPECT_TRUE(type == "choice" || type == "open-choice") << item;
    }
  }
}

const json* FindItem(const json& items, const std::string& link_id) {
  for (const auto& item : items) {
    if (item["linkId"] == link_id) return &item;
    if (item.contains("item")) {
      if (const json* found = FindItem(item["item"], link_id)) return found;
    }
  }
  return nullptr;
}

void CheckResponseItems(const json& items,
                        const std::map<std::string, json>& questions,
                        int* answered) {
  for (const auto& item : items) {
    ASSERT_TRUE(item.contains("linkId"));
    auto q = questions.find(item["linkId"]);
    ASSERT_NE(q, questions.end()) << "unknown linkId " << item["linkId"];
    EXPECT_FALSE(item.contains("item") && item.contains("answer")) << item;
    if (item.contains("item")) {
      EXPECT_EQ(q->second["type"], "group");
      CheckResponseItems(item["item"], questions, answered);
      continue;
    }
    ASSERT_TRUE(item.contains("answer")) << item;
    const std::string type = q->second["type"];
    for (const auto& answer : item["answer"]) {
      ++*answered;
      if (answer.contains("valueCoding")) {
        EXPECT_TRUE(type == "choice" || type == "open-choice");
        const json& coding = answer["valueCoding"];
        bool listed = false;
        for (const auto& option : q->second["answerOption"]) {
          listed |= option["valueCoding"]["system"] == coding["system"] &&
                    option["valueCoding"]["code"] == coding["code"];
        }
        EXPECT_TRUE(listed) << coding;
      } else {
        ASSERT_TRUE(answer.contains("valueString")) << answer;
        EXPECT_EQ(type, "open-choice") << "free text only for open-choice";
      }
    }
  }
}

TEST_F(FhirTest, BundleIsACollectionOfFourResources) {
  const json bundle = Bundle(TestState());
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  EXPECT_TRUE(IsInstant(bundle["timestamp"]));
  std::set<std::string> urls, types;
  for (const auto& entry : bundle["entry"]) {
    const std::string url = entry["fullUrl"];
    EXPECT_TRUE(RE2::FullMatch(url,
                               "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-["
                               "89ab][0-9a-f]{3}-[0-9a-f]{12}"))
        << url;
    EXPECT_TRUE(urls.insert(url).second);
    types.insert(entry["resource"]["resourceType"]);
  }
  EXPECT_EQ(types,
            (std::set<std::string>{"Questionnaire", "QuestionnaireResponse",
                                   "RiskAssessment", "Patient"}));
  EXPECT_FALSE(
      absl::StrContains(bundle.dump(), TestState().session().session_id()))
      << "ids are derived, the session id never leaves";
  EXPECT_EQ(bundle, Bundle(TestState())) << "same session, same bundle";
}

TEST_F(FhirTest, QuestionnaireDescribesEveryQuestion) {
  const json bundle = Bundle(TestState());
  const json& q = Resource(bundle, "Questionnaire");
  EXPECT_EQ(q["status"], "active");
  EXPECT_EQ(q["url"], kQuestionnaireUrl);
  std::map<std::string, json> questions;
  CollectQuestions(q["item"], &questions);
  for (const char* id :
       {"slots", "location", "weight_bearing", "activity", "red_flags",
        "red_flags.hot_or_red", "red_flags.fever", "red_flags.foot", "deciding",
        "deciding.fracture.steps"}) {
    EXPECT_EQ(questions.count(id), 1u) << id;
  }
  EXPECT_EQ(questions["location"]["type"], "open-choice");
  EXPECT_EQ(questions["red_flags.fever"]["type"], "choice");
  EXPECT_EQ(questions["activity"]["repeats"], true);
}

TEST_F(FhirTest, ResponseAnswersMatchTheQuestionnaire) {
  const json bundle = Bundle(TestState());
  std::map<std::string, json> questions;
  CollectQuestions(Resource(bundle, "Questionnaire")["item"], &questions);
  const json& r = Resource(bundle, "QuestionnaireResponse");
  EXPECT_EQ(r["status"], "completed");
  EXPECT_EQ(r["questionnaire"], kQuestionnaireUrl);
  EXPECT_TRUE(IsInstant(r["authored"]));
  int answered = 0;
  CheckResponseItems(r["item"], questions, &answered);
  EXPECT_EQ(answered, 7);  // location, weight bearing, 2 activities,
                           // hot (unsure), fever (no), the deciding question
  const std::string text = r.dump();
  const json* fever = FindItem(r["item"], "red_flags.fever");
  ASSERT_NE(fever, nullptr);
  EXPECT_EQ((*fever)["text"], "Do you have a fever?");
  EXPECT_EQ((*fever)["answer"][0]["valueCoding"]["code"], "N");
  EXPECT_EQ((*fever)["answer"][0]["valueCoding"]["system"], kYesNoSystem);
  EXPECT_TRUE(absl::StrContains(text, R"("code":"ASKU")"));
  EXPECT_TRUE(absl::StrContains(text, R"({"valueString":"stairs"})"));
  EXPECT_FALSE(absl::StrContains(text, "red_flags.foot")) << "never mentioned";
}

TEST_F(FhirTest, RiskAssessmentCarriesTheLevelAndTheirWords) {
  const json bundle = Bundle(TestState());
  const json& risk = Resource(bundle, "RiskAssessment");
  EXPECT_EQ(risk["status"], "final");
  std::string patient_url, response_url;
  for (const auto& entry : bundle["entry"]) {
    if (entry["resource"]["resourceType"] == "Patient")
      patient_url = entry["fullUrl"];
    if (entry["resource"]["resourceType"] == "QuestionnaireResponse")
      response_url = entry["fullUrl"];
  }
  EXPECT_EQ(risk["subject"]["reference"], patient_url);
  EXPECT_EQ(risk["basis"][0]["reference"], response_url);
  const json& coding = risk["prediction"][0]["qualitativeRisk"]["coding"][0];
  EXPECT_EQ(coding["system"], kTriageLevelSystem);
  EXPECT_EQ(coding["code"], "URGENT");
  EXPECT_EQ(risk["mitigation"], "Get seen today at an urgent care centre.");
  EXPECT_TRUE(absl::StrContains(
      risk["note"][0]["text"].get<std::string>(),
      "Possible broken bone. The person's words: \"I fell off the ladder"));
  EXPECT_TRUE(IsInstant(risk["occurrenceDateTime"]));
}

TEST_F(FhirTest, PatientHasOnlyTheContactGivenWithConsent) {
  json patient = Resource(Bundle(TestState()), "Patient");
  EXPECT_EQ(patient["telecom"][0]["system"], "phone");
  EXPECT_EQ(patient["telecom"][0]["value"], "07700 900123");
  engine::v1::SessionState state = TestState();
  state.set_handoff_contact("sam@example.org");
  patient = Resource(Bundle(state), "Patient");
  EXPECT_EQ(patient["telecom"][0]["system"], "email");
  state.clear_handoff_contact();
  patient = Resource(Bundle(state), "Patient");
  EXPECT_EQ(patient, json({{"resourceType", "Patient"}}));
}

TEST_F(FhirTest, AConversationWithNothingDecidedIsInProgress) {
  engine::v1::SessionState state;
  state.mutable_session()->set_session_id("abc");
  state.mutable_session()->set_state("gathering");
  const json bundle = Bundle(state);
  const json& r = Resource(bundle, "QuestionnaireResponse");
  EXPECT_EQ(r["status"], "in-progress");
  EXPECT_FALSE(r.contains("item")) << "no empty groups";
  const json& risk = Resource(bundle, "RiskAssessment");
  EXPECT_EQ(risk["status"], "preliminary");
  EXPECT_EQ(risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"],
            "NOT_DECIDED");
}

}  // namespace
}  // namespace kneechat

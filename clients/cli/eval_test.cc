#include "clients/cli/eval.h"

#include <unistd.h>

#include <fstream>
#include <map>

#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"

namespace kneechat::cli {
namespace {

using ::testing::ElementsAre;

v1::Reply Question(const std::string& asking) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(asking);
  reply.set_text("Tell me about " + asking + ".");
  return reply;
}

v1::Reply Answer(const std::string& document_id, const std::string& excerpt) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.set_text("The articles say [1].");
  reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_SELF_CARE);
  v1::Citation* citation = reply.add_citations();
  citation->set_number(1);
  citation->set_document_id(document_id);
  citation->set_passage_id(document_id + "#1");
  citation->set_excerpt(excerpt);
  return reply;
}

// Replies to the n-th SendMessage with replies[n], then repeats the last.
class ScriptedEvalTest : public FakeServerTest {
 protected:
  void Script(std::vector<v1::Reply> replies) {
    engine_.on_create_session = [](const v1::CreateSessionRequest&)
        -> absl::StatusOr<v1::CreateSessionResponse> {
      v1::CreateSessionResponse response;
      response.set_session_id("s1");
      response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
      return response;
    };
    engine_.on_send_message = [this, replies](const v1::SendMessageRequest&)
        -> absl::StatusOr<v1::SendMessageResponse> {
      const size_t n = engine_.sent_messages().size() - 1;
      v1::SendMessageResponse response;
      *response.mutable_reply() = replies[std::min(n, replies.size() - 1)];
      return response;
    };
  }

  std::vector<std::string> SentTexts() const {
    std::vector<std::string> texts;
    for (const auto& request : engine_.sent_messages()) {
      texts.push_back(request.text());
    }
    return texts;
  }
};

TEST_F(ScriptedEvalTest, PlaysTurnsProfileAnswersAndQuestions) {
  Script({Question("duration"), Question("location"),
          Answer("patellofemoral-pain", "Hip strength matters."),
          Answer("patellofemoral-pain",
                 "Shoe inserts may help. Call Premier Sports today.")});
  const Json scenario = Json::parse(R"({
    "id": "d01", "turns": ["my knee is sore at the front whenever I run"],
    "given": ["location", "activity"], "profile": {"duration": "three weeks"},
    "expect": {"level": "SELF_CARE", "levels_ok": ["SELF_CARE"],
               "docs_any": ["patellofemoral-pain"], "terms_any": ["hip"]},
    "questions": [{"q": "can shoe inserts help?",
                   "docs_any": ["patellofemoral-pain"],
                   "terms_any": ["insert"]},
                  {"q": "thanks"}]})");
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, EvalOptions());
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_THAT(
      SentTexts(),
      ElementsAre("my knee is sore at the front whenever I run", "three weeks",
                  "I'm not sure", "can shoe inserts help?", "thanks"));
  EXPECT_EQ(engine_.sent_messages()[0].message_id(), "d01-1");
  EXPECT_EQ(engine_.sent_messages()[4].message_id(), "d01-5");
  EXPECT_EQ(engine_.created_sessions()[0].channel(), "eval");
  EXPECT_EQ(DumpLikePython(*row),
            R"({"id": "d01", "max_level": "SELF_CARE", )"
            R"("expected_level": "SELF_CARE", "questions": 2, )"
            R"("asked": ["duration", "location"], "answered": true, )"
            R"("red_flags": [], "qa": [{"q": "can shoe inserts help?", )"
            R"("kind": "ANSWER", "docs": ["patellofemoral-pain"], )"
            R"("hit": true}], "critical_miss": false, "under_triage": false, )"
            R"("false_alarm": false, "exact": true, "reasked": ["location"], )"
            R"("looped": false, "asked_twice": [], )"
            R"("answer_kind": "ANSWER", )"
            R"("answer_docs": ["patellofemoral-pain"], "cited": true, )"
            R"("topic_hit": true, "terms_hit": true, )"
            R"("spam": ["call premier sports"]})");
}

TEST_F(ScriptedEvalTest, BenignCaseAnswersFromDefaultsAndStopsAfterSix) {
  Script({Question("age")});
  const Json scenario = Json::parse(
      R"({"id": "v31", "turns": ["sore knee"],
          "expect": {"level": "SELF_CARE"}})");
  EvalOptions options;
  options.verbose = true;
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, options);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_THAT(SentTexts(),
              ElementsAre("sore knee", "I'm 35.", "I'm 35.", "I'm 35.",
                          "I'm 35.", "I'm 35.", "I'm 35."));
  EXPECT_EQ((*row)["questions"], 7);
  EXPECT_EQ((*row)["answered"], false);
  EXPECT_EQ((*row)["max_level"], "TRIAGE_LEVEL_UNSPECIFIED");
  EXPECT_EQ((*row)["under_triage"], true);
  EXPECT_FALSE(row->contains("cited"));
  // Greeting, then a user and a bot entry per message.
  EXPECT_EQ((*row)["log"].size(), 1u + 2 * 7);
}

TEST_F(ScriptedEvalTest, RedFlagCaseGetsNoDefaultsAndCountsTheMiss) {
  v1::Reply referral = Question("red_flags");
  Script({referral});
  const Json scenario = Json::parse(
      R"({"id": "v09", "turns": ["fell and heard a crack"],
          "expect": {"level": "URGENT", "red_flag": "fracture",
                     "levels_ok": ["URGENT", "EMERGENCY"]}})");
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, EvalOptions());
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(SentTexts()[1], "I'm not sure");
  EXPECT_EQ((*row)["critical_miss"], true);
  EXPECT_EQ((*row)["exact"], false);
}

TEST_F(ScriptedEvalTest, ReferralIsTheAnswerAndItsLevelCounts) {
  v1::Reply referral;
  referral.set_kind(v1::REPLY_KIND_REFERRAL);
  referral.mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  v1::RedFlag* flag = referral.mutable_triage()->add_red_flags();
  flag->set_id("septic_arthritis");
  Script({referral});
  const Json scenario = Json::parse(
      R"({"id": "v01", "turns": ["hot swollen knee", "fever 38.9"],
          "expect": {"level": "EMERGENCY", "levels_ok": ["EMERGENCY"]}})");
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, EvalOptions());
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(SentTexts().size(), 2u);
  EXPECT_EQ((*row)["max_level"], "EMERGENCY");
  EXPECT_EQ((*row)["answer_kind"], "REFERRAL");
  EXPECT_EQ((*row)["red_flags"], Json::array({"septic_arthritis"}));
  EXPECT_EQ((*row)["exact"], true);
  EXPECT_EQ((*row)["cited"], false);
}

TEST_F(ScriptedEvalTest, ReferralThatAsksIsAnsweredFromTheProfile) {
  v1::Reply urgent;
  urgent.set_kind(v1::REPLY_KIND_REFERRAL);
  urgent.set_asking("weight_bearing");
  urgent.mutable_triage()->set_level(v1::TRIAGE_LEVEL_URGENT);
  v1::Reply emergency;
  emergency.set_kind(v1::REPLY_KIND_REFERRAL);
  emergency.mutable_triage()->set_level(v1::TRIAGE_LEVEL_EMERGENCY);
  Script({urgent, emergency});
  const Json scenario = Json::parse(
      R"({"id": "v02", "turns": ["fell down the step, felt a pop"],
          "profile": {"weight_bearing": "no, it gives way under me"},
          "expect": {"level": "EMERGENCY", "levels_ok": ["EMERGENCY"]}})");
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, EvalOptions());
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_THAT(SentTexts(), ElementsAre("fell down the step, felt a pop",
                                       "no, it gives way under me"));
  EXPECT_EQ((*row)["max_level"], "EMERGENCY");
  EXPECT_EQ((*row)["answer_kind"], "REFERRAL");
  EXPECT_EQ((*row)["exact"], true);
}

TEST_F(ScriptedEvalTest, RpcErrorIsReturned) {
  engine_.on_create_session = [](const v1::CreateSessionRequest&)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    return absl::ResourceExhaustedError("too many sessions");
  };
  const Json scenario = Json::parse(R"({"id": "x", "turns": ["hi"]})");
  absl::StatusOr<Json> row = PlayScenario(*stub_, scenario, EvalOptions());
  EXPECT_EQ(row.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(SummariseTest, FiguresFollowTheScorersRules) {
  std::vector<Json> rows;
  rows.push_back(Json::parse(
      R"({"id": "a", "expected_level": "SELF_CARE", "questions": 2,
          "qa": [{"hit": true}], "critical_miss": false,
          "under_triage": false, "false_alarm": false, "exact": true,
          "reasked": ["location"], "cited": true, "topic_hit": true,
          "terms_hit": false, "spam": []})"));
  rows.push_back(Json::parse(
      R"({"id": "b", "expected_level": "URGENT", "questions": 0,
          "qa": [{"hit": false}], "critical_miss": true,
          "under_triage": true, "false_alarm": false, "exact": false,
          "reasked": [], "spam": ["33% off", "top of page"]})"));
  rows.push_back(Json::parse(
      R"({"id": "c", "expected_level": "SOON", "questions": 5, "qa": [],
          "critical_miss": false, "under_triage": false,
          "false_alarm": true, "exact": false, "reasked": [], "spam": []})"));
  rows.push_back(
      ErrorRow(Json::parse(R"({"id": "d", "expect": {"level": "EMERGENCY"}})"),
               "UNAVAILABLE: down"));
  rows.push_back(Json::parse(
      R"({"id": "e", "expected_level": null, "questions": 1, "qa": [],
          "reasked": [], "spam": []})"));
  EXPECT_EQ(DumpLikePython(Summarise(rows)),
            R"({"scenarios": 5, "errors": 1, "critical_misses": 2, )"
            R"("urgent_cases": 2, "under_triaged": 2, )"
            R"("false_alarm_rate": 0.5, "exact_level": 0.25, )"
            R"("self_care_answered_with_citations": 1.0, "topic_hit": 1.0, )"
            R"("terms_hit": 0.0, "qa_hit": 0.5, "mean_questions": 2.0, )"
            R"("max_questions": 2, "reasked": 1, "looped": 0, )"
            R"("asked_twice": 0, "self_care_never_answered": 1, )"
            R"("spam_citations": 2})");
}

TEST(SummariseTest, EmptyGroupsAreNullAndRatiosRoundLikePython) {
  EXPECT_EQ(DumpLikePython(Summarise({})),
            R"({"scenarios": 0, "errors": 0, "critical_misses": 0, )"
            R"("urgent_cases": 0, "under_triaged": 0, )"
            R"("false_alarm_rate": null, "exact_level": null, )"
            R"("self_care_answered_with_citations": null, "topic_hit": null, )"
            R"("terms_hit": null, "qa_hit": null, "mean_questions": null, )"
            R"("max_questions": 0, "reasked": 0, "looped": 0, )"
            R"("asked_twice": 0, "self_care_never_answered": 0, )"
            R"("spam_citations": 0})");
  // 1/16 = 0.0625 exactly: Python's round() gives 0.062 (ties to even);
  // 2/3 gives 0.667.
  std::vector<Json> rows;
  for (int i = 0; i < 16; ++i) {
    rows.push_back({{"expected_level", "SELF_CARE"},
                    {"questions", i < 2 ? 1 : 0},
                    {"exact", i == 0},
                    {"qa", Json::array()},
                    {"reasked", Json::array()},
                    {"spam", Json::array()}});
  }
  const Json summary = Summarise(rows);
  EXPECT_EQ(summary["exact_level"].dump(), "0.062");
  EXPECT_EQ(summary["mean_questions"].dump(), "0.12");
}

TEST_F(ScriptedEvalTest, SearchEvalScoresTopThreeAndSpam) {
  engine_.on_search = [](const v1::SearchRequest& request)
      -> absl::StatusOr<v1::SearchResponse> {
    v1::SearchResponse response;
    if (request.query() == "knee brace") {
      for (const char* doc : {"what-is-knee-pain", "what-is-knee-pain",
                              "what-is-knee-pain", "patellofemoral-pain"}) {
        v1::Passage* passage = response.add_passages();
        passage->set_document_id(doc);
        passage->set_text("A Knee BRACE helps.");
      }
    } else if (request.query() == "cellulite") {
      response.add_passages()->set_text("You may like: Cellulite tips");
    }
    return response;
  };
  const std::vector<Json> queries = {
      Json::parse(R"({"q": "knee brace", "docs_any": ["patellofemoral-pain"],
                      "terms_any": ["brace"]})"),
      Json::parse(R"({"q": "knee brace", "docs_any": ["what-is-knee-pain"],
                      "terms_any": ["brace"]})"),
      Json::parse(R"({"q": "cellulite", "docs_any": [], "terms_any": [],
                      "expect_empty_or_clean": true})"),
      Json::parse(R"({"q": "banana", "docs_any": [], "terms_any": [],
                      "expect_empty_or_clean": true})")};
  absl::StatusOr<SearchEvalResult> result =
      RunSearchEval(*stub_, queries, EvalOptions());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(DumpLikePython(result->summary),
            R"({"queries": 4, "hit_at_3": 0.5, "spam": 1})");
  EXPECT_EQ(result->rows[2]["spam"], Json::array({"cellulite"}));
  for (const auto& search : engine_.searches()) {
    EXPECT_EQ(search.page_size(), 3);
  }
}

TEST(ReadJsonLinesTest, SkipsBlankAndCommentLinesAndNamesBadOnes) {
  const std::string path = ::testing::TempDir() + "/scenarios_" +
                           std::to_string(getpid()) + ".jsonl";
  {
    std::ofstream file(path);
    file << "{\"id\": 1}\n\n// a comment\n  {\"id\": 2}  \n";
  }
  absl::StatusOr<std::vector<Json>> lines = ReadJsonLines(path);
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[1]["id"], 2);
  {
    std::ofstream file(path);
    file << "{\"id\": 1}\n{oops\n";
  }
  EXPECT_EQ(ReadJsonLines(path).status().message(),
            path + ":2: not a JSON object");
  EXPECT_EQ(ReadJsonLines(path + ".missing").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DumpLikePythonTest, MatchesJsonDumpsLayout) {
  const Json value = {{"a", 1},         {"b", 0.5},
                      {"c", nullptr},   {"d", 1.0},
                      {"e", true},      {"f", Json::array({"x", 2})},
                      {"g", "\xc3\xa9"}};
  EXPECT_EQ(DumpLikePython(value),
            R"({"a": 1, "b": 0.5, "c": null, "d": 1.0, "e": true, )"
            R"("f": ["x", 2], "g": "\u00e9"})");
}

}  // namespace
}  // namespace kneechat::cli

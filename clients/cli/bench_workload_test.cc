#include "clients/cli/bench_workload.h"

#include <unistd.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat::cli {
namespace {

using Step = ConversationScript::Step;

v1::Reply Question(const std::string& slot) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(slot);
  return reply;
}

v1::Reply OfKind(v1::ReplyKind kind) {
  v1::Reply reply;
  reply.set_kind(kind);
  return reply;
}

Conversation TwoTurns() {
  Conversation conversation;
  conversation.turns = {"hi", "my knee hurts on stairs"};
  conversation.profile = {{"age", "52"}};
  conversation.questions = {"does a brace help?", "and ice?"};
  return conversation;
}

TEST(ConversationScriptTest, PlaysTurnsAnswersQuestionsThenDeletes) {
  const Conversation conversation = TwoTurns();
  ConversationScript script(conversation);
  EXPECT_EQ(script.step(), Step::kCreate);
  const v1::Reply greeting = OfKind(v1::REPLY_KIND_GREETING);
  script.Advance(&greeting);
  ASSERT_EQ(script.step(), Step::kSend);
  EXPECT_EQ(script.text(), "hi");

  // A question after a turn that is not the last is not answered yet.
  const v1::Reply age = Question("age");
  script.Advance(&age);
  EXPECT_EQ(script.text(), "my knee hurts on stairs");
  script.Advance(&age);
  EXPECT_EQ(script.text(), "52");  // from the profile
  const v1::Reply swelling = Question("swelling");
  script.Advance(&swelling);
  EXPECT_EQ(script.text(), "not swollen");  // a plain default
  const v1::Reply unknown = Question("colour_of_socks");
  script.Advance(&unknown);
  EXPECT_EQ(script.text(), "not sure");
  const v1::Reply answer = OfKind(v1::REPLY_KIND_ANSWER);
  script.Advance(&answer);
  EXPECT_EQ(script.text(), "does a brace help?");
  script.Advance(&answer);
  EXPECT_EQ(script.text(), "and ice?");
  script.Advance(&answer);
  EXPECT_EQ(script.step(), Step::kDelete);
  script.Advance(nullptr);
  EXPECT_EQ(script.step(), Step::kDone);
}

TEST(ConversationScriptTest, StopsAnsweringAfterTheLimit) {
  const Conversation conversation = TwoTurns();
  ConversationScript script(conversation, /*max_answers=*/2);
  script.Advance(nullptr);  // created
  const v1::Reply age = Question("age");
  script.Advance(&age);  // "hi"
  script.Advance(&age);  // the last turn
  EXPECT_EQ(script.text(), "52");
  script.Advance(&age);
  EXPECT_EQ(script.text(), "52");
  script.Advance(&age);  // a third question is not answered
  EXPECT_EQ(script.text(), "does a brace help?");
}

TEST(ConversationScriptTest, NoQuestionsGoesStraightToDelete) {
  Conversation conversation;
  conversation.turns = {"my knee is hot and red and I have a fever"};
  ConversationScript script(conversation);
  script.Advance(nullptr);
  const v1::Reply referral = OfKind(v1::REPLY_KIND_REFERRAL);
  script.Advance(&referral);
  EXPECT_EQ(script.step(), Step::kDelete);
}

TEST(DefaultsTest, EveryDefaultConversationHasTurnsAndQueriesExist) {
  EXPECT_FALSE(DefaultSearchQueries().empty());
  ASSERT_FALSE(DefaultConversations().empty());
  for (const Conversation& conversation : DefaultConversations()) {
    EXPECT_FALSE(conversation.turns.empty()) << conversation.id;
  }
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string path = ::testing::TempDir() + "/" + test->name() + "_" +
                           std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(LoadConversationsTest, ReadsTurnsProfileAndQuestionsOfEitherShape) {
  const std::string path = WriteFile(
      "conversations.jsonl",
      "// a comment\n"
      R"({"id": "a", "turns": ["sore knee"], "profile": {"age": "30", )"
      R"("n": 5}, "questions": [{"q": "brace?"}, "ice?"], "expect": {}})"
      "\n\n"
      R"({"turns": ["one", "two"], "expect_level": "URGENT"})"
      "\n");
  const auto conversations = LoadConversations(path);
  ASSERT_TRUE(conversations.ok()) << conversations.status();
  ASSERT_EQ(conversations->size(), 2u);
  const Conversation& first = (*conversations)[0];
  EXPECT_EQ(first.id, "a");
  EXPECT_THAT(first.turns, ::testing::ElementsAre("sore knee"));
  EXPECT_EQ(first.profile.size(), 1u);
  EXPECT_EQ(first.profile.at("age"), "30");
  EXPECT_THAT(first.questions, ::testing::ElementsAre("brace?", "ice?"));
  EXPECT_EQ((*conversations)[1].id, "#2");
  EXPECT_EQ((*conversations)[1].turns.size(), 2u);
}

TEST(LoadConversationsTest, RejectsMissingTurnsEmptyFilesAndMissingFiles) {
  EXPECT_EQ(LoadConversations(WriteFile("no_turns.jsonl", R"({"id": "x"})"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadConversations(WriteFile("empty.jsonl", "\n")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      LoadConversations(::testing::TempDir() + "/absent.jsonl").status().code(),
      absl::StatusCode::kNotFound);
}

TEST(LoadConversationsTest, ReadsTheProjectsScenarioFiles) {
  for (const char* path : {"../../tests/scenarios/conversations.jsonl",
                           "../../tests/followups/own_tune.jsonl",
                           "../../tests/triage/regression.jsonl"}) {
    const auto conversations = LoadConversations(path);
    ASSERT_TRUE(conversations.ok()) << path << ": " << conversations.status();
    EXPECT_GT(conversations->size(), 5u) << path;
  }
}

}  // namespace
}  // namespace kneechat::cli

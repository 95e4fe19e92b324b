#include "clients/cli/review.h"

#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"

namespace kneechat::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Reply Question(const std::string& asking) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_QUESTION);
  reply.set_asking(asking);
  reply.set_text("Tell me about " + asking + ".");
  return reply;
}

v1::Reply Answer(const std::vector<std::pair<std::string, std::string>>& cited,
                 v1::TriageLevel level = v1::TRIAGE_LEVEL_SELF_CARE) {
  v1::Reply reply;
  reply.set_kind(v1::REPLY_KIND_ANSWER);
  reply.mutable_triage()->set_level(level);
  std::string text = "Here is what the articles say:";
  int n = 0;
  for (const auto& [passage, excerpt] : cited) {
    v1::Citation* c = reply.add_citations();
    c->set_number(++n);
    c->set_document_id("patellofemoral-pain");
    c->set_passage_id(passage);
    c->set_excerpt(excerpt);
    text += "\n• " + excerpt + " [" + std::to_string(n) + "]";
  }
  text += "\nGet care the same day if it becomes hot or red.";
  reply.set_text(text);
  return reply;
}

Replay Conversation(std::vector<ReplayedTurn> turns) {
  v1::Reply greeting;
  greeting.set_kind(v1::REPLY_KIND_GREETING);
  greeting.set_text("Hello.");
  turns.insert(turns.begin(), ReplayedTurn{"", greeting});
  return Replay{"c01", std::move(turns)};
}

TEST(DescribeChangesTest, NothingForTheSameReplies) {
  const Replay replay = Conversation(
      {{"my knee hurts", Question("location")},
       {"at the front", Answer({{"12", "Hip strength matters."}})}});
  EXPECT_EQ(DescribeChanges({replay}, {replay}), "");
  EXPECT_EQ(DescribeChanges({}, {}), "");
}

TEST(DescribeChangesTest, CitationsThatCameAndWentAndChangedQuotes) {
  const Replay before = Conversation(
      {{"my knee hurts", Question("location")},
       {"at the front", Answer({{"12", "Hip strength matters for runners."},
                                {"13", "Rest from running for a while."}})}});
  const Replay after =
      Conversation({{"my knee hurts", Question("location")},
                    {"at the front",
                     Answer({{"12", "Hip strength matters a lot for runners."},
                             {"14", "Insoles may help."}})}});
  const std::string report = DescribeChanges({before}, {after});
  EXPECT_THAT(report, HasSubstr("c01 turn 2 (\"at the front\")\n"));
  EXPECT_THAT(report, Not(HasSubstr("turn 1")));
  EXPECT_THAT(report, HasSubstr("citations: +patellofemoral-pain#14 "
                                "-patellofemoral-pain#13"));
  EXPECT_THAT(report, HasSubstr("quote of patellofemoral-pain#12 changed:"));
  EXPECT_THAT(report, HasSubstr("  - Hip strength matters for runners."));
  EXPECT_THAT(report, HasSubstr("  + Hip strength matters a lot for runners."));
  EXPECT_THAT(report, HasSubstr("text:\n"));
  EXPECT_THAT(report, HasSubstr("    + • Insoles may help. [2]"));
  // Unchanged lines are not shown.
  EXPECT_THAT(report, Not(HasSubstr("Get care the same day")));
  EXPECT_THAT(report, Not(HasSubstr("kind:")));
}

TEST(DescribeChangesTest, APassageIdThatNamesItsDocumentIsShownOnce) {
  const Replay before = Conversation({{"x", Answer({{"12", "Rest."}})}});
  const Replay after = Conversation(
      {{"x", Answer({{"patellofemoral-pain#13", "Ice it."}})}});
  EXPECT_THAT(DescribeChanges({before}, {after}),
              HasSubstr("citations: +patellofemoral-pain#13 "
                        "-patellofemoral-pain#12\n"));
}

TEST(DescribeChangesTest, KindAskingTriageAndRedFlagsThatMoved) {
  v1::Reply referral;
  referral.set_kind(v1::REPLY_KIND_REFERRAL);
  referral.set_text("Please be seen today.");
  referral.mutable_triage()->set_level(v1::TRIAGE_LEVEL_URGENT);
  referral.mutable_triage()->add_red_flags()->set_id("hot_swollen_knee");
  const Replay before =
      Conversation({{"my knee is hot", Question("swelling")}});
  const Replay after = Conversation({{"my knee is hot", referral}});
  const std::string report = DescribeChanges({before}, {after});
  EXPECT_THAT(report, HasSubstr("kind: QUESTION -> REFERRAL"));
  EXPECT_THAT(report, HasSubstr("asking: swelling -> (none)"));
  EXPECT_THAT(report, HasSubstr("triage: UNSPECIFIED -> URGENT"));
  EXPECT_THAT(report, HasSubstr("red flags: +hot_swollen_knee"));
}

TEST(DescribeChangesTest, APathThatPartsShowsTurnsPlayedOnOneSideOnly) {
  const Replay before = Conversation(
      {{"my knee hurts", Question("location")},
       {"at the front", Answer({{"12", "Hip strength matters."}})}});
  const Replay after = Conversation(
      {{"my knee hurts", Question("location")},
       {"at the front", Question("duration")},
       {"I'm not sure", Answer({{"12", "Hip strength matters."}})}});
  const std::string report = DescribeChanges({before}, {after});
  EXPECT_THAT(report, HasSubstr("kind: ANSWER -> QUESTION"));
  EXPECT_THAT(report, HasSubstr("c01 turn 3 (\"I'm not sure\")\n"
                                "  only after: ANSWER"));
}

TEST(DescribeChangesTest, LongLinesAreShownAroundTheirFirstDifference) {
  const std::string head(300, 'a');
  const Replay before =
      Conversation({{"x", Answer({{"1", head + " old ending"}})}});
  const Replay after =
      Conversation({{"x", Answer({{"1", head + " new ending"}})}});
  const std::string report = DescribeChanges({before}, {after});
  EXPECT_THAT(report, HasSubstr("…" + std::string(39, 'a') + " old ending"));
  EXPECT_THAT(report, HasSubstr("…" + std::string(39, 'a') + " new ending"));
  EXPECT_THAT(report, Not(HasSubstr(std::string(60, 'a'))));
}

class ReplayScenariosTest : public FakeServerTest {};

TEST_F(ReplayScenariosTest, RecordsTheGreetingThenEveryMessageAndReply) {
  engine_.on_create_session = [](const v1::CreateSessionRequest&)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    v1::CreateSessionResponse response;
    response.set_session_id("s1");
    response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
    return response;
  };
  engine_.on_send_message = [this](const v1::SendMessageRequest&)
      -> absl::StatusOr<v1::SendMessageResponse> {
    v1::SendMessageResponse response;
    *response.mutable_reply() = engine_.sent_messages().size() == 1
                                    ? Question("duration")
                                    : Answer({{"12", "Hip strength."}});
    return response;
  };
  const Json scenario = Json::parse(R"({
    "id": "r1", "turns": ["sore kneecap on runs"],
    "profile": {"duration": "three weeks"},
    "expect": {"level": "SELF_CARE"}})");
  absl::StatusOr<std::vector<Replay>> replays =
      ReplayScenarios(*stub_, {scenario}, absl::Seconds(5));
  ASSERT_TRUE(replays.ok()) << replays.status();
  ASSERT_EQ(replays->size(), 1u);
  const Replay& replay = (*replays)[0];
  EXPECT_EQ(replay.id, "r1");
  ASSERT_EQ(replay.turns.size(), 3u);
  EXPECT_EQ(replay.turns[0].said, "");
  EXPECT_EQ(replay.turns[0].reply.kind(), v1::REPLY_KIND_GREETING);
  EXPECT_EQ(replay.turns[1].said, "sore kneecap on runs");
  EXPECT_EQ(replay.turns[2].said, "three weeks");
  EXPECT_EQ(replay.turns[2].reply.kind(), v1::REPLY_KIND_ANSWER);
}

TEST_F(ReplayScenariosTest, AnErrorNamesTheScenario) {
  engine_.on_create_session = [](const v1::CreateSessionRequest&)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    return absl::UnavailableError("down");
  };
  const Json scenario = Json::parse(R"({"id": "r2", "turns": ["hi"]})");
  absl::StatusOr<std::vector<Replay>> replays =
      ReplayScenarios(*stub_, {scenario}, absl::Seconds(5));
  ASSERT_FALSE(replays.ok());
  EXPECT_THAT(replays.status().message(), HasSubstr("scenario r2"));
}

}  // namespace
}  // namespace kneechat::cli

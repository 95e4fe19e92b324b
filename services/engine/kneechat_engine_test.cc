// The engine end to end in process, over the real corpus and the index the
// build made: sessions, idempotency, TTL, errors and the dialogue's rules.
#include "services/engine/kneechat_engine.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/retrieval/searcher.h"

namespace kneechat {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.clock = &clock_;
    options.max_sessions = 50;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
  }

  std::string NewSession() {
    v1::CreateSessionRequest request;
    request.set_channel("test");
    auto created = engine_->CreateSession(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created->session_id();
  }

  absl::StatusOr<v1::Reply> Send(const std::string& session,
                                 const std::string& text,
                                 const std::string& message_id = "") {
    v1::SendMessageRequest request;
    request.set_session_id(session);
    request.set_text(text);
    request.set_message_id(message_id.empty() ? "m" + std::to_string(++counter_)
                                              : message_id);
    auto response = engine_->SendMessage(request);
    if (!response.ok()) return response.status();
    return response->reply();
  }

  // Answers questions from `profile` until an answer, referral or 8 turns.
  std::vector<v1::Reply> Converse(
      const std::string& session, const std::vector<std::string>& turns,
      const std::map<std::string, std::string>& profile) {
    std::vector<v1::Reply> replies;
    for (const auto& t : turns) {
      auto r = Send(session, t);
      EXPECT_TRUE(r.ok()) << r.status();
      replies.push_back(*r);
    }
    for (int i = 0; i < 8 && !replies.empty() &&
                    replies.back().kind() == v1::REPLY_KIND_QUESTION;
         ++i) {
      auto it = profile.find(replies.back().asking());
      auto r = Send(session, it == profile.end() ? "I'm not sure" : it->second);
      EXPECT_TRUE(r.ok()) << r.status();
      replies.push_back(*r);
    }
    return replies;
  }

  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  int counter_ = 0;
};

const std::map<std::string, std::string> kBenignProfile = {
    {"location", "around the kneecap"}, {"activity", "running"},
    {"duration", "three weeks"},        {"age", "31"},
    {"onset", "gradually, no injury"},  {"swelling", "no"},
    {"weight_bearing", "yes"},          {"red_flags", "none of those"}};

TEST_F(EngineTest, CreateSessionGreets) {
  v1::CreateSessionRequest request;
  request.set_channel("web");
  auto created = engine_->CreateSession(request);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->session_id().size(), 32u);
  EXPECT_EQ(created->reply().kind(), v1::REPLY_KIND_GREETING);
  EXPECT_FALSE(created->reply().text().empty());
}

// The engine's clock dates an injury told by its month (the fake clock
// starts on 14 November 2023): a fall in September at 70, walked on since,
// is not sent for a same-day X-ray; one in November may be days old and is.
TEST_F(EngineTest, TheClockDatesAnInjuryToldByItsMonth) {
  auto september =
      Send(NewSession(), "I'm 70 and I slipped on the ice in September");
  ASSERT_TRUE(september.ok()) << september.status();
  EXPECT_LT(september->triage().level(), v1::TRIAGE_LEVEL_URGENT);
  auto november =
      Send(NewSession(), "I'm 70 and I slipped on the ice in November");
  ASSERT_TRUE(november.ok()) << november.status();
  EXPECT_EQ(november->triage().level(), v1::TRIAGE_LEVEL_URGENT);
}

// An older person's fall told without its time: kneechat asks when it
// happened (as the duration) before age alone sends anyone for an X-ray.
// Weeks ago and settled: no same-day referral. Today, "not sure", or no
// answer it can read twice: the same-day X-ray, and the question is not
// asked a third time.
TEST_F(EngineTest, AnOlderPersonsFallIsDatedBeforeAgeDecides) {
  const std::map<std::string, std::string> profile = {
      {"weight_bearing", "yes, I can get about on it"},
      {"location", "the front"},
      {"swelling", "no"},
      {"red_flags", "no, none of those"}};
  auto play = [&](const std::string& when) {
    std::map<std::string, std::string> with_time = profile;
    with_time["duration"] = when;
    return Converse(NewSession(),
                    {"I'm 74 and I tripped over the hose and landed on my "
                     "knee, it's a bit sore"},
                    with_time);
  };
  auto level_and_time_asks = [](const std::vector<v1::Reply>& replies) {
    int asks = 0;
    v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
    for (const v1::Reply& r : replies) {
      if (r.kind() == v1::REPLY_KIND_QUESTION && r.asking() == "duration") {
        ++asks;
      }
      level = std::max(level, r.triage().level());
    }
    return std::make_pair(level, asks);
  };
  auto [old_level, old_asks] = level_and_time_asks(play("about six weeks ago"));
  EXPECT_LT(old_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(old_asks, 1);
  auto [today_level, today_asks] = level_and_time_asks(play("this morning"));
  EXPECT_EQ(today_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(today_asks, 1);
  auto [unsure_level, unsure_asks] = level_and_time_asks(play("not sure"));
  EXPECT_EQ(unsure_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(unsure_asks, 1);
  auto [unread_level, unread_asks] =
      level_and_time_asks(play("purple elephants"));
  EXPECT_EQ(unread_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(unread_asks, 2);
  // A yes is not a time: asked once more, then taken as not known.
  auto [yes_level, yes_asks] = level_and_time_asks(play("yes it was"));
  EXPECT_EQ(yes_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(yes_asks, 2);
  // A reply that tells something else instead is not waited on.
  auto [other_level, other_asks] =
      level_and_time_asks(play("it's gone a bit puffy at the front"));
  EXPECT_EQ(other_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(other_asks, 1);
  // A hedged range is read at its lower end.
  auto [range_level, range_asks] =
      level_and_time_asks(play("not sure, a week or two maybe"));
  EXPECT_EQ(range_level, v1::TRIAGE_LEVEL_URGENT);
  auto [long_level, long_asks] =
      level_and_time_asks(play("oh ages, must be two months"));
  EXPECT_LT(long_level, v1::TRIAGE_LEVEL_URGENT);
}

// A time told of "it" happening after the fall dates the fall, and so
// does a correction of an earlier reply.
TEST_F(EngineTest, ATimeToldAfterTheFallDatesIt) {
  const std::string weeks = NewSession();
  ASSERT_TRUE(Send(weeks, "I'm 66 and I went over on the kerb").ok());
  auto later = Send(weeks, "this was about five weeks ago, I walk fine now");
  ASSERT_TRUE(later.ok());
  EXPECT_LT(later->triage().level(), v1::TRIAGE_LEVEL_URGENT);
  const std::string corrected = NewSession();
  v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  for (const char* text :
       {"I'm 70 and I tripped and landed on my knee",
        "yes, I can get about on it", "no", "Weeks or months ago",
        "sorry, I got that wrong, it actually happened yesterday"}) {
    auto r = Send(corrected, text);
    ASSERT_TRUE(r.ok()) << r.status();
    level = std::max(level, r->triage().level());
  }
  EXPECT_EQ(level, v1::TRIAGE_LEVEL_URGENT);
}

TEST_F(EngineTest, BadInputIsRefusedAndLosesNothing) {
  const std::string s = NewSession();
  EXPECT_EQ(Send(s, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Send(s, "   \n ").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Send(s, std::string(5000, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Send(s, "knee \xFF\xFE").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Send("no-such-session", "hello").status().code(),
            absl::StatusCode::kNotFound);
  v1::GetSessionRequest get;
  get.set_session_id(s);
  EXPECT_EQ(engine_->GetSession(get)->session().transcript_size(), 1);
}

TEST_F(EngineTest, ChannelNamesAreShortIdentifiers) {
  for (const char* good : {"web", "telegram", "twilio-voice", "cli_2", ""}) {
    v1::CreateSessionRequest request;
    request.set_channel(good);
    auto created = engine_->CreateSession(request);
    EXPECT_TRUE(created.ok()) << good << ": " << created.status();
  }
  for (const std::string bad :
       {std::string("<script>\x00\x1b", 10), std::string("Web"),
        std::string("web chat"), std::string(33, 'a'),
        std::string("caf\xc3\xa9")}) {
    v1::CreateSessionRequest request;
    request.set_channel(bad);
    EXPECT_EQ(engine_->CreateSession(request).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST_F(EngineTest, RepeatedMessageIdReturnsSameReplyWithoutAdvancing) {
  const std::string s = NewSession();
  auto first = Send(s, "my knee is sore at the front whenever I run", "same");
  ASSERT_TRUE(first.ok());
  auto again = Send(s, "my knee is sore at the front whenever I run", "same");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->SerializeAsString(), again->SerializeAsString());
  v1::GetSessionRequest get;
  get.set_session_id(s);
  EXPECT_EQ(engine_->GetSession(get)->session().transcript_size(), 3);
}

TEST_F(EngineTest, StartingAgainStillAnswersARetriedMessageOnce) {
  const std::string s = NewSession();
  auto first = Send(s, "my knee is sore at the front whenever I run", "x1");
  ASSERT_TRUE(first.ok());
  auto restarted = Send(s, "start again", "x2");
  ASSERT_TRUE(restarted.ok());
  EXPECT_EQ(restarted->kind(), v1::REPLY_KIND_GREETING);
  // The first message retried after "start again" is the same message: it
  // gets its first reply again and does not start the story over.
  auto retried = Send(s, "my knee is sore at the front whenever I run", "x1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->text(), first->text());
  v1::GetSessionRequest get;
  get.set_session_id(s);
  auto shown = engine_->GetSession(get);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->session().transcript_size(), 5) << shown->DebugString();
  EXPECT_TRUE(shown->session().findings().empty()) << "the knee is forgotten";
  // Another text under a used id is still refused.
  EXPECT_EQ(Send(s, "something else", "x2").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(EngineTest, SessionsExpireAfterTtlAndCanBeDeleted) {
  const std::string s = NewSession();
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(Send(s, "hello").ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(Send(s, "my knee hurts").ok());
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(Send(s, "still there?").status().code(),
            absl::StatusCode::kNotFound);

  const std::string t = NewSession();
  v1::DeleteSessionRequest del;
  del.set_session_id(t);
  EXPECT_TRUE(engine_->DeleteSession(del).ok());
  v1::GetSessionRequest get;
  get.set_session_id(t);
  EXPECT_EQ(engine_->GetSession(get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(engine_->DeleteSession(del).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(EngineTest, AsksOnlyWhatIsMissingThenAnswersWithCitations) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"my knee is sore at the front whenever I run"},
                          kBenignProfile);
  std::multiset<std::string> asked;
  for (const auto& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION) asked.insert(r.asking());
  }
  EXPECT_EQ(asked.count("location"), 0u);
  EXPECT_EQ(asked.count("activity"), 0u);
  EXPECT_EQ(asked.count("red_flags"), 1u) << "serious signs must be screened";
  EXPECT_LE(asked.size(), 4u);
  const v1::Reply& answer = replies.back();
  ASSERT_EQ(answer.kind(), v1::REPLY_KIND_ANSWER) << answer.text();
  EXPECT_EQ(answer.triage().level(), v1::TRIAGE_LEVEL_SELF_CARE);
  ASSERT_GE(answer.citations_size(), 2);
  for (const auto& c : answer.citations()) {
    EXPECT_NE(answer.text().find("[" + std::to_string(c.number()) + "]"),
              std::string::npos);
  }
  EXPECT_EQ(answer.speech().find('['), std::string::npos);
  EXPECT_EQ(answer.speech().find("http"), std::string::npos);
}

TEST_F(EngineTest, EveryQuotedLineIsAnExactExcerptOfItsPassage) {
  auto searcher = Searcher::Open(DefaultDataPaths().index_dir,
                                 DefaultDataPaths().corpus_dir);
  ASSERT_TRUE(searcher.ok());
  const std::string s = NewSession();
  auto replies = Converse(
      s, {"pain under my kneecap whenever I jump, no injury"}, kBenignProfile);
  const v1::Reply& answer = replies.back();
  ASSERT_EQ(answer.kind(), v1::REPLY_KIND_ANSWER);
  for (const auto& c : answer.citations()) {
    auto passage = (*searcher)->GetPassage(c.passage_id());
    ASSERT_TRUE(passage.ok()) << c.passage_id();
    EXPECT_NE(passage->text.find(c.excerpt()), std::string::npos)
        << c.excerpt();
    EXPECT_NE(answer.text().find(c.excerpt()), std::string::npos);
  }
}

TEST_F(EngineTest, CorrectionChangesTheSlot) {
  const std::string s = NewSession();
  ASSERT_TRUE(Send(s, "my knee hurts on the inside when I run").ok());
  ASSERT_TRUE(Send(s, "actually it's the outside of the knee").ok());
  v1::GetSessionRequest get;
  get.set_session_id(s);
  auto session = engine_->GetSession(get);
  ASSERT_TRUE(session.ok());
  std::string location;
  for (const auto& slot : session->session().slots()) {
    if (slot.id() == "location") location = slot.value();
  }
  EXPECT_EQ(location, "outside");
}

TEST_F(EngineTest, RedFlagInterruptsAPendingQuestion) {
  const std::string s = NewSession();
  auto first = Send(s, "my knee is sore at the front whenever I run");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->kind(), v1::REPLY_KIND_QUESTION);
  auto referral = Send(s, "oh and now my foot has gone cold and numb");
  ASSERT_TRUE(referral.ok());
  EXPECT_EQ(referral->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(referral->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
  ASSERT_GE(referral->triage().red_flags_size(), 1);
  EXPECT_FALSE(referral->triage().red_flags(0).evidence().empty());
  // Afterwards no self-care advice contradicts the referral.
  auto later = Send(s, "should I just ice it and rest?");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(later->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
}

TEST_F(EngineTest, OffTopicGetsOutOfScope) {
  const std::string s = NewSession();
  auto reply = Send(s, "What's a nice recipe for lemon drizzle cake?");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->kind(), v1::REPLY_KIND_OUT_OF_SCOPE);
}

TEST_F(EngineTest, ChestPainInPassingIsAnEmergency) {
  const std::string s = NewSession();
  auto reply =
      Send(s,
           "my knee aches after football, also I've got crushing chest "
           "pain right now");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(reply->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
}

TEST_F(EngineTest, FollowUpQuestionsStayCited) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"my knee is sore at the front whenever I run"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  auto brace = Send(s, "what about a knee brace?");
  ASSERT_TRUE(brace.ok());
  EXPECT_EQ(brace->kind(), v1::REPLY_KIND_ANSWER);
  ASSERT_GE(brace->citations_size(), 1);
  auto uncovered = Send(s, "is it safe to take ibuprofen with warfarin?");
  ASSERT_TRUE(uncovered.ok());
  EXPECT_NE(uncovered->kind(), v1::REPLY_KIND_ANSWER);
}

TEST_F(EngineTest, AFollowUpWonderingAboutAnInjuryIsAnsweredNotInterviewed) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"front of my knee gets achy on longer runs"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  auto wondering =
      Send(s, "is this wear from running or have I damaged something?");
  ASSERT_TRUE(wondering.ok());
  EXPECT_NE(wondering->kind(), v1::REPLY_KIND_QUESTION) << wondering->text();
  // A new injury told in the same breath as a question still counts.
  auto told = Send(s, "I fell on it badly this morning, can I still run?");
  ASSERT_TRUE(told.ok());
  EXPECT_NE(told->kind(), v1::REPLY_KIND_ANSWER) << told->text();
}

TEST_F(EngineTest, FollowUpsEndWithAReminderUnlessAboutGettingCare) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"front of my knee gets achy on longer runs"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  const std::string first = replies.back().text();
  auto brace = Send(s, "are knee braces useful for this?");
  ASSERT_TRUE(brace.ok());
  ASSERT_EQ(brace->kind(), v1::REPLY_KIND_ANSWER);
  EXPECT_LT(brace->text().size(), first.size());
  EXPECT_EQ(brace->text().find("foot goes numb"), std::string::npos);
  auto worse = Send(s, "what if it is getting worse, when should I see a GP?");
  ASSERT_TRUE(worse.ok());
  EXPECT_NE(worse->text().find("foot goes numb"), std::string::npos)
      << worse->text();
}

TEST_F(EngineTest, DosesAndInteractionsGoToAPharmacist) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"front of my knee gets achy on longer runs"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  auto dose = Send(s, "how many naproxen a day is fine for me?");
  ASSERT_TRUE(dose.ok());
  EXPECT_EQ(dose->kind(), v1::REPLY_KIND_NOT_COVERED);
  EXPECT_EQ(dose->citations_size(), 0);
  EXPECT_NE(dose->text().find("pharmacist"), std::string::npos);
  // Imaging: what the articles say, and who decides.
  auto xray = Send(s, "do I need an x-ray of it?");
  ASSERT_TRUE(xray.ok());
  ASSERT_EQ(xray->kind(), v1::REPLY_KIND_ANSWER) << xray->text();
  EXPECT_GE(xray->citations_size(), 1);
  EXPECT_NE(xray->text().find("examined the knee"), std::string::npos)
      << xray->text();
  // A supplement the articles never mention is not covered.
  auto supplement = Send(s, "would fish oil capsules do anything?");
  ASSERT_TRUE(supplement.ok());
  EXPECT_EQ(supplement->kind(), v1::REPLY_KIND_NOT_COVERED)
      << supplement->text();
}

// Joins the excerpts a reply quotes, lower-cased, for checking what it says.
std::string QuotedText(const v1::Reply& reply) {
  std::string all;
  for (const auto& c : reply.citations()) all += c.excerpt() + "\n";
  return absl::AsciiStrToLower(all);
}

TEST_F(EngineTest, FollowUpQuotesWhatWasAskedNotJustTheProblem) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"my knee is sore at the front whenever I run"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  // The problem's own passages ("runner's knee ... running") must not
  // outrank the one passage on warming up.
  auto warm = Send(s, "should I warm up more before running?");
  ASSERT_TRUE(warm.ok());
  ASSERT_EQ(warm->kind(), v1::REPLY_KIND_ANSWER);
  ASSERT_GE(warm->citations_size(), 1);
  EXPECT_NE(absl::AsciiStrToLower(warm->citations(0).excerpt()).find("warm"),
            std::string::npos)
      << warm->text();
  auto grass = Send(s, "would running on grass be better?");
  ASSERT_TRUE(grass.ok());
  ASSERT_GE(grass->citations_size(), 1);
  EXPECT_NE(QuotedText(*grass).find("surface"), std::string::npos)
      << grass->text();
}

TEST_F(EngineTest, FollowUpQuotesMayUseTheLexiconsWords) {
  const std::string s = NewSession();
  auto replies = Converse(
      s, {"pain under my kneecap whenever I jump, no injury"}, kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  // The articles say "anti-inflammatory drugs", never "ibuprofen".
  auto pills = Send(s, "can i take ibuprofen for it?");
  ASSERT_TRUE(pills.ok());
  ASSERT_EQ(pills->kind(), v1::REPLY_KIND_ANSWER);
  EXPECT_NE(QuotedText(*pills).find("anti-inflammatory"), std::string::npos)
      << pills->text();
  // "Days off" is resting, though it names nothing about the knee.
  auto rest = Send(s, "how many days off should i take");
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->kind(), v1::REPLY_KIND_ANSWER) << rest->text();
  EXPECT_NE(QuotedText(*rest).find("rest"), std::string::npos) << rest->text();
}

TEST_F(EngineTest, FollowUpOnSomethingTheArticlesLackIsNotAnswered) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"my knee is sore at the front whenever I run"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  // "weight" occurs in the articles ("adding weight to activities"), losing
  // weight does not.
  auto weight = Send(s, "does losing weight help?");
  ASSERT_TRUE(weight.ok());
  EXPECT_EQ(weight->kind(), v1::REPLY_KIND_NOT_COVERED) << weight->text();
  // A sport's name does not make the football results knee talk.
  auto football = Send(s, "who won the football last night?");
  ASSERT_TRUE(football.ok());
  EXPECT_EQ(football->kind(), v1::REPLY_KIND_OUT_OF_SCOPE) << football->text();
}

TEST_F(EngineTest, FollowUpAboutItMeansTheKnee) {
  const std::string s = NewSession();
  auto replies = Converse(s, {"my knee is sore at the front whenever I run"},
                          kBenignProfile);
  ASSERT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  // No knee word, but "it" is the knee: a question the articles may not
  // answer, never out of scope.
  for (const char* q :
       {"will it clear up without treatment?", "is it my saddle height?"}) {
    auto reply = Send(s, q);
    ASSERT_TRUE(reply.ok());
    EXPECT_NE(reply->kind(), v1::REPLY_KIND_OUT_OF_SCOPE) << q;
  }
  auto helpful = Send(s, "brilliant, that's really helpful");
  ASSERT_TRUE(helpful.ok());
  EXPECT_EQ(helpful->kind(), v1::REPLY_KIND_ACKNOWLEDGEMENT) << helpful->text();
}

TEST_F(EngineTest, CorrectionInMidSentenceTakesTheLaterPlace) {
  const std::string s = NewSession();
  ASSERT_TRUE(
      Send(s, "the back of my knee hurts, no hang on, it's more at the front")
          .ok());
  v1::GetSessionRequest get;
  get.set_session_id(s);
  auto session = engine_->GetSession(get);
  ASSERT_TRUE(session.ok());
  std::string location;
  for (const auto& slot : session->session().slots()) {
    if (slot.id() == "location") location = slot.value();
  }
  EXPECT_EQ(location, "front");
}

TEST_F(EngineTest, VagueDurationsAndPlacesAreNotAskedAgain) {
  const std::string s = NewSession();
  auto replies = Converse(
      s, {"my knee's been hurting on and off for ages when i run, front of it"},
      kBenignProfile);
  std::set<std::string> asked;
  for (const auto& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION) asked.insert(r.asking());
  }
  EXPECT_EQ(asked.count("location"), 0u);
  EXPECT_EQ(asked.count("duration"), 0u);
  EXPECT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);

  const std::string t = NewSession();
  replies = Converse(
      t,
      {"jumping hurts my knee just below the cap, been like that since "
       "christmas"},
      kBenignProfile);
  asked.clear();
  for (const auto& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION) asked.insert(r.asking());
  }
  EXPECT_EQ(asked.count("location"), 0u);
  EXPECT_EQ(asked.count("duration"), 0u);
  EXPECT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
}

TEST_F(EngineTest, ConcurrentMessagesToOneSessionAreSerialised) {
  const std::string s = NewSession();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      v1::SendMessageRequest request;
      request.set_session_id(s);
      request.set_text("my knee hurts");
      request.set_message_id("c" + std::to_string(i));
      EXPECT_TRUE(engine_->SendMessage(request).ok());
    });
  }
  for (auto& t : threads) t.join();
  v1::GetSessionRequest get;
  get.set_session_id(s);
  EXPECT_EQ(engine_->GetSession(get)->session().transcript_size(), 1 + 4 * 2);
}

// Thoughts of suicide, however they are put, get the crisis reply: URGENT,
// the crisis line, no article quotes, the person's words not echoed, and one
// direct question about plans; a "yes" to it is an emergency.
TEST_F(EngineTest, CrisisRemarkGetsTheCrisisReplyThenAsksAboutPlans) {
  const std::string s = NewSession();
  ASSERT_TRUE(Send(s, "my knee is achy at the front whenever i run").ok());
  auto crisis = Send(s, "tbh everyone would manage fine without me");
  ASSERT_TRUE(crisis.ok()) << crisis.status();
  EXPECT_EQ(crisis->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(crisis->triage().level(), v1::TRIAGE_LEVEL_URGENT);
  EXPECT_EQ(crisis->citations_size(), 0);
  ASSERT_EQ(crisis->triage().red_flags_size(), 1);
  EXPECT_EQ(crisis->triage().red_flags(0).id(), "self_harm");
  EXPECT_TRUE(crisis->triage().red_flags(0).evidence().empty());
  EXPECT_EQ(crisis->text().find("without me"), std::string::npos);
  EXPECT_NE(crisis->text().find("plans"), std::string::npos);
  EXPECT_EQ(crisis->asking(), "red_flags");

  auto yes = Send(s, "yes");
  ASSERT_TRUE(yes.ok()) << yes.status();
  EXPECT_EQ(yes->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
  EXPECT_EQ(yes->kind(), v1::REPLY_KIND_REFERRAL);

  // The conversation stays open, with the crisis reminder, not knee care.
  auto later = Send(s, "what stretches help runners knee?");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(later->citations_size(), 0);
}

TEST_F(EngineTest, FigureOfSpeechIsNotACrisis) {
  const std::string s = NewSession();
  auto r = Send(s, "running downhill is killing me, front of the knee");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_LT(r->triage().level(), v1::TRIAGE_LEVEL_URGENT);
}

// No question is asked a third time: a screening reply kneechat cannot read
// is asked once more, then it gives safety-net advice (SOON) instead.
TEST_F(EngineTest, UnreadableScreeningIsAskedTwiceThenSafetyNet) {
  const std::string s = NewSession();
  std::vector<v1::Reply> replies = Converse(
      s, {"front of my knee aches on stairs, came on slowly, about a month"},
      {{"location", "front"},
       {"activity", "stairs"},
       {"duration", "a month"},
       {"red_flags", "purple elephants"}});
  int screening_asks = 0;
  for (const v1::Reply& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION && r.asking() == "red_flags") {
      ++screening_asks;
    }
  }
  EXPECT_EQ(screening_asks, 2);
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  EXPECT_EQ(replies.back().triage().level(), v1::TRIAGE_LEVEL_SOON);
  EXPECT_NE(replies.back().text().find("can't tell"), std::string::npos);
}

// Whether kneechat asks it as a red flag's deciding question or as a slot
// question, the same thing (here: can you walk on it?) is asked at most
// twice, and the conversation still ends in advice.
TEST_F(EngineTest, ASlotIsNotAskedAThirdTimeUnderAnotherName) {
  const std::string s = NewSession();
  std::vector<v1::Reply> replies =
      Converse(s, {"bumped my knee on a table corner a few days ago"},
               {{"weight_bearing", "purple elephants"},
                {"location", "front"},
                {"swelling", "no"},
                {"age", "40"},
                {"red_flags", "none of those"}});
  int walking_asks = 0;
  for (const v1::Reply& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION && r.asking() == "weight_bearing") {
      ++walking_asks;
    }
  }
  EXPECT_LE(walking_asks, 2);
  ASSERT_FALSE(replies.empty());
  EXPECT_NE(replies.back().kind(), v1::REPLY_KIND_QUESTION);
}

// A red flag given in the answer to a different question counts at once.
TEST_F(EngineTest, RedFlagInsideAnotherAnswerCountsAtOnce) {
  const std::string s = NewSession();
  auto first = Send(s, "my knee hurts after a fall off my bike");
  ASSERT_TRUE(first.ok());
  auto r = Send(s,
                "two days, and my calf has gone rock hard and my foot is "
                "tingly");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_EQ(r->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
}

// A sign already said is not listed again, so a "no" to the rest of the
// list does not rule it out, and the answer does not call it "none of the
// warning signs".
TEST_F(EngineTest, ASignAlreadySaidIsNotScreenedAgain) {
  const std::string s = NewSession();
  std::vector<v1::Reply> replies =
      Converse(s, {"my knee aches and I've had a temperature since last night"},
               {{"location", "front"},
                {"activity", "stairs"},
                {"duration", "two days"},
                {"red_flags", "no"}});
  for (const v1::Reply& r : replies) {
    if (r.kind() == v1::REPLY_KIND_QUESTION && r.asking() == "red_flags") {
      EXPECT_EQ(r.text().find("a fever"), std::string::npos) << r.text();
    }
  }
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().text().find("none of the warning signs"),
            std::string::npos);
}

// "Recent injury" to the list names the injury and implies no other sign;
// whether the person can walk on it is still asked, and an answer that they
// cannot is not lost.
TEST_F(EngineTest, AnInjuryNamedToTheListStillGetsTheWalkingQuestion) {
  const std::string s = NewSession();
  std::vector<v1::Reply> replies =
      Converse(s, {"how should I strap my knee for work"},
               {{"location", "below the kneecap"},
                {"activity", "everything"},
                {"duration", "since lunchtime"},
                {"red_flags", "recent injury"},
                {"weight_bearing", "no, I can't put it down"}});
  bool asked_walking = false;
  v1::TriageLevel highest = v1::TRIAGE_LEVEL_UNSPECIFIED;
  for (const v1::Reply& r : replies) {
    asked_walking |=
        r.kind() == v1::REPLY_KIND_QUESTION && r.asking() == "weight_bearing";
    highest = std::max(highest, r.triage().level());
  }
  EXPECT_TRUE(asked_walking);
  EXPECT_EQ(highest, v1::TRIAGE_LEVEL_EMERGENCY);
}

// Acts of preparation told in two messages are a plan being carried out,
// as two in one message are; one act alone is checked gently.
TEST_F(EngineTest, PreparationToldAcrossTwoMessagesIsAnEmergency) {
  const std::string one = NewSession();
  auto first = Send(one, "my knee aches on the stairs. signed my will today");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->triage().level(), v1::TRIAGE_LEVEL_URGENT);

  const std::string two = NewSession();
  ASSERT_TRUE(
      Send(two, "my knee aches on the stairs. signed my will today").ok());
  auto second =
      Send(two, "and I've been giving away all my things to the neighbours");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
  EXPECT_EQ(second->kind(), v1::REPLY_KIND_REFERRAL);
}

// An act of preparation in one message and a means named in another are a
// plan being carried out, as the two are in one message; a means named
// alone stays quiet.
TEST_F(EngineTest, AnActAndAMeansToldInTwoMessagesAreAnEmergency) {
  const std::string s = NewSession();
  auto first = Send(s,
                    "my knee aches on the stairs. gave my guitar to my "
                    "nephew for good");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_LT(first->triage().level(), v1::TRIAGE_LEVEL_URGENT);
  auto second =
      Send(s, "and I keep going up to the top floor of the car park at lunch");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);

  const std::string quiet = NewSession();
  ASSERT_TRUE(Send(quiet, "my knee aches on the stairs").ok());
  auto means_only = Send(quiet, "worse after walking over the bridge to work");
  ASSERT_TRUE(means_only.ok()) << means_only.status();
  EXPECT_LT(means_only->triage().level(), v1::TRIAGE_LEVEL_URGENT);
}

// "Calf yes, no injury, no breathing trouble": a part of a longer reply
// that says yes to a listed sign is not lost among the noes.
TEST_F(EngineTest, AYesToOneListedSignInsideALongerReplyCounts) {
  const std::string s = NewSession();
  std::vector<v1::Reply> replies =
      Converse(s, {"an ache behind my knee since I was laid up in bed"},
               {{"location", "back"},
                {"activity", "walking"},
                {"duration", "four days"},
                {"red_flags", "calf yes like I said. no injury, no fever"}});
  v1::TriageLevel highest = v1::TRIAGE_LEVEL_UNSPECIFIED;
  for (const v1::Reply& r : replies) {
    highest = std::max(highest, r.triage().level());
  }
  EXPECT_GE(highest, v1::TRIAGE_LEVEL_URGENT);
}

// "That was years ago" after a sign dates it; "oh wait, it's the heat
// rub" explains it away; a crisis thought is never taken back that way.
// (A referral already made stands: levels only rise.)
TEST_F(EngineTest, AMessageThatDatesOrExplainsThePreviousOneRevisesIt) {
  for (const char* revision :
       {"that was years ago when I had gout, it's just stiff now",
        "oh wait, it's probably the heat rub I put on earlier"}) {
    const std::string s = NewSession();
    auto first = Send(s, "my knee is burning and has gone bright red");
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_EQ(first->kind(), v1::REPLY_KIND_QUESTION);
    // "Is the knee swollen as well?", asked as the swelling (not yet told).
    ASSERT_EQ(first->asking(), "swelling") << first->text();
    auto second = Send(s, revision);
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_LT(second->triage().level(), v1::TRIAGE_LEVEL_SOON) << revision;
    EXPECT_NE(second->text(), first->text()) << revision;
  }

  // After a referral nothing is revised: a clot with chest pain is not
  // "the deep heat".
  const std::string referred = NewSession();
  ASSERT_TRUE(
      Send(referred, "my calf is swollen and painful and I'm short of breath")
          .ok());
  auto explained = Send(referred, "oh wait, it's the deep heat");
  ASSERT_TRUE(explained.ok()) << explained.status();
  EXPECT_EQ(explained->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
  EXPECT_EQ(explained->kind(), v1::REPLY_KIND_REFERRAL);

  const std::string crisis = NewSession();
  ASSERT_TRUE(Send(crisis, "some days I wish I wouldn't wake up").ok());
  auto after = Send(crisis, "that was years ago though");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(after->triage().level(), v1::TRIAGE_LEVEL_URGENT);
}

// "Just the calf one" to the list points at the calf: not a failed answer
// and not a "no"; "calf's fine" is a no.
TEST_F(EngineTest, AReplyPointingAtAListedSignIsNotANo) {
  const std::string pointed = NewSession();
  std::vector<v1::Reply> replies =
      Converse(pointed, {"a dull ache behind my knee since a long coach trip"},
               {{"location", "back"},
                {"duration", "three days"},
                {"red_flags", "just the calf one"}});
  v1::TriageLevel highest = v1::TRIAGE_LEVEL_UNSPECIFIED;
  for (const v1::Reply& r : replies) {
    highest = std::max(highest, r.triage().level());
  }
  EXPECT_GE(highest, v1::TRIAGE_LEVEL_URGENT);

  const std::string fine = NewSession();
  replies =
      Converse(fine, {"a dull ache behind my knee since a long coach trip"},
               {{"location", "back"},
                {"duration", "three days"},
                {"red_flags", "calf's fine"}});
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  EXPECT_EQ(replies.back().triage().level(), v1::TRIAGE_LEVEL_SELF_CARE);
}

// Questions before the first answer are few: when one is left, the rule
// questions still open (the Ottawa signs, a quick swelling) are folded into
// one last safety check with what the screening has not covered, and then
// kneechat answers. A "yes" to a folded sign still counts.
TEST_F(EngineTest, QuestionsRunningShortEndInOneLastCheck) {
  const std::map<std::string, std::string> vague = {
      {"location", "hard to say"},
      {"swelling", "dunno really"},
      {"age", "40"},
      {"weight_bearing", "yes"},
      {"red_flags", "no, none of those"}};
  const std::string s = NewSession();
  std::vector<v1::Reply> replies = Converse(
      s, {"banged my knee on the car door getting out this morning"}, vague);
  int questions = 0;
  const v1::Reply* last_question = nullptr;
  for (const v1::Reply& r : replies) {
    if (r.kind() != v1::REPLY_KIND_QUESTION) continue;
    ++questions;
    last_question = &r;
  }
  EXPECT_LE(questions, 6);
  ASSERT_NE(last_question, nullptr);
  EXPECT_NE(last_question->text().find("bony kneecap"), std::string::npos)
      << last_question->text();
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().kind(), v1::REPLY_KIND_ANSWER);
  EXPECT_EQ(replies.back().triage().level(), v1::TRIAGE_LEVEL_SELF_CARE);

  std::map<std::string, std::string> tender = vague;
  tender["red_flags"] =
      "yes the bony bump below the knee on the outside hurts when I press it";
  const std::string t = NewSession();
  replies = Converse(
      t, {"banged my knee on the car door getting out this morning"}, tender);
  v1::TriageLevel highest = v1::TRIAGE_LEVEL_UNSPECIFIED;
  for (const v1::Reply& r : replies) {
    highest = std::max(highest, r.triage().level());
  }
  EXPECT_GE(highest, v1::TRIAGE_LEVEL_URGENT);
}

// "Nothing else" answers a question about one sign; "no fever" does not
// (it is about another sign), nor does "nothing major, it sort of catches"
// (only a part of the reply that is all no says no), and a no to one sign
// is not a no to the whole checklist.
TEST_F(EngineTest, ANoToOneSignIsReadAsThatAndNoMore) {
  for (const char* reply_to_sign :
       {"nothing else", "no fever", "nothing major, it sort of catches"}) {
    const std::string s = NewSession();
    auto reply = Send(s, "twisted my knee at tennis yesterday");
    std::string sign_question;
    for (int i = 0;
         i < 8 && reply.ok() && reply->kind() == v1::REPLY_KIND_QUESTION; ++i) {
      const bool about_a_sign =
          reply->asking() == "red_flags" &&
          reply->text().find("any of these") == std::string::npos;
      if (about_a_sign) {
        sign_question = reply->text();
        break;
      }
      const std::string& slot = reply->asking();
      reply = Send(s, slot == "age"              ? "35"
                      : slot == "location"       ? "inside"
                      : slot == "weight_bearing" ? "yes I can walk"
                                                 : "no");
    }
    ASSERT_TRUE(reply.ok()) << reply.status();
    ASSERT_FALSE(sign_question.empty()) << "no question about one sign";
    auto next = Send(s, reply_to_sign);
    ASSERT_TRUE(next.ok()) << next.status();
    if (std::string(reply_to_sign) == "nothing else") {
      EXPECT_NE(next->text(), sign_question) << "a no, not asked again";
      // The rest of the checklist is still asked before any answer.
      bool listed = false;
      for (int i = 0; i < 6 && next->kind() == v1::REPLY_KIND_QUESTION; ++i) {
        listed |= next->text().find("any of these") != std::string::npos;
        next = Send(s, next->text().find("any of these") != std::string::npos
                           ? "none of those"
                           : "no");
        ASSERT_TRUE(next.ok()) << next.status();
      }
      EXPECT_TRUE(listed);
    } else {
      EXPECT_EQ(next->text(), sign_question) << reply_to_sign;
    }
  }
}

}  // namespace
}  // namespace kneechat

// The consent question in real conversations: the engine over the real
// corpus and index, with a delivery that records what would be sent.
#include "services/handoff/consent_dialogue.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class RecordingDelivery : public HandoffDelivery {
 public:
  absl::Status Deliver(HandoffPackage package) override {
    absl::MutexLock lock(&mu_);
    packages_.push_back(std::move(package));
    return absl::OkStatus();
  }
  std::vector<HandoffPackage> packages() {
    absl::MutexLock lock(&mu_);
    return packages_;
  }

 private:
  absl::Mutex mu_;
  std::vector<HandoffPackage> packages_;
};

constexpr char kInjury[] =
    "I fell off a ladder and now I can't put any weight on my leg at all";

class ConsentTest : public ::testing::Test {
 protected:
  void Start(bool with_delivery, const std::string& channel = "web") {
    EngineOptions options;
    options.clock = &clock_;
    if (with_delivery) options.handoff_delivery = &delivery_;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::CreateSessionRequest create;
    create.set_channel(channel);
    auto created = engine_->CreateSession(create);
    ASSERT_TRUE(created.ok()) << created.status();
    session_ = created->session_id();
  }

  v1::Reply Send(const std::string& text) {
    v1::SendMessageRequest request;
    request.set_session_id(session_);
    request.set_text(text);
    request.set_message_id("m" + std::to_string(++counter_));
    auto response = engine_->SendMessage(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->reply() : v1::Reply();
  }

  v1::GetHandoffResponse Handoff() {
    v1::GetHandoffRequest request;
    request.set_session_id(session_);
    auto response = engine_->GetHandoff(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::GetHandoffResponse();
  }

  static bool Offers(const v1::Reply& reply) {
    for (const auto& qr : reply.quick_replies()) {
      if (qr.id() == ConsentDialogue::kYesId) return true;
    }
    return false;
  }

  // Plays the injury until the referral offers consent.
  v1::Reply ReachOffer() {
    v1::Reply reply = Send(kInjury);
    for (int i = 0; i < 3 && !Offers(reply); ++i) reply = Send("no");
    return reply;
  }

  FakeClock clock_;
  RecordingDelivery delivery_;
  std::unique_ptr<Engine> engine_;
  std::string session_;
  int counter_ = 0;
};

TEST_F(ConsentTest, UrgentReferralOffersConsentAfterTheReferralText) {
  Start(true);
  v1::Reply reply = ReachOffer();
  ASSERT_TRUE(Offers(reply)) << reply.text();
  EXPECT_EQ(reply.kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_GE(reply.triage().level(), v1::TRIAGE_LEVEL_URGENT);
  // The referral comes first, whole; the question after it.
  ASSERT_FALSE(reply.triage().action().empty());
  const size_t action = reply.text().find(reply.triage().action());
  const size_t question = reply.text().find("summary");
  ASSERT_NE(action, std::string::npos);
  EXPECT_LT(action, question);
  ASSERT_EQ(reply.quick_replies_size(), 2);
  EXPECT_EQ(reply.quick_replies(1).id(), ConsentDialogue::kNoId);
  EXPECT_TRUE(delivery_.packages().empty()) << "nothing before a yes";
  EXPECT_EQ(Handoff().consent(), v1::HANDOFF_CONSENT_OFFERED);
}

TEST_F(ConsentTest, YesWithAPhoneNumberSendsOneSummaryWithIt) {
  Start(true);
  ASSERT_TRUE(Offers(ReachOffer()));
  v1::Reply ack = Send("yes please, ring me on 07700 900123");
  // The referral's action is said again with the thanks.
  EXPECT_EQ(ack.kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_TRUE(absl::StrContains(ack.text(), ack.triage().action()));
  std::vector<HandoffPackage> sent = delivery_.packages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].occasion, "consent");
  EXPECT_EQ(sent[0].key.size(), 32u);
  EXPECT_GE(sent[0].triage_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_TRUE(absl::StrContains(sent[0].summary_text, "07700 900123"));
  EXPECT_TRUE(absl::StrContains(sent[0].fhir_bundle_json, "07700 900123"));
  EXPECT_FALSE(absl::StrContains(sent[0].summary_text, session_))
      << "the session id stays inside kneechat";
  // Never asked again, nothing sent again.
  v1::Reply later = Send("thanks");
  EXPECT_FALSE(Offers(later));
  EXPECT_EQ(delivery_.packages().size(), 1u);
  EXPECT_EQ(Handoff().consent(), v1::HANDOFF_CONSENT_GRANTED);
}

TEST_F(ConsentTest, LaterRepliesDoNotLoseTheReferralFromTheSummary) {
  Start(true);
  ASSERT_TRUE(Offers(ReachOffer()));
  Send("thanks");  // not an answer: the dialogue's acknowledgement
  Send("ok thanks");
  v1::Reply offer = Send("can someone call me back please");
  ASSERT_TRUE(Offers(offer)) << offer.text();
  v1::Reply ack = Send("yes");
  ASSERT_FALSE(ack.triage().action().empty()) << "the action is said again";
  EXPECT_TRUE(absl::StrContains(ack.text(), ack.triage().action()));
  ASSERT_EQ(delivery_.packages().size(), 1u);
  const std::string summary = delivery_.packages()[0].summary_text;
  EXPECT_FALSE(absl::StrContains(summary, "Red flags: none raised")) << summary;
  EXPECT_TRUE(absl::StrContains(summary, "Told to: ")) << summary;
}

TEST_F(ConsentTest, QuickReplyYesWithoutContactPointsToTheClinic) {
  Start(true);
  ASSERT_TRUE(Offers(ReachOffer()));
  v1::Reply ack = Send("Yes, send it");
  ASSERT_EQ(delivery_.packages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(ack.text(), "no way to reach you"));
}

TEST_F(ConsentTest, NoIsRespectedAndNotAskedAgain) {
  Start(true);
  ASSERT_TRUE(Offers(ReachOffer()));
  v1::Reply ack = Send("no thanks");
  EXPECT_TRUE(absl::StrContains(ack.text(), "nothing has been sent"));
  EXPECT_FALSE(Offers(ack));
  for (const char* text : {"ok", "can someone call me back?", "what now"}) {
    EXPECT_FALSE(Offers(Send(text))) << text;
  }
  EXPECT_TRUE(delivery_.packages().empty());
  EXPECT_EQ(Handoff().consent(), v1::HANDOFF_CONSENT_DECLINED);
}

TEST_F(ConsentTest, SomethingElseGoesThroughTheDialogueAndCountsNothing) {
  Start(true);
  ASSERT_TRUE(Offers(ReachOffer()));
  // Not an answer to the question: the dialogue answers, no consent.
  v1::Reply reply = Send("my calf is swollen and hot too");
  EXPECT_EQ(reply.kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_TRUE(delivery_.packages().empty());
  EXPECT_NE(Handoff().consent(), v1::HANDOFF_CONSENT_GRANTED);
}

TEST_F(ConsentTest, NotAskedWithoutAClinicEndpoint) {
  Start(false);
  v1::Reply reply = Send(kInjury);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(Offers(reply)) << reply.text();
    reply = Send("no");
  }
  EXPECT_FALSE(Offers(Send("can I talk to a real person?")));
  EXPECT_EQ(Handoff().consent(), v1::HANDOFF_CONSENT_UNSPECIFIED);
}

TEST_F(ConsentTest, NotAskedOnThePhoneLine) {
  Start(true, "voice");
  v1::Reply reply = Send(kInjury);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(Offers(reply)) << reply.text();
    reply = Send("no");
  }
}

TEST_F(ConsentTest, CrisisReplyStaysWarmAndShort) {
  Start(true);
  v1::Reply crisis = Send("my knee is ruined and I want to kill myself");
  EXPECT_EQ(crisis.kind(), v1::REPLY_KIND_REFERRAL);
  EXPECT_FALSE(Offers(crisis));
  EXPECT_FALSE(absl::StrContains(crisis.text(), "summary"));
}

TEST_F(ConsentTest, AskingForAPersonOffersIt) {
  Start(true);
  v1::Reply reply = Send("can I speak to a real person please");
  EXPECT_TRUE(Offers(reply)) << reply.text();
  EXPECT_EQ(reply.kind(), v1::REPLY_KIND_QUESTION);
  EXPECT_EQ(reply.asking(), "other");
  Send("yes, my email is sam@example.org");
  ASSERT_EQ(delivery_.packages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(delivery_.packages()[0].summary_text,
                                "sam@example.org"));
}

TEST_F(ConsentTest, AskingForAPersonMidQuestionWaitsForTheAnswer) {
  Start(true);
  v1::Reply question = Send("sore kneecap after jogging lately");
  ASSERT_EQ(question.kind(), v1::REPLY_KIND_QUESTION);
  v1::Reply reply = Send("could someone call me back");
  EXPECT_FALSE(Offers(reply) && reply.kind() == v1::REPLY_KIND_QUESTION &&
               reply.asking() != "other");
  EXPECT_EQ(Handoff().consent(), reply.asking() == "other"
                                     ? v1::HANDOFF_CONSENT_OFFERED
                                     : v1::HANDOFF_CONSENT_WANTED);
}

TEST_F(ConsentTest, GetHandoffErrors) {
  Start(true);
  v1::GetHandoffRequest request;
  request.set_session_id("00000000000000000000000000000000");
  EXPECT_EQ(engine_->GetHandoff(request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_session_id("");
  EXPECT_EQ(engine_->GetHandoff(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConsentTextTest, RejectsEmptyFieldsAndLongTitles) {
  knowledge::v1::HandoffText text;
  text.set_question("Send it to {clinic_name}?");
  text.set_question_speech("Send it?");
  text.set_yes_title("Yes");
  text.set_no_title("No");
  text.set_person_lead("lead");
  text.set_granted("ok");
  text.set_granted_no_contact("ok, call {clinic}");
  text.set_declined("fine");
  DeploymentConfig config = DefaultDeploymentConfig();
  config.mutable_clinic()->set_name("Riverside Physio");
  auto made = MakeConsentText(text, config);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->question, "Send it to Riverside Physio?");
  text.set_yes_title("Yes, please send the whole thing");
  EXPECT_FALSE(MakeConsentText(text, config).ok());
  text.set_yes_title("Yes");
  text.clear_declined();
  EXPECT_FALSE(MakeConsentText(text, config).ok());
  text.set_declined("{nope}");
  EXPECT_FALSE(MakeConsentText(text, config).ok());
}

}  // namespace
}  // namespace kneechat

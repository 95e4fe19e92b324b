// The phone line end to end over a local socket: signed Twilio-style form
// POSTs in, TwiML out, with a scripted engine behind.
#include "services/channels/twilio_voice_webhook.h"

#include <httplib.h>
#include <re2/re2.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/channels/speech_text.h"
#include "services/channels/twilio_signature.h"
#include "services/handoff/handoff_ids.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kToken[] = "twilio-auth-token-for-tests";
// As seen by Twilio, in front of a TLS-terminating proxy.
constexpr char kPublicBase[] = "https://clinic.example.com";
constexpr char kClinic[] = "+441234567890";
constexpr char kCallSid[] = "CA0123456789abcdef0123456789abcdef";

std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

std::string FormBody(const FormParams& params) {
  std::string body;
  for (const auto& [name, value] : params) {
    if (!body.empty()) body += "&";
    absl::StrAppend(&body, Encode(name), "=", Encode(value));
  }
  return body;
}

struct Answer {
  int status = 0;
  std::string twiml;
};

// Every <Say> text in a TwiML document.
std::vector<std::string> Says(const std::string& twiml) {
  static const RE2 say(R"(<Say[^>]*>([^<]*)</Say>)");
  std::vector<std::string> out;
  re2::StringPiece input(twiml);
  std::string text;
  while (RE2::FindAndConsume(&input, say, &text)) out.push_back(text);
  return out;
}

// The Gather action, relative to the public base URL.
std::string NextTarget(const std::string& twiml) {
  static const RE2 action(
      R"re(action="https://clinic\.example\.com([^"]*)")re");
  std::string target;
  if (!RE2::PartialMatch(twiml, action, &target)) return "";
  RE2::GlobalReplace(&target, "&amp;", "\\&");
  return target;
}

bool HasPictograph(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : b & (0xFF >> (len + 1));
    for (size_t k = 1; k < len && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (IsPictograph(cp)) return true;
    i += len;
  }
  return false;
}

class TwilioVoiceWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TwilioVoiceOptions options;
    options.auth_token = kToken;
    options.public_base_url = kPublicBase;
    options.clinic_transfer_number = kClinic;
    options.max_body_bytes = 4096;
    webhook_ = std::make_unique<TwilioVoiceWebhook>(engine_, options);
    HttpOptions http;
    http.routes.push_back(webhook_->Route());
    auto server = HttpServer::Start("127.0.0.1:0", engine_, http);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    port_ = server_->port();
  }

  void TearDown() override { server_->Stop(); }

  // POSTs `params` (plus the call's standard ones) to `target`, signed for
  // `signed_url` (default: the public URL of `target`).
  Answer Post(const std::string& target, FormParams params,
              const std::string* signed_url = nullptr,
              bool with_signature = true) {
    params.insert(params.begin(), {{"AccountSid", "AC0000"},
                                   {"CallSid", kCallSid},
                                   {"From", "+447700900123"},
                                   {"To", "+441234000000"},
                                   {"CallStatus", "in-progress"},
                                   {"Direction", "inbound"}});
    return PostRaw(
        target, FormBody(params),
        with_signature
            ? TwilioSignature(
                  kToken,
                  signed_url ? *signed_url : absl::StrCat(kPublicBase, target),
                  params)
            : "");
  }

  Answer PostRaw(const std::string& target, const std::string& body,
                 const std::string& signature) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers;
    if (!signature.empty()) {
      headers.emplace(TwilioVoiceWebhook::kSignatureHeader, signature);
    }
    auto result = client.Post(target.c_str(), headers, body,
                              "application/x-www-form-urlencoded");
    if (!result) return {-1, ""};
    if (result->status == 200) {
      EXPECT_EQ(result->get_header_value("Content-Type"), "text/xml");
      all_twiml_.push_back(result->body);
    }
    return {result->status, result->body};
  }

  // Starts a call and answers the greeting with `speech`.
  Answer StartAndSay(const std::string& speech) {
    const Answer greeting = Post(TwilioVoiceWebhook::kPath, {});
    return Post(NextTarget(greeting.twiml),
                {{"SpeechResult", speech}, {"Confidence", "0.92"}});
  }

  FakeEngine engine_;
  std::unique_ptr<TwilioVoiceWebhook> webhook_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::vector<std::string> all_twiml_;
};

TEST_F(TwilioVoiceWebhookTest, FullCallGreetingSpeechDigitsAnswer) {
  const Answer greeting = Post(TwilioVoiceWebhook::kPath, {});
  ASSERT_EQ(greeting.status, 200);
  EXPECT_THAT(greeting.twiml, HasSubstr("<Gather input=\"speech dtmf\""));
  EXPECT_THAT(Says(greeting.twiml),
              ::testing::ElementsAre("Hello. Tell me about your knee."));
  EXPECT_EQ(NextTarget(greeting.twiml), "/webhooks/twilio/voice?turn=1");
  EXPECT_THAT(greeting.twiml,
              HasSubstr("<Redirect method=\"POST\">https://clinic.example.com"
                        "/webhooks/twilio/voice?turn=1</Redirect>"));
  EXPECT_EQ(engine_.channels(), std::vector<std::string>{"voice"});

  const Answer question =
      Post(NextTarget(greeting.twiml),
           {{"SpeechResult", "My knee is sore at the front."},
            {"Confidence", "0.9"}});
  ASSERT_EQ(question.status, 200);
  ASSERT_THAT(Says(question.twiml), SizeIs(1));
  EXPECT_EQ(Says(question.twiml)[0],
            "Did the pain start suddenly, or gradually? Press 1 for Sudden, "
            "press 2 for Gradual, press 3 for Not sure.");
  EXPECT_THAT(question.twiml, HasSubstr("numDigits=\"1\""));
  EXPECT_THAT(question.twiml, HasSubstr("hints=\"Sudden, Gradual, Not sure\""));

  const Answer answer = Post(NextTarget(question.twiml), {{"Digits", "2"}});
  ASSERT_EQ(answer.status, 200);
  ASSERT_THAT(Says(answer.twiml), SizeIs(1));
  EXPECT_EQ(Says(answer.twiml)[0],
            "Gradual pain at the front of the knee is often patellofemoral "
            "pain. Rest and ice help.");

  const auto turns = engine_.turns();
  ASSERT_THAT(turns, SizeIs(2));
  EXPECT_EQ(turns[0].text, "My knee is sore at the front.");
  EXPECT_EQ(turns[1].text, "Gradual");
  EXPECT_EQ(turns[0].session_id, turns[1].session_id);
}

TEST_F(TwilioVoiceWebhookTest, SpokenOptionNumberPicksTheQuickReply) {
  const Answer question = StartAndSay("my knee hurts");
  Post(NextTarget(question.twiml), {{"SpeechResult", "Option one."}});
  ASSERT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(engine_.turns()[1].text, "Sudden");
}

TEST_F(TwilioVoiceWebhookTest, SaysNoMarkersUrlsEmojiOrMarkup) {
  engine_.SetAnswer(
      "Rest [1] and see https://www.nhs.uk \U0001F9CA",
      "Rest and ice help [1]. See https://example.org/knee for more "
      "\U0001F600 <b>now</b> & *gently*.");
  const Answer question = StartAndSay("my knee hurts");
  const Answer answer = Post(NextTarget(question.twiml), {{"Digits", "1"}});
  ASSERT_THAT(Says(answer.twiml), SizeIs(1));
  EXPECT_EQ(Says(answer.twiml)[0],
            "Rest and ice help. See for more now &amp; gently.");
  ASSERT_GE(all_twiml_.size(), 3u);
  for (const std::string& twiml : all_twiml_) {
    for (const std::string& say : Says(twiml)) {
      EXPECT_THAT(say, Not(HasSubstr("[")));
      EXPECT_THAT(say, Not(HasSubstr("http")));
      EXPECT_FALSE(HasPictograph(say)) << say;
    }
  }
}

TEST_F(TwilioVoiceWebhookTest, StarRepeatsThePromptWithoutATurn) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer repeat = Post(NextTarget(question.twiml), {{"Digits", "*"}});
  EXPECT_EQ(Says(repeat.twiml), Says(question.twiml));
  EXPECT_EQ(NextTarget(repeat.twiml), "/webhooks/twilio/voice?turn=3");
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  // The menu still works after the repeat.
  Post(NextTarget(repeat.twiml), {{"Digits", "3"}});
  ASSERT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(engine_.turns()[1].text, "Not sure");
}

TEST_F(TwilioVoiceWebhookTest, ZeroTransfersToTheClinic) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer transfer = Post(NextTarget(question.twiml), {{"Digits", "0"}});
  EXPECT_THAT(transfer.twiml,
              HasSubstr("<Dial timeout=\"20\" answerOnBridge=\"true\">"
                        "<Number>+441234567890</Number></Dial>"));
  EXPECT_THAT(Says(transfer.twiml)[0], HasSubstr("Putting you through"));
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  EXPECT_EQ(webhook_->stats().transfers, 1u);
}

TEST_F(TwilioVoiceWebhookTest, DigitOutsideTheMenuReprompts) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer wrong = Post(NextTarget(question.twiml), {{"Digits", "7"}});
  ASSERT_THAT(Says(wrong.twiml), SizeIs(1));
  EXPECT_EQ(Says(wrong.twiml)[0],
            "Sorry, that is not one of the options. Press 1 for Sudden, "
            "press 2 for Gradual, press 3 for Not sure.");
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST_F(TwilioVoiceWebhookTest, ReferralSaysTheActionAndOffersTransfer) {
  const Answer referral = StartAndSay("I fell and I can't walk on it");
  ASSERT_EQ(referral.status, 200);
  ASSERT_THAT(Says(referral.twiml), SizeIs(1));
  EXPECT_EQ(Says(referral.twiml)[0],
            "Because you can&apos;t walk on it after a fall, you should be "
            "seen today. Go to an urgent care centre today. Press 0 to be put "
            "through to the clinic.");
  EXPECT_THAT(referral.twiml, HasSubstr("numDigits=\"1\""));
  const Answer transfer = Post(NextTarget(referral.twiml), {{"Digits", "0"}});
  EXPECT_THAT(transfer.twiml, HasSubstr("<Number>+441234567890</Number>"));
}

TEST_F(TwilioVoiceWebhookTest, SilenceRepromptsThenHangsUp) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer first = Post(NextTarget(question.twiml), {});
  ASSERT_THAT(Says(first.twiml), SizeIs(1));
  EXPECT_EQ(Says(first.twiml)[0],
            "Sorry, I didn&apos;t hear anything. Press 1 for Sudden, press 2 "
            "for Gradual, press 3 for Not sure.");
  EXPECT_THAT(first.twiml, Not(HasSubstr("<Hangup/>")));
  const Answer second = Post(NextTarget(first.twiml), {});
  EXPECT_THAT(second.twiml, HasSubstr("<Hangup/>"));
  EXPECT_THAT(second.twiml, Not(HasSubstr("<Gather")));
  EXPECT_THAT(Says(second.twiml)[0], HasSubstr("Goodbye"));
  EXPECT_THAT(engine_.turns(), SizeIs(1));
}

TEST_F(TwilioVoiceWebhookTest, AnsweringResetsTheSilenceCount) {
  const Answer greeting = Post(TwilioVoiceWebhook::kPath, {});
  const Answer silent = Post(NextTarget(greeting.twiml), {});
  EXPECT_THAT(Says(silent.twiml)[0],
              HasSubstr("Please say your answer, or press star"));
  const Answer question =
      Post(NextTarget(silent.twiml), {{"SpeechResult", "my knee hurts"}});
  const Answer silent_again = Post(NextTarget(question.twiml), {});
  EXPECT_THAT(silent_again.twiml, Not(HasSubstr("<Hangup/>")));
}

TEST_F(TwilioVoiceWebhookTest, RetriedRequestIsAnsweredOnce) {
  const Answer greeting = Post(TwilioVoiceWebhook::kPath, {});
  const std::string target = NextTarget(greeting.twiml);
  const Answer first = Post(target, {{"SpeechResult", "my knee hurts"}});
  const Answer retry = Post(target, {{"SpeechResult", "my knee hurts"}});
  EXPECT_EQ(retry.twiml, first.twiml);
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  EXPECT_EQ(webhook_->stats().replays, 1u);
  // The greeting's retry too: no second session.
  EXPECT_EQ(Post(TwilioVoiceWebhook::kPath, {}).twiml, greeting.twiml);
  EXPECT_EQ(engine_.sessions_created(), 1);
}

TEST_F(TwilioVoiceWebhookTest, SameAnswerToSuccessiveQuestionsIsTwoTurns) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer a1 = Post(NextTarget(question.twiml), {{"Digits", "1"}});
  Post(NextTarget(a1.twiml), {{"SpeechResult", "my knee hurts"}});
  EXPECT_THAT(engine_.turns(), SizeIs(3));
}

TEST_F(TwilioVoiceWebhookTest, ForgedRequestsGet403AndNoTurn) {
  // Missing header.
  EXPECT_EQ(Post(TwilioVoiceWebhook::kPath, {}, nullptr, false).status, 403);
  // Signed for another URL.
  const std::string other = "https://attacker.example/webhooks/twilio/voice";
  EXPECT_EQ(Post(TwilioVoiceWebhook::kPath, {}, &other).status, 403);
  // A parameter changed after signing.
  FormParams params = {{"AccountSid", "AC0000"},
                       {"CallSid", kCallSid},
                       {"SpeechResult", "hello"}};
  const std::string signature = TwilioSignature(
      kToken, absl::StrCat(kPublicBase, TwilioVoiceWebhook::kPath), params);
  params[2].second = "I can't walk";
  EXPECT_EQ(
      PostRaw(TwilioVoiceWebhook::kPath, FormBody(params), signature).status,
      403);
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_THAT(engine_.turns(), SizeIs(0));
  EXPECT_EQ(webhook_->stats().forged, 3u);
}

TEST_F(TwilioVoiceWebhookTest, BadAndOversizedBodies) {
  EXPECT_EQ(PostRaw(TwilioVoiceWebhook::kPath, "CallSid=%ZZ", "sig").status,
            400);
  // An empty body carries no CallSid; unsigned, it is a forgery.
  EXPECT_EQ(PostRaw(TwilioVoiceWebhook::kPath, "", "").status, 403);
  EXPECT_EQ(
      PostRaw(
          TwilioVoiceWebhook::kPath, "",
          TwilioSignature(
              kToken, absl::StrCat(kPublicBase, TwilioVoiceWebhook::kPath), {}))
          .status,
      400);
  EXPECT_EQ(PostRaw(TwilioVoiceWebhook::kPath,
                    "CallSid=CA1&SpeechResult=" + std::string(5000, 'a'), "sig")
                .status,
            413);
  // Signed, but without a usable CallSid.
  const FormParams no_sid = {{"From", "+447700900123"}};
  EXPECT_EQ(
      PostRaw(TwilioVoiceWebhook::kPath, FormBody(no_sid),
              TwilioSignature(
                  kToken, absl::StrCat(kPublicBase, TwilioVoiceWebhook::kPath),
                  no_sid))
          .status,
      400);
  EXPECT_EQ(engine_.sessions_created(), 0);
  // Still serving.
  EXPECT_EQ(Post(TwilioVoiceWebhook::kPath, {}).status, 200);
}

TEST_F(TwilioVoiceWebhookTest, FinalCallStatusErasesTheSession) {
  StartAndSay("my knee hurts");
  FormParams status = {{"AccountSid", "AC0000"},
                       {"CallSid", kCallSid},
                       {"CallStatus", "completed"},
                       {"CallDuration", "42"}};
  const Answer done =
      PostRaw(TwilioVoiceWebhook::kPath, FormBody(status),
              TwilioSignature(
                  kToken, absl::StrCat(kPublicBase, TwilioVoiceWebhook::kPath),
                  status));
  EXPECT_EQ(done.status, 200);
  EXPECT_THAT(done.twiml, HasSubstr("<Response/>"));
  EXPECT_EQ(engine_.deleted(), std::vector<std::string>{"session-1"});
}

TEST_F(TwilioVoiceWebhookTest, GoodbyeHangsUp) {
  const Answer question = StartAndSay("my knee hurts");
  const Answer bye =
      Post(NextTarget(question.twiml), {{"SpeechResult", "ok bye"}});
  EXPECT_THAT(bye.twiml, HasSubstr("Take care. Goodbye.</Say><Hangup/>"));
}

TEST_F(TwilioVoiceWebhookTest, ExpiredSessionIsReplacedMidCall) {
  const Answer question = StartAndSay("my knee hurts");
  engine_.ExpireAllSessions();
  const Answer next = Post(NextTarget(question.twiml), {{"Digits", "1"}});
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(engine_.sessions_created(), 2);
  ASSERT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(engine_.turns()[1].session_id, "session-2");
}

}  // namespace
}  // namespace kneechat

namespace kneechat {
namespace {

class RecordingHandoff : public HandoffDelivery {
 public:
  absl::Status Deliver(HandoffPackage package) override {
    packages.push_back(std::move(package));
    return absl::OkStatus();
  }
  std::vector<HandoffPackage> packages;
};

// The phone line with a clinic handoff: requests handed to the webhook
// directly (no HTTP server), signed as Twilio signs them.
class VoiceHandoffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TwilioVoiceOptions options;
    options.auth_token = kToken;
    options.public_base_url = kPublicBase;
    options.clinic_transfer_number = kClinic;
    options.handoff = &handoff_;
    webhook_ = std::make_unique<TwilioVoiceWebhook>(engine_, options);
  }
  std::string Post(const std::string& target, FormParams params) {
    params.insert(params.begin(), {{"AccountSid", "AC0000"},
                                   {"CallSid", kCallSid},
                                   {"From", "+447700900123"},
                                   {"CallStatus", "in-progress"}});
    const std::string signature =
        TwilioSignature(kToken, absl::StrCat(kPublicBase, target), params);
    WebhookResponse response =
        webhook_->Handle(target, signature, FormBody(params));
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
  }

  FakeEngine engine_;
  RecordingHandoff handoff_;
  std::unique_ptr<TwilioVoiceWebhook> webhook_;
};

TEST_F(VoiceHandoffTest, ReferralTellsTheCallerTheClinicGetsASummary) {
  const std::string greeting = Post(TwilioVoiceWebhook::kPath, {});
  const std::string referral =
      Post(NextTarget(greeting), {{"SpeechResult", "I fell and I can't walk"}});
  EXPECT_THAT(Says(referral)[0],
              HasSubstr("Press 0 to be put through to the clinic, who will "
                        "also get a summary of this call."));
  EXPECT_TRUE(handoff_.packages.empty()) << "nothing before the transfer";
}

TEST_F(VoiceHandoffTest, TransferSendsTheSummaryOnce) {
  const std::string greeting = Post(TwilioVoiceWebhook::kPath, {});
  const std::string referral =
      Post(NextTarget(greeting), {{"SpeechResult", "I fell and I can't walk"}});
  const std::string transfer = Post(NextTarget(referral), {{"Digits", "0"}});
  EXPECT_THAT(transfer, HasSubstr("<Number>+441234567890</Number>"));
  ASSERT_EQ(handoff_.packages.size(), 1u);
  const HandoffPackage& sent = handoff_.packages[0];
  EXPECT_EQ(sent.occasion, "transfer");
  EXPECT_EQ(sent.key, HandoffKey("session-1", "transfer"));
  EXPECT_EQ(sent.summary_text, "S: knee pain");
  EXPECT_EQ(sent.triage_level, v1::TRIAGE_LEVEL_URGENT);
  EXPECT_THAT(engine_.handoffs(), ::testing::ElementsAre("session-1"));
  EXPECT_EQ(webhook_->stats().handoffs, 1u);
}

}  // namespace
}  // namespace kneechat

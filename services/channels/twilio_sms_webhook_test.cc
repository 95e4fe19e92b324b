// The SMS line: signed Twilio-style form POSTs in, TwiML <Message>s out,
// with a scripted engine behind; one test over a local socket.
#include "services/channels/twilio_sms_webhook.h"

#include <httplib.h>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/fake_engine_for_test.h"
#include "services/channels/memory_channel_state_store.h"
#include "services/channels/message_text.h"
#include "services/channels/twilio_signature.h"
#include "services/http/http_server.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kToken[] = "twilio-auth-token-for-tests";
constexpr char kPublicBase[] = "https://clinic.example.com";
constexpr char kFrom[] = "+447700900123";
constexpr char kEmpty[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";

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

// The text of every <Message>, XML entities decoded.
std::vector<std::string> Messages(const std::string& twiml) {
  static const RE2 message(R"(<Message>([^<]*)</Message>)");
  std::vector<std::string> out;
  re2::StringPiece input(twiml);
  std::string text;
  while (RE2::FindAndConsume(&input, message, &text)) {
    out.push_back(absl::StrReplaceAll(text, {{"&apos;", "'"},
                                             {"&quot;", "\""},
                                             {"&lt;", "<"},
                                             {"&gt;", ">"},
                                             {"&amp;", "&"}}));
  }
  return out;
}

class TwilioSmsWebhookTest : public ::testing::Test {
 protected:
  TwilioSmsWebhookTest() {
    TwilioSmsOptions options;
    options.auth_token = kToken;
    options.public_base_url = kPublicBase;
    options.max_body_bytes = 4096;
    webhook_ = std::make_unique<TwilioSmsWebhook>(engine_, options);
  }

  FormParams Params(const std::string& body, const std::string& from = kFrom) {
    return {{"MessageSid", absl::StrCat("SM", ++sid_, "abcdef0123456789")},
            {"AccountSid", "AC0123"},
            {"From", from},
            {"To", "+15005550006"},
            {"Body", body},
            {"NumMedia", "0"}};
  }

  WebhookResponse Post(const FormParams& params) {
    const std::string target = TwilioSmsWebhook::kPath;
    return webhook_->Handle(
        target,
        TwilioSignature(kToken, absl::StrCat(kPublicBase, target), params),
        FormBody(params));
  }

  // Texts `body` and returns the <Message> texts of the answer.
  std::vector<std::string> Text(const std::string& body,
                                const std::string& from = kFrom) {
    const WebhookResponse response = Post(Params(body, from));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "text/xml");
    return Messages(response.body);
  }

  FakeEngine engine_;
  std::unique_ptr<TwilioSmsWebhook> webhook_;
  int sid_ = 0;
};

TEST_F(TwilioSmsWebhookTest, ConversationWithNumberedOptionsToACitedAnswer) {
  std::vector<std::string> first = Text("my knee hurts");
  ASSERT_THAT(first, SizeIs(1));
  EXPECT_THAT(first[0], HasSubstr("Hello! Tell me about your knee."));
  EXPECT_THAT(first[0], HasSubstr("Did the pain start suddenly"));
  EXPECT_THAT(first[0],
              HasSubstr("Reply 1 for Sudden, 2 for Gradual, 3 for Not sure."));
  EXPECT_EQ(engine_.channels(), std::vector<std::string>{"sms"});

  std::vector<std::string> answer = Text(" 2 ");
  ASSERT_THAT(answer, SizeIs(1));
  EXPECT_THAT(answer[0], HasSubstr("patellofemoral pain [1]"));
  EXPECT_THAT(answer[0], HasSubstr("Sources:\n[1] Patellofemoral knee pain"));
  ASSERT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(engine_.turns()[1].text, "Gradual");  // "2" picked the option
  EXPECT_EQ(engine_.turns()[1].message_id, "sms:SM2abcdef0123456789");
  EXPECT_EQ(webhook_->stats().turns, 2u);
}

TEST_F(TwilioSmsWebhookTest, ReferralSaysWhatToDo) {
  Text("hello");
  std::vector<std::string> referral = Text("I fell and can't walk");
  ASSERT_THAT(referral, SizeIs(1));
  EXPECT_THAT(referral[0],
              HasSubstr("URGENT: be seen today - Go to an urgent care"));
}

TEST_F(TwilioSmsWebhookTest, AFirstMessageReferralComesBeforeAnyGreeting) {
  std::vector<std::string> referral = Text("I fell and can't walk");
  ASSERT_THAT(referral, SizeIs(1));
  EXPECT_THAT(referral[0], ::testing::StartsWith("URGENT: be seen today"));
  EXPECT_THAT(referral[0], Not(HasSubstr("Hello!")));
}

TEST_F(TwilioSmsWebhookTest, OneConversationPerNumber) {
  Text("hello", "+441111");
  Text("hello", "+442222");
  Text("again", "+441111");
  EXPECT_EQ(engine_.sessions_created(), 2);
  ASSERT_THAT(engine_.turns(), SizeIs(3));
  EXPECT_EQ(engine_.turns()[0].session_id, engine_.turns()[2].session_id);
  EXPECT_NE(engine_.turns()[0].session_id, engine_.turns()[1].session_id);
}

TEST_F(TwilioSmsWebhookTest, ForgeriesAreRefusedWithoutATurn) {
  FormParams params = Params("my knee hurts");
  const std::string target = TwilioSmsWebhook::kPath;
  const std::string good =
      TwilioSignature(kToken, absl::StrCat(kPublicBase, target), params);
  FormParams tampered = params;
  tampered[4].second = "I fell and can't walk";
  EXPECT_EQ(webhook_->Handle(target, good, FormBody(tampered)).status, 403);
  EXPECT_EQ(webhook_->Handle(target, std::nullopt, FormBody(params)).status,
            403);
  EXPECT_EQ(webhook_->Handle(target, "", FormBody(params)).status, 403);
  EXPECT_EQ(
      webhook_
          ->Handle(target,
                   TwilioSignature("other-token",
                                   absl::StrCat(kPublicBase, target), params),
                   FormBody(params))
          .status,
      403);
  EXPECT_EQ(webhook_->stats().forged, 4u);
  EXPECT_EQ(engine_.sessions_created(), 0);
  EXPECT_THAT(engine_.turns(), IsEmpty());
}

TEST_F(TwilioSmsWebhookTest, RetriedMessageSidIsAnsweredOnce) {
  Text("hello");
  const FormParams params = Params("it started gradually");
  const WebhookResponse first = Post(params);
  const WebhookResponse retry = Post(params);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_THAT(engine_.turns(), SizeIs(2));
  EXPECT_EQ(webhook_->stats().replays, 1u);
}

TEST_F(TwilioSmsWebhookTest, KeywordsAreLeftToTwilio) {
  Text("hello");
  for (const char* keyword : {"STOP", "help", "Start", "UNSUBSCRIBE"}) {
    const WebhookResponse r = Post(Params(keyword));
    EXPECT_EQ(r.status, 200) << keyword;
    EXPECT_EQ(r.body, kEmpty) << keyword;
  }
  FormParams marked = Params("yes");
  marked.emplace_back("OptOutType", "START");
  EXPECT_EQ(Post(marked).body, kEmpty);
  EXPECT_THAT(engine_.turns(), SizeIs(1));
  EXPECT_EQ(webhook_->stats().keywords, 5u);
  // STOP erased the conversation: the next message starts a new one.
  EXPECT_THAT(engine_.deleted(), ElementsAre("session-1"));
  // A plain "yes" is an answer.
  std::vector<std::string> yes = Text("yes");
  ASSERT_THAT(yes, SizeIs(1));
  EXPECT_EQ(engine_.turns().back().text, "yes");
  EXPECT_EQ(engine_.sessions_created(), 2);
}

TEST_F(TwilioSmsWebhookTest, PicturesGetANoticeAndBadRequestsAre400) {
  FormParams picture = Params("");
  picture[5].second = "1";
  const WebhookResponse r = Post(picture);
  EXPECT_THAT(Messages(r.body),
              ElementsAre(HasSubstr("I can only read text messages")));
  EXPECT_THAT(engine_.turns(), IsEmpty());

  FormParams no_sid = Params("hi");
  no_sid[0].second = "SM<script>";
  EXPECT_EQ(Post(no_sid).status, 400);
  FormParams no_from = Params("hi", "");
  EXPECT_EQ(Post(no_from).status, 400);
  EXPECT_EQ(webhook_->Handle(TwilioSmsWebhook::kPath, "sig", "Body=%zz").status,
            400);
  EXPECT_EQ(
      webhook_->Handle(TwilioSmsWebhook::kPath, "sig", std::string(5000, 'a'))
          .status,
      413);
}

TEST_F(TwilioSmsWebhookTest, InvalidTextGetsANoticeAndExpiredSessionsRestart) {
  Text("hello");
  engine_.ExpireAllSessions();
  std::vector<std::string> after = Text("gradually");
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_THAT(after[0], HasSubstr("Hello!"));  // a new session's greeting
  EXPECT_EQ(engine_.sessions_created(), 2);

  engine_.FailNextSend(absl::InvalidArgumentError("too long"));
  EXPECT_THAT(Text("x"), ElementsAre(HasSubstr("couldn't read")));
  engine_.FailNextSend(absl::UnavailableError("store down"));
  EXPECT_EQ(Post(Params("x")).status, 503);
  EXPECT_EQ(webhook_->stats().store_failures, 1u);
}

TEST_F(TwilioSmsWebhookTest, LongAnswersStayWithinTwilioLimits) {
  Text("hello");
  std::string text;
  for (int i = 0; i < 600; ++i) absl::StrAppend(&text, "Advice line ", i, ". ");
  engine_.SetAnswer(text + "\u2014 \U0001F600 done [1]", "");
  const std::vector<std::string> answer = Text("gradual");
  ASSERT_THAT(answer, SizeIs(kSmsMaxMessages));
  for (const std::string& m : answer) {
    EXPECT_LE(Utf16Length(m), kSmsMaxMessageChars);
    for (unsigned char c : m) EXPECT_LT(c, 0x80) << m;  // plain GSM here
  }
}

TEST(TwilioSmsReplicasTest, ASharedStoreAnswersARetryOnAnotherReplica) {
  FakeEngine engine;
  TwilioSmsOptions options;
  options.auth_token = kToken;
  options.public_base_url = kPublicBase;
  options.state_store =
      std::make_shared<MemoryChannelStateStore>(MemoryChannelStateOptions{});
  TwilioSmsWebhook a(engine, options);
  TwilioSmsWebhook b(engine, options);
  const FormParams params = {
      {"MessageSid", "SM00000000000000000000000000000001"},
      {"From", kFrom},
      {"Body", "my knee hurts"}};
  const std::string target = TwilioSmsWebhook::kPath;
  const std::string signature =
      TwilioSignature(kToken, absl::StrCat(kPublicBase, target), params);
  const WebhookResponse first = a.Handle(target, signature, FormBody(params));
  const WebhookResponse retry = b.Handle(target, signature, FormBody(params));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_THAT(engine.turns(), SizeIs(1));
  EXPECT_EQ(b.stats().replays, 1u);
}

TEST_F(TwilioSmsWebhookTest, OverTheSocketMissingSignatureIs403) {
  HttpOptions http;
  http.routes.push_back(webhook_->Route());
  auto server = HttpServer::Start("127.0.0.1:0", engine_, http);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto unsigned_post =
      client.Post(TwilioSmsWebhook::kPath, FormBody(Params("hello")),
                  "application/x-www-form-urlencoded");
  const FormParams params = Params("hello");
  auto signed_post = client.Post(
      TwilioSmsWebhook::kPath,
      {{TwilioSmsWebhook::kSignatureHeader,
        TwilioSignature(kToken,
                        absl::StrCat(kPublicBase, TwilioSmsWebhook::kPath),
                        params)}},
      FormBody(params), "application/x-www-form-urlencoded");
  (*server)->Stop();
  ASSERT_TRUE(unsigned_post);
  EXPECT_EQ(unsigned_post->status, 403);
  ASSERT_TRUE(signed_post);
  EXPECT_EQ(signed_post->status, 200);
  EXPECT_THAT(Messages(signed_post->body), SizeIs(1));
}

}  // namespace
}  // namespace kneechat

// "Why do you ask?" on the messaging and phone channels, against the real
// engine and corpus: Telegram's button under a question, and a caller who
// asks "why?" on the phone line. Each gets the question's reviewed reason
// (Reply.why) and the same question again, `asking` unchanged.
#include <re2/re2.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/channels/speech_text.h"
#include "services/channels/telegram_render.h"
#include "services/channels/telegram_webhook.h"
#include "services/channels/twilio_signature.h"
#include "services/channels/twilio_voice_webhook.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kSecret[] = "why-test-secret";
constexpr int64_t kChat = 4242;

// Accepts every outbound call and sends nothing.
class NullBotApi : public TelegramBotApi {
 public:
  absl::Status SendMessage(const nlohmann::json&, Done done) override {
    if (done) done(absl::OkStatus());
    return absl::OkStatus();
  }
  absl::Status AnswerCallbackQuery(int64_t, std::string_view,
                                   std::string_view) override {
    return absl::OkStatus();
  }
  void Flush() override {}
};

class WhyAskChannelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto engine = CreateKneechatEngine(EngineOptions());
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  static Engine* engine_;
};

Engine* WhyAskChannelsTest::engine_ = nullptr;

Json TelegramMessage(int64_t update_id, const std::string& text) {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", update_id},
            {"date", 1700000000},
            {"from", {{"id", kChat}, {"is_bot", false}, {"first_name", "P"}}},
            {"chat", {{"id", kChat}, {"type", "private"}}},
            {"text", text}}}};
}

Json TelegramButton(int64_t update_id, const std::string& data) {
  return {
      {"update_id", update_id},
      {"callback_query",
       {{"id", absl::StrCat("cbq-", update_id)},
        {"from", {{"id", kChat}, {"is_bot", false}, {"first_name", "P"}}},
        {"chat_instance", "1"},
        {"message",
         {{"message_id", 1}, {"chat", {{"id", kChat}, {"type", "private"}}}}},
        {"data", data}}}};
}

// The buttons of an answer's inline keyboard, in order.
std::vector<Json> Buttons(const Json& answer) {
  std::vector<Json> out;
  if (!answer.contains("reply_markup")) return out;
  for (const Json& row : answer["reply_markup"]["inline_keyboard"]) {
    for (const Json& button : row) out.push_back(button);
  }
  return out;
}

TEST_F(WhyAskChannelsTest, TelegramWhyButtonGivesTheReasonAndTheSameQuestion) {
  TelegramWebhookOptions options;
  options.secret_token = kSecret;
  TelegramWebhook webhook(*engine_, options, std::make_unique<NullBotApi>());
  auto post = [&](const Json& update) {
    WebhookResponse response = webhook.Handle(kSecret, update.dump());
    EXPECT_EQ(response.status, 200);
    return Json::parse(response.body, nullptr, false);
  };

  ASSERT_TRUE(post(TelegramMessage(1, "/start")).is_object());  // greeting
  const Json question = post(TelegramMessage(2, "my knee hurts"));
  ASSERT_TRUE(question.is_object()) << question;
  const std::vector<Json> buttons = Buttons(question);
  ASSERT_FALSE(buttons.empty());
  EXPECT_EQ(buttons.back()["text"], kTelegramWhyTitle);
  EXPECT_EQ(buttons.back()["callback_data"], kTelegramWhyCallbackData);

  const Json why = post(TelegramButton(3, kTelegramWhyCallbackData));
  ASSERT_TRUE(why.is_object()) << why;
  const std::string text = why["text"];
  // The reason first, then the question as asked, with its quick replies
  // and no second "why" button.
  EXPECT_NE(text, question["text"].get<std::string>());
  EXPECT_THAT(text, HasSubstr(question["text"].get<std::string>()));
  const std::vector<Json> again = Buttons(why);
  EXPECT_EQ(again.size() + 1, buttons.size());
  for (const Json& button : again) {
    EXPECT_NE(button["callback_data"], kTelegramWhyCallbackData);
  }
  // The question is still pending: a quick reply from it is taken.
  const Json next = post(TelegramButton(4, buttons[0]["callback_data"]));
  ASSERT_TRUE(next.is_object()) << next;
  EXPECT_NE(next["text"], why["text"]);
  EXPECT_EQ(webhook.stats().turns, 3u);
}

// Every <Say> text in a TwiML document.
std::vector<std::string> Says(const std::string& twiml) {
  static const RE2 say(R"(<Say[^>]*>([^<]*)</Say>)");
  std::vector<std::string> out;
  re2::StringPiece input(twiml);
  std::string text;
  while (RE2::FindAndConsume(&input, say, &text)) out.push_back(text);
  return out;
}

// The phone line: signed form posts, TwiML back.
class PhoneCall {
 public:
  explicit PhoneCall(Engine& engine) {
    TwilioVoiceOptions options;
    options.auth_token = "twilio-token";
    options.public_base_url = "https://clinic.example";
    webhook_ = std::make_unique<TwilioVoiceWebhook>(engine, options);
  }

  // Posts `params` to `target` and returns the TwiML.
  std::string Post(const std::string& target, FormParams params) {
    params.insert(params.begin(), {{"CallSid", "CA0000000000000000000000000"},
                                   {"AccountSid", "AC0"},
                                   {"CallStatus", "in-progress"}});
    std::string body;
    for (const auto& [name, value] : params) {
      if (!body.empty()) body += "&";
      absl::StrAppend(&body, Encode(name), "=", Encode(value));
    }
    const std::string signature = TwilioSignature(
        "twilio-token", absl::StrCat("https://clinic.example", target), params);
    WebhookResponse response = webhook_->Handle(target, signature, body);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
  }

  // Where the prompt in `twiml` sends the caller's answer.
  static std::string NextTarget(const std::string& twiml) {
    static const RE2 action(R"re(action="https://clinic\.example([^"]*)")re");
    std::string target;
    if (!RE2::PartialMatch(twiml, action, &target)) return "";
    RE2::GlobalReplace(&target, "&amp;", "\\&");
    return target;
  }

 private:
  static std::string Encode(const std::string& s) {
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

  std::unique_ptr<TwilioVoiceWebhook> webhook_;
};

TEST_F(WhyAskChannelsTest, PhoneLineAnswersWhyWithTheReasonAndAsksAgain) {
  PhoneCall call(*engine_);
  const std::string greeting = call.Post(TwilioVoiceWebhook::kPath, {});
  const std::string question =
      call.Post(PhoneCall::NextTarget(greeting),
                {{"SpeechResult", "my knee hurts"}, {"Confidence", "0.9"}});
  ASSERT_FALSE(PhoneCall::NextTarget(question).empty()) << question;
  const std::string why =
      call.Post(PhoneCall::NextTarget(question),
                {{"SpeechResult", "why do you ask"}, {"Confidence", "0.9"}});
  // The reason (corpus/dialogue: the location question's `why`) is
  // spoken, then the same question with the same menu.
  const std::vector<std::string> asked = Says(question);
  const std::vector<std::string> explained = Says(why);
  ASSERT_FALSE(asked.empty());
  ASSERT_FALSE(explained.empty());
  EXPECT_THAT(asked[0], Not(HasSubstr("Where it hurts is the best clue")));
  EXPECT_THAT(explained[0], StartsWith("Where it hurts is the best clue"));
  EXPECT_THAT(explained[0], HasSubstr(asked[0]));
  EXPECT_EQ(std::vector<std::string>(asked.begin() + 1, asked.end()),
            std::vector<std::string>(explained.begin() + 1, explained.end()))
      << "the same menu";
  // Still the same question: its first option is taken as the answer.
  const std::string next =
      call.Post(PhoneCall::NextTarget(why), {{"Digits", "1"}});
  ASSERT_FALSE(Says(next).empty()) << next;
  EXPECT_THAT(Says(next)[0], Not(HasSubstr(asked[0])));
}

}  // namespace
}  // namespace kneechat

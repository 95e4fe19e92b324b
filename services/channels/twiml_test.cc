#include "services/channels/twiml.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(TwimlTest, XmlEscapeEscapesEverythingSpecial) {
  EXPECT_EQ(XmlEscape(R"(a<b>&"c"'d')"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(XmlEscape("tab\tok\x01\x1F gone"), "tab\tok gone");
  EXPECT_EQ(XmlEscape("caf\u00E9 \xC3\x28 x"), "caf\u00E9 ( x");
}

TEST(TwimlTest, GatherNestsSayAndFallsThroughToRedirect) {
  TwimlVoice voice{"Polly.Joanna", "en-GB"};
  TwimlGather gather;
  gather.say = "Press 1 for yes.";
  gather.action_url = "https://h/webhooks/twilio/voice?turn=2&x=1";
  gather.no_input_url = gather.action_url;
  gather.single_digit = true;
  gather.hints = "yes, no";
  EXPECT_EQ(
      RenderGatherTwiml(voice, gather),
      R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"
      R"(<Gather input="speech dtmf" action="https://h/webhooks/twilio/voice?turn=2&amp;x=1" method="POST" timeout="5" speechTimeout="auto" numDigits="1" hints="yes, no" language="en-GB">)"
      R"(<Say voice="Polly.Joanna" language="en-GB">Press 1 for yes.</Say></Gather>)"
      R"(<Redirect method="POST">https://h/webhooks/twilio/voice?turn=2&amp;x=1</Redirect></Response>)");
}

TEST(TwimlTest, SayCannotInjectVerbs) {
  TwimlGather gather;
  gather.say = "</Say><Dial>+15550000</Dial><Say>";
  gather.action_url = "https://h/a";
  const std::string twiml = RenderGatherTwiml(TwimlVoice{}, gather);
  EXPECT_THAT(twiml, Not(HasSubstr("<Dial>")));
  EXPECT_THAT(twiml, HasSubstr("&lt;/Say&gt;&lt;Dial&gt;"));
  EXPECT_THAT(twiml, Not(HasSubstr("numDigits")));
  EXPECT_THAT(twiml, Not(HasSubstr("<Redirect")));
}

TEST(TwimlTest, DialAndHangup) {
  EXPECT_EQ(
      RenderDialTwiml(TwimlVoice{}, "Connecting.", "+441234567890", "Bye."),
      R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"
      R"(<Say language="en-US">Connecting.</Say>)"
      R"(<Dial timeout="20" answerOnBridge="true"><Number>+441234567890</Number></Dial>)"
      R"(<Say language="en-US">Bye.</Say><Hangup/></Response>)");
  EXPECT_EQ(
      RenderHangupTwiml(TwimlVoice{}, "Goodbye & take care."),
      R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"
      R"(<Say language="en-US">Goodbye &amp; take care.</Say><Hangup/></Response>)");
}

TEST(TwimlTest, Messages) {
  EXPECT_EQ(RenderMessagesTwiml({"Rest & ice <help>.", "", "Reply 1 for Yes"}),
            R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"
            R"(<Message>Rest &amp; ice &lt;help&gt;.</Message>)"
            R"(<Message>Reply 1 for Yes</Message></Response>)");
  EXPECT_EQ(RenderMessagesTwiml({}), RenderEmptyTwiml());
  EXPECT_EQ(RenderMessagesTwiml({""}), RenderEmptyTwiml());
}

}  // namespace
}  // namespace kneechat

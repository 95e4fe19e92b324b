#include "services/channels/twilio_signature.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// Twilio's documented example (twilio.com/docs/usage/security).
constexpr char kToken[] = "12345";
constexpr char kUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr char kExpected[] = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

FormParams ExampleParams() {
  return {{"CallSid", "CA1234567890ABCDE"},
          {"Caller", "+12349013030"},
          {"Digits", "1234"},
          {"From", "+12349013030"},
          {"To", "+18005551212"}};
}

TEST(TwilioSignatureTest, MatchesDocumentedVector) {
  EXPECT_EQ(TwilioSignature(kToken, kUrl, ExampleParams()), kExpected);
  // Parameter order in the request does not matter.
  FormParams shuffled = ExampleParams();
  std::swap(shuffled[0], shuffled[4]);
  EXPECT_EQ(TwilioSignature(kToken, kUrl, shuffled), kExpected);
  EXPECT_TRUE(IsValidTwilioSignature(kToken, kUrl, ExampleParams(), kExpected));
}

TEST(TwilioSignatureTest, RejectsTamperedParameter) {
  FormParams params = ExampleParams();
  params[2].second = "1235";
  EXPECT_FALSE(IsValidTwilioSignature(kToken, kUrl, params, kExpected));
  params = ExampleParams();
  params.emplace_back("SpeechResult", "extra");
  EXPECT_FALSE(IsValidTwilioSignature(kToken, kUrl, params, kExpected));
}

TEST(TwilioSignatureTest, RejectsWrongUrlTokenOrMissingSignature) {
  EXPECT_FALSE(IsValidTwilioSignature(
      kToken, "https://mycompany.com/myapp.php?foo=1&bar=3", ExampleParams(),
      kExpected));
  EXPECT_FALSE(IsValidTwilioSignature(
      kToken, "http://mycompany.com/myapp.php?foo=1&bar=2", ExampleParams(),
      kExpected));
  EXPECT_FALSE(
      IsValidTwilioSignature("54321", kUrl, ExampleParams(), kExpected));
  EXPECT_FALSE(IsValidTwilioSignature(kToken, kUrl, ExampleParams(), ""));
  EXPECT_FALSE(IsValidTwilioSignature("", kUrl, ExampleParams(), kExpected));
}

TEST(TwilioSignatureTest, AcceptsUrlWithOrWithoutDefaultPort) {
  const std::string with_port =
      "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(
      IsValidTwilioSignature(kToken, with_port, ExampleParams(), kExpected));
  const std::string signed_with_port =
      TwilioSignature(kToken, with_port, ExampleParams());
  EXPECT_NE(signed_with_port, kExpected);
  EXPECT_TRUE(
      IsValidTwilioSignature(kToken, kUrl, ExampleParams(), signed_with_port));
}

TEST(TwilioSignatureTest, RepeatedNamesContributeSortedValues) {
  const FormParams a = {{"b", "2"}, {"a", "y"}, {"a", "x"}};
  const FormParams b = {{"a", "x"}, {"a", "y"}, {"b", "2"}};
  EXPECT_EQ(TwilioSignature("t", "https://h/p", a),
            TwilioSignature("t", "https://h/p", b));
}

TEST(FormUrlEncodedTest, DecodesPairs) {
  const auto params = ParseFormUrlEncoded(
      "CallSid=CA1&SpeechResult=my+knee%20hurts%21&Caller=%2B1555&Empty=&"
      "Flag&caf%C3%A9=%E2%9C%93");
  ASSERT_TRUE(params.ok());
  EXPECT_THAT(*params,
              ElementsAre(Pair("CallSid", "CA1"),
                          Pair("SpeechResult", "my knee hurts!"),
                          Pair("Caller", "+1555"), Pair("Empty", ""),
                          Pair("Flag", ""), Pair("caf\u00E9", "\u2713")));
  EXPECT_TRUE(ParseFormUrlEncoded("").ok());
}

TEST(FormUrlEncodedTest, RejectsBadEscapesAndInvalidUtf8) {
  EXPECT_FALSE(ParseFormUrlEncoded("a=%ZZ").ok());
  EXPECT_FALSE(ParseFormUrlEncoded("a=%4").ok());
  EXPECT_FALSE(ParseFormUrlEncoded("a=%").ok());
  EXPECT_FALSE(ParseFormUrlEncoded("a=%C3%28").ok());
}

}  // namespace
}  // namespace kneechat

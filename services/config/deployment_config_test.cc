#include "services/config/deployment_config.h"

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DeploymentConfigTest, EmptyPathGivesGenericDefaults) {
  absl::StatusOr<DeploymentConfig> config = LoadDeploymentConfig("");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->emergency().number(), "");
  EXPECT_EQ(config->channels().telegram_bot_api_base_url(),
            "https://api.telegram.org");
  const auto values = MessagePlaceholders(*config);
  EXPECT_EQ(values.at("emergency_number"), "your local emergency number");
  EXPECT_EQ(values.at("emergency"),
            "call your local emergency number or go to the nearest emergency "
            "department now");
  EXPECT_EQ(values.at("clinic"), "your GP or a physiotherapist");
  EXPECT_THAT(values.at("crisis_line"), HasSubstr("helpline"));
  for (const auto& [name, value] : values) {
    // No country's number is assumed.
    for (const char* number : {"999", "911", "112", "111", "000"}) {
      EXPECT_THAT(value, Not(HasSubstr(number))) << name;
    }
  }
}

TEST(DeploymentConfigTest, ShippedFileLoadsAndStaysGeneric) {
  absl::StatusOr<DeploymentConfig> config = LoadDeploymentConfig(
      std::string(KNEECHAT_SOURCE_DIR) + "/deploy/kneechat.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(MessagePlaceholders(*config).at("emergency"),
            MessagePlaceholders(DefaultDeploymentConfig()).at("emergency"));
  EXPECT_EQ(config->channels().twilio_auth_token(), "");
}

TEST(DeploymentConfigTest, ConfiguredValuesFillPlaceholders) {
  absl::StatusOr<DeploymentConfig> config = ParseDeploymentConfig(R"pb(
    emergency { number: "112" }
    urgent_care: "the walk-in centre"
    clinic {
      name: "Riverside Physio"
      phone: "+44 20 7946 0000"
      hours: "Mon-Fri 8-6"
    }
    crisis_line { name: "Samaritans" number: "116 123" hours: "24 hours" }
  )pb");
  ASSERT_TRUE(config.ok()) << config.status();
  const auto values = MessagePlaceholders(*config);
  EXPECT_EQ(values.at("emergency"),
            "call 112 or go to the nearest emergency department now");
  EXPECT_EQ(values.at("urgent_care"), "the walk-in centre");
  EXPECT_EQ(values.at("clinic"),
            "Riverside Physio on +44 20 7946 0000 (Mon-Fri 8-6)");
  EXPECT_EQ(values.at("crisis_line"), "Samaritans on 116 123 (24 hours)");
}

TEST(DeploymentConfigTest, CustomEmergencyWordingMayNameTheNumber) {
  auto config =
      ParseDeploymentConfig(R"pb(emergency {
                                   number: "911"
                                   wording: "call {emergency_number} now"
                                 })pb");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(MessagePlaceholders(*config).at("emergency"), "call 911 now");

  auto bad = ParseDeploymentConfig(
      R"pb(emergency { wording: "call {clinic_phone}" })pb", "x.textproto");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("emergency.wording"));
  EXPECT_THAT(bad.status().message(), HasSubstr("{clinic_phone}"));
}

TEST(DeploymentConfigTest, RejectsMalformedPhoneNumbers) {
  auto config = ParseDeploymentConfig(R"pb(clinic { phone: "call us!" })pb",
                                      "x.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("x.textproto"));
  EXPECT_THAT(config.status().message(), HasSubstr("clinic.phone"));
}

TEST(DeploymentConfigTest, RejectsUnknownFieldsWithLine) {
  auto config =
      ParseDeploymentConfig("\n\nemergency_numbr: \"999\"\n", "x.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("x.textproto:3:"));
  EXPECT_THAT(config.status().message(), HasSubstr("emergency_numbr"));
}

TEST(DeploymentConfigTest, RejectsBadUrlsAndTrimsSlash) {
  auto bad = ParseDeploymentConfig(
      R"pb(channels { telegram_bot_api_base_url: "api.telegram.org" })pb");
  EXPECT_THAT(bad.status().message(), HasSubstr("telegram_bot_api_base_url"));
  auto
      ok =
          ParseDeploymentConfig(
              R"pb(channels {
                     telegram_bot_api_base_url: "http://127.0.0.1:8081/"
                   })pb");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->channels().telegram_bot_api_base_url(),
            "http://127.0.0.1:8081");
}

TEST(DeploymentConfigTest, SecretsComeFromTheEnvironment) {
  ASSERT_EQ(setenv("KNEECHAT_TEST_TWILIO_TOKEN", "s3cret", 1), 0);
  auto
      config =
          ParseDeploymentConfig(
              R"pb(channels {
                     twilio_auth_token: "env:KNEECHAT_TEST_TWILIO_TOKEN"
                   })pb");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->channels().twilio_auth_token(), "s3cret");

  unsetenv("KNEECHAT_TEST_UNSET_VARIABLE");
  auto missing = ParseDeploymentConfig(
      R"pb(channels {
             telegram_secret_token: "env:KNEECHAT_TEST_UNSET_VARIABLE"
           })pb");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("KNEECHAT_TEST_UNSET_VARIABLE"));
}

TEST(DeploymentConfigTest, HandoffEndpointIsHttpsOrLoopbackWithASecret) {
  auto none = ParseDeploymentConfig("");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->handoff().url(), "") << "delivery is off by default";
  ASSERT_EQ(setenv("KNEECHAT_TEST_HANDOFF_SECRET", "h4ndoff", 1), 0);
  for (const char* url :
       {"https://clinic.example/kneechat", "http://127.0.0.1:9000/in",
        "http://localhost:9000", "http://[::1]:9000/x"}) {
    auto ok = ParseDeploymentConfig(absl::StrCat(
        "handoff { url: \"", url,
        "\" secret: \"env:KNEECHAT_TEST_HANDOFF_SECRET\" }"));
    ASSERT_TRUE(ok.ok()) << url << ": " << ok.status();
    EXPECT_EQ(ok->handoff().secret(), "h4ndoff");
  }
  for (const char* url : {"http://clinic.example/in", "ftp://clinic.example",
                          "https://", "clinic.example",
                          "http://127.0.0.1.evil.example/in"}) {
    auto bad = ParseDeploymentConfig(
        absl::StrCat("handoff { url: \"", url, "\" secret: \"x\" }"));
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(bad.status().message(), HasSubstr("handoff.url")) << url;
  }
  auto no_secret = ParseDeploymentConfig(
      R"pb(handoff { url: "https://clinic.example/in" })pb");
  EXPECT_THAT(no_secret.status().message(), HasSubstr("handoff.secret"));
}

TEST(DeploymentConfigTest, RejectsTelegramSecretWithForbiddenCharacters) {
  auto config = ParseDeploymentConfig(
      R"pb(channels { telegram_secret_token: "has space" })pb");
  EXPECT_THAT(config.status().message(), HasSubstr("telegram_secret_token"));
}

TEST(DeploymentConfigTest, WhatsAppSettings) {
  auto defaults = ParseDeploymentConfig("");
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->channels().whatsapp_graph_base_url(),
            "https://graph.facebook.com/v21.0");

  ASSERT_EQ(setenv("KNEECHAT_TEST_WA_SECRET", "app-secret", 1), 0);
  auto config = ParseDeploymentConfig(
      R"pb(channels {
             whatsapp_app_secret: "env:KNEECHAT_TEST_WA_SECRET"
             whatsapp_verify_token: "verify-me"
             whatsapp_access_token: "EAAG-token"
             whatsapp_phone_number_id: "106540352242922"
             whatsapp_graph_base_url: "http://127.0.0.1:9/v21.0/"
           })pb");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->channels().whatsapp_app_secret(), "app-secret");
  EXPECT_EQ(config->channels().whatsapp_graph_base_url(),
            "http://127.0.0.1:9/v21.0");

  auto bad_id = ParseDeploymentConfig(
      R"pb(channels { whatsapp_phone_number_id: "12/../34" })pb");
  EXPECT_THAT(bad_id.status().message(), HasSubstr("whatsapp_phone_number_id"));
  auto bad_url = ParseDeploymentConfig(
      R"pb(channels { whatsapp_graph_base_url: "graph.facebook.com" })pb");
  EXPECT_THAT(bad_url.status().message(), HasSubstr("whatsapp_graph_base_url"));
}

TEST(DeploymentConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(
      LoadDeploymentConfig("/nonexistent/kneechat.textproto").status().code(),
      absl::StatusCode::kNotFound);
}

TEST(FillPlaceholdersTest, ReplacesKnownAndRejectsUnknown) {
  EXPECT_EQ(*FillPlaceholders("Call {a} or {b}.", {{"a", "1"}, {"b", "2"}}),
            "Call 1 or 2.");
  EXPECT_THAT(FillPlaceholders("{c}", {{"a", "1"}}).status().message(),
              HasSubstr("{c}"));
  EXPECT_FALSE(FillPlaceholders("{a", {{"a", "1"}}).ok());
  EXPECT_FALSE(FillPlaceholders("a}", {{"a", "1"}}).ok());
}

}  // namespace
}  // namespace kneechat

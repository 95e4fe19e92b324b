#include "services/config/deployment_config.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "services/common/text_proto.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

constexpr char kDefaultEmergencyWording[] =
    "call {emergency_number} or go to the nearest emergency department now";
constexpr char kDefaultUrgentCare[] =
    "an urgent care centre, a minor injuries unit or a same-day GP "
    "appointment";
constexpr char kDefaultTelegramBase[] = "https://api.telegram.org";
constexpr char kDefaultWhatsAppGraphBase[] = "https://graph.facebook.com/v21.0";
constexpr size_t kMaxWording = 300;

absl::Status Invalid(absl::string_view origin, absl::string_view field,
                     absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(origin, ": ", field, ": ", what));
}

absl::Status CheckPhone(absl::string_view origin, absl::string_view field,
                        const std::string& value) {
  static const RE2* const kPhone = new RE2(R"(\+?[0-9][0-9 ().\-]{1,30})");
  if (value.empty() || RE2::FullMatch(value, *kPhone)) return absl::OkStatus();
  return Invalid(origin, field,
                 "expected a phone number: digits, spaces, + ( ) . -");
}

absl::Status CheckUrl(absl::string_view origin, absl::string_view field,
                      std::string* value) {
  if (value->empty()) return absl::OkStatus();
  static const RE2* const kUrl = new RE2(R"(https?://[^\s/]+(/\S*)?)");
  if (!RE2::FullMatch(*value, *kUrl)) {
    return Invalid(origin, field, "expected an http(s):// URL");
  }
  while (absl::EndsWith(*value, "/")) value->pop_back();
  return absl::OkStatus();
}

absl::Status CheckWording(absl::string_view origin, absl::string_view field,
                          const std::string& value) {
  if (!IsValidUtf8(value)) return Invalid(origin, field, "invalid UTF-8");
  if (Utf8Length(value) > kMaxWording) {
    return Invalid(origin, field,
                   absl::StrCat("longer than ", kMaxWording, " characters"));
  }
  if (value.find_first_of("{}") != std::string::npos &&
      field != "emergency.wording") {
    return Invalid(origin, field, "placeholders are not allowed here");
  }
  return absl::OkStatus();
}

absl::Status ExpandSecret(absl::string_view origin, absl::string_view field,
                          std::string* value) {
  absl::string_view name = *value;
  if (!absl::ConsumePrefix(&name, "env:")) return absl::OkStatus();
  const char* from_env = std::getenv(std::string(name).c_str());
  if (name.empty() || from_env == nullptr) {
    return Invalid(
        origin, field,
        absl::StrCat("environment variable '", name, "' is not set"));
  }
  *value = from_env;
  return absl::OkStatus();
}

// The handoff endpoint: HTTPS, or http:// to this machine (tests); a url
// needs its secret.
absl::Status CheckHandoff(absl::string_view origin,
                          knowledge::v1::HandoffSettings* handoff) {
  if (auto s =
          ExpandSecret(origin, "handoff.secret", handoff->mutable_secret());
      !s.ok()) {
    return s;
  }
  if (handoff->url().empty()) return absl::OkStatus();
  static const RE2* const kEndpoint = new RE2(
      R"((https://[^\s/]+|http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?)(/\S*)?)");
  if (!RE2::FullMatch(handoff->url(), *kEndpoint)) {
    return Invalid(origin, "handoff.url",
                   "expected an https:// URL (http:// only to a loopback "
                   "address)");
  }
  if (handoff->secret().empty()) {
    return Invalid(origin, "handoff.secret", "required with handoff.url");
  }
  return absl::OkStatus();
}

absl::Status Validate(absl::string_view origin, DeploymentConfig* config) {
  auto* emergency = config->mutable_emergency();
  if (emergency->wording().empty()) {
    emergency->set_wording(kDefaultEmergencyWording);
  }
  if (config->urgent_care().empty())
    config->set_urgent_care(kDefaultUrgentCare);
  auto* channels = config->mutable_channels();
  if (channels->telegram_bot_api_base_url().empty()) {
    channels->set_telegram_bot_api_base_url(kDefaultTelegramBase);
  }
  if (channels->whatsapp_graph_base_url().empty()) {
    channels->set_whatsapp_graph_base_url(kDefaultWhatsAppGraphBase);
  }

  const std::pair<absl::string_view, const std::string*> wordings[] = {
      {"emergency.wording", &emergency->wording()},
      {"urgent_care", &config->urgent_care()},
      {"clinic.name", &config->clinic().name()},
      {"clinic.hours", &config->clinic().hours()},
      {"crisis_line.name", &config->crisis_line().name()},
      {"crisis_line.hours", &config->crisis_line().hours()},
  };
  for (const auto& [field, value] : wordings) {
    if (auto s = CheckWording(origin, field, *value); !s.ok()) return s;
  }
  // The emergency wording may name the number and nothing else.
  auto filled =
      FillPlaceholders(emergency->wording(), {{"emergency_number", "112"}});
  if (!filled.ok()) {
    return Invalid(origin, "emergency.wording", filled.status().message());
  }

  const std::pair<absl::string_view, const std::string*> phones[] = {
      {"emergency.number", &emergency->number()},
      {"clinic.phone", &config->clinic().phone()},
      {"crisis_line.number", &config->crisis_line().number()},
  };
  for (const auto& [field, value] : phones) {
    if (auto s = CheckPhone(origin, field, *value); !s.ok()) return s;
  }

  const std::pair<absl::string_view, std::string*> secrets[] = {
      {"channels.telegram_secret_token",
       channels->mutable_telegram_secret_token()},
      {"channels.telegram_bot_token", channels->mutable_telegram_bot_token()},
      {"channels.twilio_auth_token", channels->mutable_twilio_auth_token()},
      {"channels.clinic_transfer_number",
       channels->mutable_clinic_transfer_number()},
      {"channels.whatsapp_app_secret", channels->mutable_whatsapp_app_secret()},
      {"channels.whatsapp_verify_token",
       channels->mutable_whatsapp_verify_token()},
      {"channels.whatsapp_access_token",
       channels->mutable_whatsapp_access_token()},
      {"channels.whatsapp_phone_number_id",
       channels->mutable_whatsapp_phone_number_id()},
  };
  for (const auto& [field, value] : secrets) {
    if (auto s = ExpandSecret(origin, field, value); !s.ok()) return s;
  }
  if (auto s = CheckPhone(origin, "channels.clinic_transfer_number",
                          channels->clinic_transfer_number());
      !s.ok()) {
    return s;
  }
  static const RE2* const kToken = new RE2(R"([A-Za-z0-9_\-]{1,256})");
  if (!channels->telegram_secret_token().empty() &&
      !RE2::FullMatch(channels->telegram_secret_token(), *kToken)) {
    // Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
    return Invalid(origin, "channels.telegram_secret_token",
                   "1-256 characters of A-Z a-z 0-9 _ -");
  }
  if (auto s = CheckUrl(origin, "channels.telegram_bot_api_base_url",
                        channels->mutable_telegram_bot_api_base_url());
      !s.ok()) {
    return s;
  }
  // It goes into the Graph API's URL path.
  static const RE2* const kDigits = new RE2(R"([0-9]{1,32})");
  if (!channels->whatsapp_phone_number_id().empty() &&
      !RE2::FullMatch(channels->whatsapp_phone_number_id(), *kDigits)) {
    return Invalid(origin, "channels.whatsapp_phone_number_id",
                   "expected the phone number id: 1-32 digits");
  }
  if (auto s = CheckUrl(origin, "channels.whatsapp_graph_base_url",
                        channels->mutable_whatsapp_graph_base_url());
      !s.ok()) {
    return s;
  }
  if (auto s = CheckUrl(origin, "clinic.booking_url",
                        config->mutable_clinic()->mutable_booking_url());
      !s.ok()) {
    return s;
  }
  return CheckHandoff(origin, config->mutable_handoff());
}

}  // namespace

DeploymentConfig DefaultDeploymentConfig() {
  DeploymentConfig config;
  Validate("defaults", &config).IgnoreError();  // Only fills defaults.
  return config;
}

absl::StatusOr<DeploymentConfig> ParseDeploymentConfig(
    absl::string_view text, absl::string_view origin) {
  DeploymentConfig config;
  if (auto s = ParseTextProto(text, origin, &config); !s.ok()) return s;
  if (auto s = Validate(origin, &config); !s.ok()) return s;
  return config;
}

absl::StatusOr<DeploymentConfig> LoadDeploymentConfig(const std::string& path) {
  if (path.empty()) return DefaultDeploymentConfig();
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseDeploymentConfig(*text, path);
}

std::map<std::string, std::string> MessagePlaceholders(
    const DeploymentConfig& config) {
  std::map<std::string, std::string> values;
  const std::string number = config.emergency().number().empty()
                                 ? "your local emergency number"
                                 : config.emergency().number();
  values["emergency_number"] = number;
  values["emergency"] = FillPlaceholders(config.emergency().wording().empty()
                                             ? kDefaultEmergencyWording
                                             : config.emergency().wording(),
                                         {{"emergency_number", number}})
                            .value_or(absl::StrCat("call ", number, " now"));
  values["urgent_care"] =
      config.urgent_care().empty() ? kDefaultUrgentCare : config.urgent_care();

  const auto& clinic = config.clinic();
  values["clinic_name"] =
      clinic.name().empty() ? "your GP or a physiotherapist" : clinic.name();
  values["clinic_phone"] =
      clinic.phone().empty() ? "your GP practice" : clinic.phone();
  values["clinic_hours"] =
      clinic.hours().empty() ? "during opening hours" : clinic.hours();
  std::string described = values["clinic_name"];
  if (!clinic.phone().empty())
    absl::StrAppend(&described, " on ", clinic.phone());
  if (!clinic.hours().empty())
    absl::StrAppend(&described, " (", clinic.hours(), ")");
  values["clinic"] = described;

  const auto& crisis = config.crisis_line();
  std::string line;
  if (crisis.name().empty() && crisis.number().empty()) {
    line = "a local crisis or suicide-prevention helpline";
  } else if (crisis.number().empty()) {
    line = crisis.name();
  } else if (crisis.name().empty()) {
    line = absl::StrCat("a crisis line on ", crisis.number());
  } else {
    line = absl::StrCat(crisis.name(), " on ", crisis.number());
  }
  if (!crisis.hours().empty())
    absl::StrAppend(&line, " (", crisis.hours(), ")");
  values["crisis_line"] = line;
  return values;
}

absl::StatusOr<std::string> FillPlaceholders(
    absl::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '}') {
      return absl::InvalidArgumentError(
          absl::StrCat("unmatched '}' in \"", text, "\""));
    }
    if (c != '{') {
      out.push_back(c);
      ++i;
      continue;
    }
    const size_t close = text.find('}', i);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("unmatched '{' in \"", text, "\""));
    }
    const std::string name(text.substr(i + 1, close - i - 1));
    auto it = values.find(name);
    if (it == values.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown placeholder {", name, "}"));
    }
    out += it->second;
    i = close + 1;
  }
  return out;
}

}  // namespace kneechat

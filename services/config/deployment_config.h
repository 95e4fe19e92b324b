// Deployment settings: emergency number and wording, urgent-care wording,
// clinic contact, crisis line and channel secrets (schema:
// proto/kneechat/knowledge/v1/deployment.proto; default file:
// deploy/kneechat.textproto).
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kneechat/knowledge/v1/deployment.pb.h"

namespace kneechat {

using DeploymentConfig = knowledge::v1::DeploymentConfig;

// The built-in defaults: generic wording that names no country or number.
DeploymentConfig DefaultDeploymentConfig();

// Reads and validates a text-format DeploymentConfig. An empty `path` returns
// DefaultDeploymentConfig(). Empty wording fields (emergency.wording,
// urgent_care, channels.telegram_bot_api_base_url,
// channels.whatsapp_graph_base_url) take their defaults;
// contact fields left empty stay empty (meaning "not configured"). Channel
// secrets written "env:NAME" are replaced by that environment variable.
// Errors, each naming the file and field: kNotFound (no such file),
// kInvalidArgument (syntax error, unknown field, malformed phone number or
// URL, unknown placeholder, unset environment variable).
absl::StatusOr<DeploymentConfig> LoadDeploymentConfig(const std::string& path);

// As LoadDeploymentConfig, from text; `origin` names it in errors.
absl::StatusOr<DeploymentConfig> ParseDeploymentConfig(
    absl::string_view text, absl::string_view origin = "deployment config");

// The values of the placeholders that red-flag messages may use, from a
// loaded config: emergency, emergency_number, urgent_care, clinic,
// clinic_name, clinic_phone, clinic_hours, crisis_line. Unconfigured
// contacts read generically ("your local emergency number").
std::map<std::string, std::string> MessagePlaceholders(
    const DeploymentConfig& config);

// Replaces each {name} in `text` by values.at(name). kInvalidArgument naming
// the placeholder when it is unknown or a brace is unmatched.
absl::StatusOr<std::string> FillPlaceholders(
    absl::string_view text, const std::map<std::string, std::string>& values);

}  // namespace kneechat

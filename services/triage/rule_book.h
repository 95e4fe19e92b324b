// Loading and validating kneechat's red-flag rules
// (corpus/triage/red_flags.textproto, schema red_flags.proto).
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kneechat/knowledge/v1/red_flags.pb.h"

namespace kneechat {

// The `asking` slot vocabulary of PRODUCT.md §3.
const std::set<std::string>& AskingSlots();

// Checks everything the schema cannot: ids present and unique, levels within
// SOON..EMERGENCY, every finding id in `finding_ids`, definitions known and
// defined before use, messages non-empty with only `placeholders`, at least
// one source with citation and http(s) URL, question and quick-reply limits
// (text <= 200 characters; <= 5 replies; title <= 20 characters; id <= 64
// bytes). kInvalidArgument "<origin>: rule '<id>': <what>" on the first
// problem.
absl::Status ValidateRedFlagRules(const knowledge::v1::RedFlagRules& rules,
                                  const std::set<std::string>& finding_ids,
                                  const std::set<std::string>& placeholders,
                                  absl::string_view origin);

// Parses then validates. Syntax errors name the line and the enclosing rule.
absl::StatusOr<knowledge::v1::RedFlagRules> ParseRedFlagRules(
    absl::string_view text, absl::string_view origin,
    const std::set<std::string>& finding_ids,
    const std::set<std::string>& placeholders);

}  // namespace kneechat

// Finds the phone number or email address a person adds to their consent
// ("yes, ring me on 07700 900 123"), so it can go into the clinic's summary.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kneechat {

struct ContactDetails {
  std::string value;  // as written, spaces collapsed
  std::string rest;   // the text with the contact taken out
};

// The first email address, else the first phone number (7 to 15 digits,
// optionally "+", spaces, dashes, dots and brackets between them), or
// nullopt. Patterns compiled once; thread-safe.
std::optional<ContactDetails> FindContactDetails(std::string_view text);

}  // namespace kneechat

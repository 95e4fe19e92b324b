#include "services/handoff/contact_details.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace kneechat {
namespace {

int CountDigits(std::string_view s) {
  int n = 0;
  for (char c : s) n += absl::ascii_isdigit(c) ? 1 : 0;
  return n;
}

std::optional<ContactDetails> Take(std::string_view text,
                                   re2::StringPiece match) {
  ContactDetails found;
  found.value = std::string(match);
  absl::RemoveExtraAsciiWhitespace(&found.value);
  const size_t start = match.data() - text.data();
  found.rest = std::string(text.substr(0, start)) + " " +
               std::string(text.substr(start + match.size()));
  return found;
}

}  // namespace

std::optional<ContactDetails> FindContactDetails(std::string_view text) {
  static const RE2* const kEmail = new RE2(
      R"(([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}))");
  static const RE2* const kPhone =
      new RE2(R"((\+?\(?[0-9][0-9 ().\-]{5,22}[0-9]))");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  if (RE2::PartialMatch(input, *kEmail, &match)) return Take(text, match);
  re2::StringPiece rest = input;
  while (RE2::PartialMatch(rest, *kPhone, &match)) {
    const int digits =
        CountDigits(std::string_view(match.data(), match.size()));
    if (digits >= 7 && digits <= 15) return Take(text, match);
    rest.remove_prefix(match.data() + match.size() - rest.data());
  }
  return std::nullopt;
}

}  // namespace kneechat

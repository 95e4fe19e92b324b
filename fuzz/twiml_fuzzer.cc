// Fuzzes TwiML rendering (services/channels/twiml): whatever text reaches
// a prompt, a number or a URL, the document must be valid UTF-8 and carry
// no markup that was not rendered here, and XmlEscape's output nothing that
// could end an attribute or start an element.
//
// Input: fields separated by NUL bytes: say, action URL, number, hints,
// voice, language.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "services/channels/twiml.h"
#include "services/common/utf8.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

size_t CountTags(std::string_view xml) {
  size_t n = 0;
  for (char c : xml) n += c == '<';
  return n;
}

// The fields as they decide the document's shape (empty or not), with
// nothing in them that needs escaping.
std::vector<std::string> Plain(const std::vector<std::string>& fields) {
  std::vector<std::string> plain;
  for (const std::string& field : fields) {
    plain.push_back(field.empty() ? "" : "x");
  }
  return plain;
}

// Renders the three documents from `fields`: say, URL, number, hints,
// voice, language.
std::vector<std::string> Render(const std::vector<std::string>& fields,
                                size_t variant) {
  kneechat::TwimlVoice voice;
  voice.voice = fields[4];
  if (!fields[5].empty()) voice.language = fields[5];
  kneechat::TwimlGather gather;
  gather.say = fields[0];
  gather.action_url = fields[1];
  gather.no_input_url = fields[1];
  gather.hints = fields[3];
  gather.single_digit = variant % 2 == 0;
  gather.timeout_seconds = static_cast<int>(variant % 30);
  return {kneechat::RenderGatherTwiml(voice, gather),
          kneechat::RenderDialTwiml(voice, fields[0], fields[2], fields[3]),
          kneechat::RenderHangupTwiml(voice, fields[0])};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> fields;
  size_t start = 0;
  while (fields.size() < 6) {
    const size_t end = input.find('\0', start);
    fields.emplace_back(input.substr(start, end == std::string_view::npos
                                                ? std::string_view::npos
                                                : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  fields.resize(6);

  const std::string escaped = kneechat::XmlEscape(input);
  Check(kneechat::IsValidUtf8(escaped));
  Check(escaped.find_first_of("<>\"'") == std::string::npos);

  // Every '<' in a document is one kneechat wrote: the same count as the
  // document rendered from plain fields.
  const std::vector<std::string> documents = Render(fields, size);
  const std::vector<std::string> expected = Render(Plain(fields), size);
  for (size_t i = 0; i < documents.size(); ++i) {
    Check(kneechat::IsValidUtf8(documents[i]));
    Check(CountTags(documents[i]) == CountTags(expected[i]));
  }
  return 0;
}

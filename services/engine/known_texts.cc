#include "services/engine/known_texts.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "services/engine/message_ledger.h"

namespace kneechat {
namespace {

constexpr std::string_view kPrefix = "\x1A#";
// A reference is 18 bytes; shorter texts stay as they are.
constexpr size_t kMinLength = 24;

}  // namespace

void KnownTexts::AddText(const std::string& text) {
  if (text.size() < kMinLength) return;
  by_fingerprint_.emplace(Fingerprint(text), text);
  lengths_.insert(text.size());
}

void KnownTexts::Add(const google::protobuf::Message& knowledge) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = knowledge.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(knowledge, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      auto add = [&](const std::string& text) { AddText(text); };
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(knowledge, field); ++i) {
          add(reflection->GetRepeatedString(knowledge, field, i));
        }
      } else {
        add(reflection->GetString(knowledge, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(knowledge, field); ++i) {
          Add(reflection->GetRepeatedMessage(knowledge, field, i));
        }
      } else {
        Add(reflection->GetMessage(knowledge, field));
      }
    }
  }
}

std::optional<std::string> KnownTexts::Refer(std::string_view text) const {
  // Most texts asked about (whole replies) are not known: their length
  // tells without reading them.
  if (text.size() < kMinLength || !lengths_.contains(text.size())) {
    return std::nullopt;
  }
  const uint64_t key = Fingerprint(text);
  auto it = by_fingerprint_.find(key);
  if (it == by_fingerprint_.end() || it->second != text) return std::nullopt;
  return absl::StrCat(absl::string_view(kPrefix.data(), kPrefix.size()),
                      absl::Hex(key, absl::kZeroPad16));
}

std::optional<std::string> KnownTexts::Resolve(std::string_view stored) const {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view hex = stored.substr(kPrefix.size());
  uint64_t key = 0;
  if (hex.size() != 16 ||
      !absl::SimpleHexAtoi(absl::string_view(hex.data(), hex.size()), &key)) {
    return std::string();
  }
  auto it = by_fingerprint_.find(key);
  return it == by_fingerprint_.end() ? std::string() : it->second;
}

}  // namespace kneechat

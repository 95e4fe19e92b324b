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

std::string Reference(uint64_t key) {
  return absl::StrCat(absl::string_view(kPrefix.data(), kPrefix.size()),
                      absl::Hex(key, absl::kZeroPad16));
}

// The fingerprint a reference names; nullopt when `stored` is not one, 0
// when it is malformed.
std::optional<uint64_t> Referred(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view hex = stored.substr(kPrefix.size());
  uint64_t key = 0;
  if (hex.size() != 16 ||
      !absl::SimpleHexAtoi(absl::string_view(hex.data(), hex.size()), &key)) {
    return 0;
  }
  return key;
}

// FNV-1a over each id and title, each ended by a NUL.
class ListFingerprint {
 public:
  void Add(std::string_view s) {
    for (unsigned char c : s) Mix(c);
    Mix(0);
  }
  uint64_t value() const { return hash_; }

 private:
  void Mix(unsigned char c) {
    hash_ ^= c;
    hash_ *= 1099511628211ull;
  }
  uint64_t hash_ = 14695981039346656037ull;
};

}  // namespace

void KnownTexts::AddSpokenForms(
    const std::function<std::string(std::string_view)>& speak) {
  std::vector<std::string> spoken;
  spoken.reserve(by_fingerprint_.size());
  for (const auto& [key, text] : by_fingerprint_) spoken.push_back(speak(text));
  for (const std::string& text : spoken) AddText(text);
}

void KnownTexts::AddQuickReplies(
    const std::vector<std::pair<std::string, std::string>>& list) {
  if (list.empty()) return;
  ListFingerprint key;
  for (const auto& [id, title] : list) {
    key.Add(id);
    key.Add(title);
  }
  lists_.emplace(key.value(), list);
}

void KnownTexts::AddLists(const google::protobuf::Message& knowledge,
                          const google::protobuf::FieldDescriptor* field) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* type = field->message_type();
  const FieldDescriptor* id = type->FindFieldByName("id");
  const FieldDescriptor* title = type->FindFieldByName("title");
  if (id == nullptr || title == nullptr || id->is_repeated() ||
      title->is_repeated() ||
      id->cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
      title->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return;
  }
  const google::protobuf::Reflection* reflection = knowledge.GetReflection();
  std::vector<std::pair<std::string, std::string>> list;
  for (int i = 0; i < reflection->FieldSize(knowledge, field); ++i) {
    const google::protobuf::Message& option =
        reflection->GetRepeatedMessage(knowledge, field, i);
    const google::protobuf::Reflection* r = option.GetReflection();
    list.emplace_back(r->GetString(option, id), r->GetString(option, title));
  }
  AddQuickReplies(list);
}

void KnownTexts::AddText(const std::string& text) {
  if (text.size() < kMinLength) return;
  const uint64_t key = Fingerprint(text);
  if (by_fingerprint_.emplace(key, text).second) by_text_.emplace(text, key);
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
        AddLists(knowledge, field);
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
  auto it = by_text_.find(absl::string_view(text.data(), text.size()));
  if (it == by_text_.end()) return std::nullopt;
  return Reference(it->second);
}

std::optional<std::string> KnownTexts::Resolve(std::string_view stored) const {
  const std::optional<uint64_t> key = Referred(stored);
  if (!key.has_value()) return std::nullopt;
  auto it = by_fingerprint_.find(*key);
  return it == by_fingerprint_.end() ? std::string() : it->second;
}

std::optional<std::string> KnownTexts::ReferQuickReplies(
    const google::protobuf::RepeatedPtrField<v1::QuickReply>& list) const {
  if (list.empty() || lists_.empty()) return std::nullopt;
  ListFingerprint key;
  for (const v1::QuickReply& q : list) {
    key.Add(q.id());
    key.Add(q.title());
  }
  auto it = lists_.find(key.value());
  if (it == lists_.end() ||
      it->second.size() != static_cast<size_t>(list.size())) {
    return std::nullopt;
  }
  for (int i = 0; i < list.size(); ++i) {
    if (list[i].id() != it->second[i].first ||
        list[i].title() != it->second[i].second) {
      return std::nullopt;
    }
  }
  return Reference(key.value());
}

bool KnownTexts::ResolveQuickReplies(
    std::string_view stored,
    google::protobuf::RepeatedPtrField<v1::QuickReply>* list) const {
  const std::optional<uint64_t> key = Referred(stored);
  if (!key.has_value()) return false;
  list->Clear();
  auto it = lists_.find(*key);
  if (it == lists_.end()) return true;
  for (const auto& [id, title] : it->second) {
    v1::QuickReply* q = list->Add();
    q->set_id(id);
    q->set_title(title);
  }
  return true;
}

}  // namespace kneechat

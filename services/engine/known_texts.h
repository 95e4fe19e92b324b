// Texts kneechat's curated knowledge holds -- every string of a knowledge
// message, such as the dialogue's questions, their reasons, spoken forms and
// quick-reply titles, and the red-flag rules' titles, actions and reasons --
// and its lists of quick replies, by fingerprint, so a stored reply can name
// such a text or list instead of keeping a copy
// (services/engine/stored_transcript.h).
//
// A reference is "\x1A#" and the text's (or list's) 64-bit FNV-1a
// fingerprint in hex. It names the text, not a position, so a reference
// stored before the knowledge was edited resolves only to the very same
// text, or not at all.
//
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

class KnownTexts {
 public:
  KnownTexts() = default;
  // Adds every non-empty string field of `knowledge`, nested messages, maps
  // and repeated fields included, and every list of quick replies in it
  // (a repeated message with string fields `id` and `title`).
  void Add(const google::protobuf::Message& knowledge);
  // Adds one text made from the knowledge (such as a question filled in).
  void AddText(const std::string& text);
  // Adds `speak` of every text held (their spoken forms).
  void AddSpokenForms(
      const std::function<std::string(std::string_view)>& speak);
  // Adds one list of quick replies, as (id, title) pairs.
  void AddQuickReplies(
      const std::vector<std::pair<std::string, std::string>>& list);

  // A reference to `text` when it is a known text long enough to be worth
  // one; nullopt otherwise.
  std::optional<std::string> Refer(std::string_view text) const;

  // The text `stored` names: nullopt when `stored` is not a reference; ""
  // when it names no known text (the knowledge changed since).
  std::optional<std::string> Resolve(std::string_view stored) const;

  // A reference to `list` when it is a known list of quick replies.
  std::optional<std::string> ReferQuickReplies(
      const google::protobuf::RepeatedPtrField<v1::QuickReply>& list) const;
  // The list `stored` names into `list`; false when `stored` is not a
  // reference, true with an empty list when it names no known list.
  bool ResolveQuickReplies(
      std::string_view stored,
      google::protobuf::RepeatedPtrField<v1::QuickReply>* list) const;

  size_t size() const { return by_fingerprint_.size(); }

 private:
  void AddLists(const google::protobuf::Message& knowledge,
                const google::protobuf::FieldDescriptor* field);

  absl::flat_hash_map<uint64_t, std::string> by_fingerprint_;
  absl::flat_hash_map<uint64_t,
                      std::vector<std::pair<std::string, std::string>>>
      lists_;
  absl::flat_hash_set<size_t> lengths_;  // of the texts held
  // Each text's fingerprint, found by the text (a faster hash than the
  // fingerprint's, which names it).
  absl::flat_hash_map<std::string, uint64_t> by_text_;
};

}  // namespace kneechat

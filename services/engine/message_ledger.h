// What a session remembers of the messages it was sent: every client
// message id, compactly, for the whole session, and a transcript bounded to
// its latest turns.
//
// An id is kept as a 64-bit fingerprint of the id and one of its text
// (16 bytes a message; kMaxMessagesPerSession bounds the total), so a repeat
// is told apart from a reuse with other text however long ago it was sent.
// The reply to a repeat comes from the transcript while its turn is still
// there. Fingerprints are FNV-1a, stable across processes and replicas.
//
// Thread-safety: free functions over a state the caller holds exclusively
// (inside SessionStore::Update).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kneechat/v1/kneechat.pb.h"
#include "services/session/session_store.h"

namespace kneechat {

// FNV-1a, 64 bits.
uint64_t Fingerprint(std::string_view bytes);

enum class MessageSeen {
  kNew,        // this id was never answered in this session
  kSameText,   // answered before, with the same text: a retry
  kOtherText,  // answered before, with other text: a reused id
};

MessageSeen LookUpMessage(const SessionState& state,
                          std::string_view message_id, std::string_view text);

// Remembers `message_id` (non-empty) as answered with `text`.
void RecordMessage(std::string_view message_id, std::string_view text,
                   SessionState& state);

// The reply given to the user turn carrying `message_id`, if that turn and
// its reply are still in the transcript.
std::optional<v1::Reply> ReplyInTranscript(const v1::Session& session,
                                           std::string_view message_id);

// Drops the oldest turns beyond `max_turns`, counting them in
// session.dropped_turns.
void TrimTranscript(int max_turns, v1::Session& session);

// Folds what an earlier version kept (recent_replies; message ids in the
// transcript) into the fingerprints and clears it. Idempotent.
void UpgradeLegacyMessageIds(SessionState& state);

}  // namespace kneechat

#include "services/engine/message_ledger.h"

namespace kneechat {

uint64_t Fingerprint(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

MessageSeen LookUpMessage(const SessionState& state,
                          std::string_view message_id, std::string_view text) {
  const uint64_t id = Fingerprint(message_id);
  const int n = std::min(state.seen_ids_size(), state.seen_texts_size());
  for (int i = 0; i < n; ++i) {
    if (state.seen_ids(i) != id) continue;
    return state.seen_texts(i) == Fingerprint(text) ? MessageSeen::kSameText
                                                    : MessageSeen::kOtherText;
  }
  return MessageSeen::kNew;
}

void RecordMessage(std::string_view message_id, std::string_view text,
                   SessionState& state) {
  state.add_seen_ids(Fingerprint(message_id));
  state.add_seen_texts(Fingerprint(text));
}

std::optional<v1::Reply> ReplyInTranscript(const v1::Session& session,
                                           std::string_view message_id) {
  const auto& turns = session.transcript();
  for (int i = turns.size() - 1; i >= 0; --i) {
    const v1::Turn& turn = turns[i];
    if (turn.role() != v1::Turn::ROLE_USER || turn.message_id() != message_id) {
      continue;
    }
    if (i + 1 < turns.size() &&
        turns[i + 1].role() == v1::Turn::ROLE_ASSISTANT &&
        turns[i + 1].has_reply()) {
      return turns[i + 1].reply();
    }
    return std::nullopt;
  }
  return std::nullopt;
}

void TrimTranscript(int max_turns, v1::Session& session) {
  const int excess = session.transcript_size() - max_turns;
  if (excess <= 0) return;
  session.mutable_transcript()->DeleteSubrange(0, excess);
  session.set_dropped_turns(session.dropped_turns() + excess);
}

void UpgradeLegacyMessageIds(SessionState& state) {
  if (state.recent_replies_size() == 0) return;
  for (const v1::Turn& turn : state.session().transcript()) {
    if (turn.role() != v1::Turn::ROLE_USER || turn.message_id().empty()) {
      continue;
    }
    if (LookUpMessage(state, turn.message_id(), turn.text()) ==
        MessageSeen::kNew) {
      RecordMessage(turn.message_id(), turn.text(), state);
    }
  }
  state.clear_recent_replies();
}

}  // namespace kneechat

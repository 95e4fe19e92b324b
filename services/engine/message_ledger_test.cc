#include "services/engine/message_ledger.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(MessageLedgerTest, FingerprintIsFnv1a64) {
  EXPECT_EQ(Fingerprint(""), 14695981039346656037ull);
  EXPECT_EQ(Fingerprint("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_NE(Fingerprint("m1"), Fingerprint("m2"));
}

TEST(MessageLedgerTest, TellsNewRetryAndReuseApartForEveryId) {
  SessionState state;
  for (int i = 0; i < 3000; ++i) {
    RecordMessage("m" + std::to_string(i), "text " + std::to_string(i), state);
  }
  EXPECT_EQ(LookUpMessage(state, "m0", "text 0"), MessageSeen::kSameText);
  EXPECT_EQ(LookUpMessage(state, "m0", "chest pain now"),
            MessageSeen::kOtherText);
  EXPECT_EQ(LookUpMessage(state, "m2999", "text 2999"), MessageSeen::kSameText);
  EXPECT_EQ(LookUpMessage(state, "m3000", "text 3000"), MessageSeen::kNew);
  // 16 bytes a message, whatever the id's length.
  EXPECT_LE(state.ByteSizeLong(), 3000u * 2 * 8 + 16);
}

v1::Turn MakeTurn(v1::Turn::Role role, const std::string& text,
                  const std::string& message_id, const std::string& reply) {
  v1::Turn turn;
  turn.set_role(role);
  turn.set_text(text);
  turn.set_message_id(message_id);
  if (!reply.empty()) turn.mutable_reply()->set_text(reply);
  return turn;
}

TEST(MessageLedgerTest, ReplyComesFromTheTurnAfterTheMessage) {
  v1::Session session;
  *session.add_transcript() =
      MakeTurn(v1::Turn::ROLE_ASSISTANT, "hello", "", "hello");
  *session.add_transcript() = MakeTurn(v1::Turn::ROLE_USER, "a", "m1", "");
  *session.add_transcript() =
      MakeTurn(v1::Turn::ROLE_ASSISTANT, "reply a", "", "reply a");
  *session.add_transcript() = MakeTurn(v1::Turn::ROLE_USER, "b", "m2", "");
  auto reply = ReplyInTranscript(session, "m1");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->text(), "reply a");
  EXPECT_FALSE(ReplyInTranscript(session, "m2").has_value());  // no reply yet
  EXPECT_FALSE(ReplyInTranscript(session, "m3").has_value());
}

TEST(MessageLedgerTest, TrimKeepsTheLatestTurnsAndCountsTheRest) {
  v1::Session session;
  for (int i = 0; i < 10; ++i) {
    *session.add_transcript() =
        MakeTurn(v1::Turn::ROLE_USER, std::to_string(i), "", "");
  }
  TrimTranscript(4, session);
  ASSERT_EQ(session.transcript_size(), 4);
  EXPECT_EQ(session.transcript(0).text(), "6");
  EXPECT_EQ(session.dropped_turns(), 6);
  TrimTranscript(4, session);
  EXPECT_EQ(session.dropped_turns(), 6);
}

TEST(MessageLedgerTest, LegacyRecentRepliesBecomeFingerprints) {
  SessionState state;
  *state.mutable_session()->add_transcript() =
      MakeTurn(v1::Turn::ROLE_USER, "my knee", "old", "");
  state.add_recent_replies()->set_message_id("old");
  UpgradeLegacyMessageIds(state);
  EXPECT_EQ(state.recent_replies_size(), 0);
  EXPECT_EQ(LookUpMessage(state, "old", "my knee"), MessageSeen::kSameText);
  UpgradeLegacyMessageIds(state);
  EXPECT_EQ(state.seen_ids_size(), 1);
}

}  // namespace
}  // namespace kneechat

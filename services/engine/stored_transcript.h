// How a session keeps its transcript: compactly, without what it can find
// again, and how the transcript is shown (GetSession, replies to repeated
// messages) with all of it back.
//
// Every reply is kept once, in its assistant turn: after a turn
// KeepLatestReply() moves the reply the dialogue left in last_reply into the
// latest assistant turn, compacted, and clears last_reply; before a turn
// that may read it (a question is pending, which "why do you ask?" repeats)
// RestoreLastReply() shows it again. An assistant turn is stored without:
//   - its `text` (the same as reply.text);
//   - the reply's `speech` when it is the text spoken (ToSpeech);
//   - a copy of any curated text the reply carries whole (a question, its
//     spoken form, its reason: `text`, `speech`, `why`), which is named
//     instead (known_texts.h);
//   - each citation's `document_id` and `title` when its passage names them,
//     and its `excerpt` when the reply text quotes it on its own bullet line
//     before its "[n]" marker (as the composer writes quotes).
// Each field is dropped only when showing it again gives exactly what was
// dropped, so a stored turn always shows as it was sent: a repeated message
// gets the very reply it got.
// Turns stored in full by earlier versions show unchanged, and so does a
// state an earlier version stored with its latest reply in last_reply and
// that turn as role and time alone (RestoreLatestTurn). A named text or
// excerpt that an edited corpus no longer holds shows as empty, never as
// another text.
//
// Thread-safety: free functions over values the caller holds.
#pragma once

#include <optional>
#include <string_view>

#include "kneechat/engine/v1/session_state.pb.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/engine/known_texts.h"
#include "services/retrieval/searcher.h"

namespace kneechat {

// What a stored turn may name instead of copying: article passages and the
// curated texts of the knowledge. Both must outlive the calls.
struct TranscriptSources {
  const Searcher& passages;
  const KnownTexts& texts;
};

// Drops from an assistant turn what ShowTurn() can give back.
void CompactAssistantTurn(const TranscriptSources& sources, v1::Turn& turn);

// Whether `turn` is the latest assistant turn stored as role and time, its
// reply in last_reply (as earlier versions stored it).
bool RepliedWithLastReply(const v1::Turn& turn);

// A state stored by an earlier version: stores the latest assistant turn
// with its own (compacted) reply, taken from last_reply; call before
// anything changes last_reply. No-op otherwise.
void RestoreLatestTurn(const TranscriptSources& sources,
                       engine::v1::SessionState& state);

// After a turn (or a session's greeting) appended its assistant turn: moves
// last_reply, the reply just sent, into that turn, compacted.
void KeepLatestReply(const TranscriptSources& sources,
                     engine::v1::SessionState& state);

// Sets last_reply to the latest assistant turn's reply as it was sent, when
// last_reply is not set; returns whether it did.
bool RestoreLastReply(const TranscriptSources& sources,
                      engine::v1::SessionState& state);

// The reply given to the user turn carrying `message_id`, as it was sent
// if that turn and its reply are still in the
// transcript.
std::optional<v1::Reply> StoredReplyTo(const TranscriptSources& sources,
                                       const engine::v1::SessionState& state,
                                       std::string_view message_id);

// A stored turn as it was sent. `last_reply` is the session's last reply
// (the reply of the latest assistant turn).
v1::Turn ShowTurn(const TranscriptSources& sources, const v1::Turn& stored,
                  const v1::Reply& last_reply);

// The public view of a session, with every turn shown in full, and its
// slots and findings (stored once, in the state's maps) with their words.
v1::Session ShowSession(const TranscriptSources& sources,
                        const engine::v1::SessionState& state);

// The excerpt quoted in `text` for citation `number`: a line "• EXCERPT
// [number]" (the marker ends the line); "" when there is none.
std::string_view QuotedExcerpt(std::string_view text, int number);

}  // namespace kneechat

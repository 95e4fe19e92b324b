// Every size limit kneechat applies to what a client sends or a session
// keeps, in one place, so that what one layer accepts the next can handle.
//
// A message accepted by SendMessage (at most kMaxMessageBytes) may become a
// retrieval query on its own or joined to a curated query (at most
// kMaxCuratedQueryBytes, checked when the knowledge is loaded), so the
// searcher accepts kMaxRetrievalQueryBytes, which covers both.
#pragma once

#include <cstddef>

namespace kneechat {

// Text of one message (SendMessage, webhooks): UTF-8 bytes.
inline constexpr size_t kMaxMessageBytes = 4096;
// A Search request's query: what a message may say, a message may ask.
inline constexpr size_t kMaxSearchQueryBytes = kMaxMessageBytes;
// A query written in the knowledge files (a condition's about/care query).
inline constexpr size_t kMaxCuratedQueryBytes = 512;
// What the searcher accepts: a message, a space and a curated query.
inline constexpr size_t kMaxRetrievalQueryBytes =
    kMaxMessageBytes + 1 + kMaxCuratedQueryBytes;
// session_id and message_id.
inline constexpr size_t kMaxIdBytes = 128;
// A channel name: 1..kMaxChannelBytes of [a-z0-9_-].
inline constexpr size_t kMaxChannelBytes = 32;
// Search page size.
inline constexpr int kMaxPageSize = 50;

// Turns kept in a session's transcript; older ones are dropped and counted
// (Session.dropped_turns). One exchange is two turns.
inline constexpr int kMaxTranscriptTurns = 60;
// Messages one session may receive. Every message id is remembered for the
// whole session as 16 bytes, so this bounds that memory (80 KB).
inline constexpr int kMaxMessagesPerSession = 5000;

}  // namespace kneechat

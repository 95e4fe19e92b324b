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

// The HTTP front end (services/http): what one connection or request may
// hold, so that no client, however slow or large its requests, can exhaust
// memory or keep the others waiting. Defaults; the deployment file's `http`
// settings override them.
struct HttpLimits {
  // Connections open at once; further ones are closed as soon as accepted.
  int max_connections = 1024;
  // Connections open at once from one address (not counted for the trusted
  // proxies in fair_use, whose connections carry many clients).
  int max_connections_per_address = 64;
  // Connections waiting to be accepted (listen(2) backlog; the kernel caps it
  // at net.core.somaxconn).
  int listen_backlog = 1024;
  // Memory for one connection's request line, headers and read buffer: a
  // request whose line and headers do not fit gets 414 or 431.
  size_t connection_memory_bytes = 32 * 1024;
  // Header fields in one request; more is 431.
  int max_header_count = 100;
  // A request body; a longer one is 413 and is never buffered. Up to
  // `max_discarded_body_bytes` of it are read and thrown away first, so
  // that a client still sending can read the 413; past that (declared or
  // sent) the 413 goes out at once and the connection is closed.
  size_t max_body_bytes = 64 * 1024;
  size_t max_discarded_body_bytes = 1024 * 1024;
  // Whole seconds from a request's first line to its last body byte; a
  // client still sending then (one byte at a time, say) is disconnected.
  int request_deadline_seconds = 10;
  // Seconds a connection may wait for its next request (keep-alive) or
  // leave a response unread; then it is closed.
  int idle_timeout_seconds = 30;
  // Threads running request handlers (engine turns, webhooks, files), and
  // requests that may wait for one; past that, 503 with Retry-After.
  int handler_threads = 8;
  int max_queued_requests = 256;
};

}  // namespace kneechat

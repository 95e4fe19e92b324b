// kneechat's own log: one line per event on stderr (journald under systemd),
// prefixed "kneechat: ". Callers pass only what kneechat wrote (codes,
// method names, file paths, library messages), never user text: messages,
// queries and phone numbers stay out of logs.
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <string_view>

namespace kneechat {

// Writes one line. Lines from different threads never interleave.
void LogLine(std::string_view line);

// Routes libprotobuf's own log messages (e.g. "String field ... contains
// invalid UTF-8") into LogLine instead of raw stderr, at most one line per
// second, the rest counted in the next line that is written. Call once at
// start, before threads begin (libprotobuf's SetLogHandler is not
// thread-safe).
void RouteProtobufLogging();

// Lines RouteProtobufLogging's handler was given, written or not.
long ProtobufLogMessagesForTest();

}  // namespace kneechat

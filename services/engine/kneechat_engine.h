// Builds the real kneechat engine from its data: the curated corpus
// directory, the Xapian index and the deployment configuration, over a
// session store chosen by the caller (in memory unless told otherwise).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/limits.h"
#include "services/common/paths.h"
#include "services/config/deployment_config.h"
#include "services/engine/engine.h"
#include "services/handoff/handoff_delivery.h"
#include "services/session/session_store.h"

namespace kneechat {

class Clock;

struct EngineOptions {
  DataPaths paths = DefaultDataPaths();
  // Deployment settings (emergency number, clinic contact, channel secrets),
  // loaded once by the caller (LoadDeploymentConfig).
  DeploymentConfig config = DefaultDeploymentConfig();
  // Where sessions live. Not owned; must outlive the engine. Null means an
  // in-memory store owned by the engine, built from session_ttl and
  // max_sessions. A given store applies its own TTL; session_ttl is then
  // only used for the expire_time reported to clients and must match it.
  SessionStore* session_store = nullptr;
  absl::Duration session_ttl = absl::Minutes(30);
  size_t max_sessions = 250000;
  // Per-session bounds (defaults in services/common/limits.h).
  int max_transcript_turns = kMaxTranscriptTurns;
  int max_messages_per_session = kMaxMessagesPerSession;
  // Not owned; null means the system clock. Must outlive the engine.
  Clock* clock = nullptr;
  // Where a handoff goes once the person consents (services/handoff). Not
  // owned; must outlive the engine. Null: consent is never asked and
  // nothing is sent (GetHandoff still works).
  HandoffDelivery* handoff_delivery = nullptr;
};

// Loads and validates everything the engine needs. Returns kInvalidArgument
// or kNotFound naming the file when a knowledge file or the index is missing
// or malformed, so a server fails at start-up rather than mid-conversation.
absl::StatusOr<std::unique_ptr<Engine>> CreateKneechatEngine(
    const EngineOptions& options);

}  // namespace kneechat

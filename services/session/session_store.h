// Where conversations live between turns.
//
// A store keeps one engine::v1::SessionState per session id, forgets it after
// a period without use (its TTL), and applies updates to one session one at a
// time -- across every process sharing the store. The dialogue sees only this
// interface. Implementations: MemorySessionStore (one process, the default)
// and RedisSessionStore (any number of replicas); MakeSessionStore() in
// session_store_factory.h picks one from --session_store.
//
// Errors:
//   kNotFound           unknown, deleted or expired session
//   kResourceExhausted  the store is full (Insert)
//   kAlreadyExists      Insert with an id that is in use
//   kUnavailable        the store cannot be reached, or another turn of the
//                       same session held it too long; nothing was changed
//                       and the call may be retried (with the same message id)
//   anything an Update function returns is passed through, and the state is
//   then left as it was.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kneechat/engine/v1/session_state.pb.h"

namespace kneechat {

using SessionState = engine::v1::SessionState;

class SessionStore {
 public:
  using UpdateFn = std::function<absl::Status(SessionState& state)>;

  virtual ~SessionStore() = default;

  // Adds a new session keyed by state.session().session_id().
  virtual absl::Status Insert(const SessionState& state) = 0;

  // Runs `fn` on the session's state while holding that session's lock; other
  // updates of the same session wait, other sessions go on. If `fn` returns OK
  // the (possibly changed) state is kept and its TTL restarts.
  virtual absl::Status Update(std::string_view session_id,
                              const UpdateFn& fn) = 0;

  // As Update, for an `fn` that leaves the state exactly as it found it
  // whenever it returns an error: a store may then change its state in place
  // without keeping a copy to fall back to. The default is Update.
  virtual absl::Status UpdateInPlace(std::string_view session_id,
                                     const UpdateFn& fn) {
    return Update(session_id, fn);
  }

  // A copy of the state. Does not restart the TTL.
  virtual absl::StatusOr<SessionState> Get(std::string_view session_id) = 0;

  // Erases the session and everything in it.
  virtual absl::Status Delete(std::string_view session_id) = 0;

  // OK while the store can serve; kUnavailable while it cannot (health
  // checks report NOT_SERVING then). Cheap; called about once a second.
  virtual absl::Status CheckHealth() { return absl::OkStatus(); }
};

}  // namespace kneechat

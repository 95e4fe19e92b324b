// The HTTP/1.1 connection layer under kneechat's front end, on
// libmicrohttpd: it accepts connections, reads requests within the limits in
// HttpLimits (services/common/limits.h) and hands each whole request to an
// HttpRequestRouter.
//
// How requests run:
//  - One event thread (libmicrohttpd's internal epoll thread) owns every
//    socket: it accepts, reads request lines, headers and bodies, and writes
//    responses, never blocking on one client. Connections cost no thread.
//  - When a request's headers are in, the router's Screen() runs on the
//    event thread (it must be quick and must not block): it picks the body
//    limit and may answer at once (a refused secret, a body declared too
//    large); such a request's body is never read and its connection closes.
//  - When the body is in, the connection is suspended and the router's
//    Handle() runs on one of `handler_threads` threads; a slow handler (a
//    turn waiting for its session's lock, Redis timing out) holds only its
//    own request. Its response is written by the event thread. When the
//    handler queue is full the request gets 503 with Retry-After: 1.
//  - Pipelined requests are answered one after the other, in order.
//  - A watchdog thread enforces the deadlines libmicrohttpd does not have:
//    a request must arrive whole within `request_deadline_seconds` of its
//    first line (a total, not per byte), and a connection may wait for its
//    next request at most `idle_timeout_seconds`; it shuts such sockets
//    down, and the event thread then closes them.
//  - At most `max_connections` connections, `max_connections_per_address`
//    from one address (trusted proxies exempt); when the server is nearly
//    full, connections waiting for a request are closed idlest first so new
//    clients get in.
//
// Why so: libmicrohttpd bounds the request line and headers (its
// per-connection memory pool: 414/431), connections and idle time, but its
// timeout is per byte of activity, so a trickling client would hold a
// connection forever; hence the watchdog's total deadline (it shuts the
// socket down; libmicrohttpd then closes it on its own thread, before the
// descriptor can be reused). Its own per-IP limit would count nginx, which
// speaks for every client, as one address; hence the accept policy here,
// which exempts the trusted proxies. Its thread-pool mode would run a slow
// handler on an event thread, stalling the connections that thread owns;
// suspend/resume with a separate handler pool does not.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/limits.h"
#include "services/http/http_message.h"

struct MHD_Connection;
struct MHD_Daemon;

namespace kneechat {

class HandlerPool;

// What the listener asks of the layer that knows the routes.
// Implementations must be thread-safe.
class HttpRequestRouter {
 public:
  struct BodyPlan {
    // A longer body (declared or sent) is answered with `too_large`.
    size_t max_body_bytes = 0;
    HttpHandler too_large;
  };

  virtual ~HttpRequestRouter() = default;

  // On the event thread, with `request`'s headers (no body yet). Returns true
  // after filling `response` to answer without reading the body. Otherwise
  // fills `plan`. Must not block.
  virtual bool Screen(const HttpRequest& request, HttpResponse& response,
                      BodyPlan& plan) = 0;

  // On a handler thread, with the whole request.
  virtual void Handle(const HttpRequest& request, HttpResponse& response) = 0;

  // Headers every response carries (security headers).
  virtual const HttpHeaders& DefaultHeaders() const = 0;
};

// What the listener has refused or cut off since it started.
struct HttpListenerStats {
  int64_t connections_now = 0;
  int64_t refused_per_address = 0;  // over max_connections_per_address
  int64_t refused_full = 0;         // at max_connections, none idle
  int64_t cut_request_deadline = 0;
  int64_t cut_idle = 0;
  int64_t cut_for_room = 0;  // closed while waiting, to make room
  int64_t too_many_headers = 0;
  int64_t handler_queue_full = 0;
};

// Thread-safe.
class HttpListener {
 public:
  // Binds `host` and `port` (0: a free port) and starts serving.
  // `router` is not owned and must outlive the listener. Connections from
  // `trusted_proxies` (exact addresses) are exempt from the per-address
  // limit. kUnavailable when the address cannot be bound or the server
  // cannot start; kInvalidArgument for a host that is not an address.
  static absl::StatusOr<std::unique_ptr<HttpListener>> Start(
      const std::string& host, int port, const HttpLimits& limits,
      HttpRequestRouter* router, std::vector<std::string> trusted_proxies);

  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;
  ~HttpListener();

  // Stops accepting (the port closes), lets handlers already queued finish
  // and their responses go out (for at most a few seconds), then closes
  // every connection and joins the threads. Idempotent.
  void Stop();

  int port() const { return port_; }
  HttpListenerStats stats() const;

  // Internal, for the libmicrohttpd callbacks.
  struct Connection;
  struct Request;
  struct Callbacks;

 private:
  friend struct Callbacks;

  HttpListener(const HttpLimits& limits, HttpRequestRouter* router,
               std::vector<std::string> trusted_proxies);

  void Watch();
  bool TrustedProxy(const std::string& address) const;
  bool DrainedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requests_in_flight_ == 0;
  }
  bool DoneLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !watching_;
  }
  void CutLocked(Connection* connection) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const HttpLimits limits_;
  HttpRequestRouter* const router_;
  const std::vector<std::string> trusted_proxies_;
  int port_ = 0;
  MHD_Daemon* daemon_ = nullptr;
  std::unique_ptr<HandlerPool> handlers_;
  std::thread watchdog_;

  mutable absl::Mutex mu_;
  absl::flat_hash_set<Connection*> connections_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> per_address_ ABSL_GUARDED_BY(mu_);
  HttpListenerStats stats_ ABSL_GUARDED_BY(mu_);
  int64_t requests_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool watching_ ABSL_GUARDED_BY(mu_) = true;
  absl::Mutex stop_mu_;
  bool stopped_ ABSL_GUARDED_BY(stop_mu_) = false;
};

}  // namespace kneechat

// kneechat's HTTP/1.1 front end for browsers and channel webhooks:
//  - POST /kneechat.v1.KneeChat/<Method>: the KneeChat RPCs in the Connect
//    protocol's unary form. Content-Type application/json (proto3 JSON,
//    lowerCamelCase names, unknown fields ignored) or application/proto.
//    Errors are Connect error JSON {"code":"not_found","message":"..."} with
//    the Connect HTTP status (400, 404, 429, 500, ...). Unknown method 404,
//    wrong content type 415, body over the limit 413 (the engine is not
//    called), other HTTP methods 405, OPTIONS answers CORS preflights.
//  - GET / (demo page), /widget.js, /widget.css, /demo.css from `web_dir`,
//    with security headers (strict CSP on the page, nosniff everywhere).
//  - GET /healthz: 200 while serving, 503 while `ready` says no (e.g. the
//    session store cannot be reached), so a load balancer can skip it.
//  - whatever `route_registrars` add (channel webhooks).
// No request or message text is ever logged.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace kneechat {

struct HttpOptions {
  std::string web_dir;  // clients/web (widget.js, index.html)
  std::vector<std::string>
      allowed_origins;  // CORS for the widget; empty = same-origin only
  size_t max_body_bytes = 64 * 1024;
  int read_timeout_seconds = 10, write_timeout_seconds = 10;
  // Asked by GET /healthz; null means always ready. Must be thread-safe.
  std::function<bool()> ready;
  // Per-client budgets for the Connect RPCs (the web channel): a refusal is
  // 429 with Retry-After. Not owned; null means no limits. Must outlive the
  // server.
  FairUse* fair_use = nullptr;
  // Extra routes (channel webhooks) registered by other modules.
  std::vector<std::function<void(httplib::Server&)>> route_registrars;
};

// Thread-safe. `engine` is not owned and must outlive the server.
class HttpServer {
 public:
  // Binds `host_port` ("127.0.0.1:8080", "[::1]:0", "0.0.0.0:8080"; port 0
  // picks a free port) and serves on background threads. kInvalidArgument
  // for a malformed address, kUnavailable when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& host_port, Engine& engine, const HttpOptions& options);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // Stops accepting, finishes requests in progress and joins the threads.
  // Idempotent; also called by the destructor.
  void Stop();

  // The bound port (the chosen one when started with port 0).
  int port() const;

 private:
  HttpServer(std::unique_ptr<httplib::Server> server, int port);

  std::unique_ptr<httplib::Server> server_;
  const int port_;
  std::thread listener_;
  absl::Mutex stop_mu_;
  bool stopped_ ABSL_GUARDED_BY(stop_mu_) = false;
};

}  // namespace kneechat

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
//  - the `routes` other modules add (channel webhooks, POST; operations
//    endpoints, GET).
// Connections, limits and threads are HttpListener's (http_listener.h):
// one event thread for every socket, handlers on a small pool, a total
// deadline per request, and the limits in HttpLimits; a request over them
// gets 413, 414 or 431, or its connection is closed.
// No request or message text is ever logged.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/limits.h"
#include "services/config/fair_use.h"
#include "services/engine/engine.h"
#include "services/http/http_listener.h"
#include "services/http/http_message.h"

namespace kneechat {

struct HttpOptions {
  std::string web_dir;  // clients/web (widget.js, index.html)
  std::vector<std::string>
      allowed_origins;  // CORS for the widget; empty = same-origin only
  HttpLimits limits;
  // Asked by GET /healthz; null means always ready. Must be thread-safe.
  std::function<bool()> ready;
  // Per-client budgets for the Connect RPCs (the web channel): a refusal is
  // 429 with Retry-After. Its trusted proxies are also exempt from the
  // per-address connection limit. Not owned; null means no budgets. Must
  // outlive the server.
  FairUse* fair_use = nullptr;
  // Extra routes (channel webhooks, operations endpoints) added by other
  // modules; a path the server serves itself cannot be taken.
  std::vector<HttpRoute> routes;
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

  // Stops accepting, lets requests in progress finish (for a few seconds at
  // most) and joins the threads. Idempotent; also called by the destructor.
  void Stop();

  // The bound port (the chosen one when started with port 0).
  int port() const;

  // What the connection layer has refused or cut off.
  HttpListenerStats stats() const;

 private:
  class Router;
  HttpServer() = default;

  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpListener> listener_;
};

}  // namespace kneechat

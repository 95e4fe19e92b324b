// The operator's HTTP endpoints, independent of the HTTP library so that
// any front end can serve them (and tests need no sockets):
//   GET /metrics  kneechat's metrics in the Prometheus text format
//   GET /readyz   200 "ready" while the server can take conversations
//                 (the session store answers), else 503: for readiness
//                 probes and load balancers (as /healthz)
//   GET /livez    200 "alive" while the process serves HTTP at all: for
//                 liveness probes, which must not restart every replica
//                 when Redis is down
// Responses are never cached and hold no user data.
//
// Thread-safety: the functions are thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "services/observability/metrics_registry.h"

namespace kneechat {

struct OpsResponse {
  int status = 200;
  std::string content_type;
  std::string body;
};

struct OpsEndpoints {
  // Rendered for GET /metrics. Not owned; must outlive the server.
  const MetricsRegistry* registry = nullptr;
  // Asked by GET /readyz; null means always ready. Must be thread-safe.
  std::function<bool()> ready;
};

// The paths served by HandleOpsRequest.
inline constexpr const char* kOpsPaths[] = {"/metrics", "/readyz", "/livez"};

// The response to GET `path` (one of kOpsPaths; 404 for anything else).
OpsResponse HandleOpsRequest(const OpsEndpoints& endpoints,
                             std::string_view path);

}  // namespace kneechat

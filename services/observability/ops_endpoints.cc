#include "services/observability/ops_endpoints.h"

namespace kneechat {

OpsResponse HandleOpsRequest(const OpsEndpoints& endpoints,
                             std::string_view path) {
  constexpr char kText[] = "text/plain; charset=utf-8";
  if (path == "/metrics") {
    if (endpoints.registry == nullptr) return {404, kText, "no metrics\n"};
    return {200, kPrometheusContentType, endpoints.registry->Render()};
  }
  if (path == "/readyz") {
    if (endpoints.ready && !endpoints.ready()) {
      return {503, kText, "not ready\n"};
    }
    return {200, kText, "ready\n"};
  }
  if (path == "/livez") return {200, kText, "alive\n"};
  return {404, kText, "not found\n"};
}

}  // namespace kneechat

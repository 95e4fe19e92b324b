#include "services/observability/ops_routes.h"

#include <memory>
#include <string>
#include <utility>

namespace kneechat {

std::vector<HttpRoute> OpsRoutes(OpsEndpoints endpoints) {
  auto shared = std::make_shared<const OpsEndpoints>(std::move(endpoints));
  std::vector<HttpRoute> routes;
  for (const char* path : kOpsPaths) {
    HttpRoute route;
    route.method = "GET";
    route.path = path;
    const std::string p = path;
    route.handle = [shared, p](const HttpRequest&, HttpResponse& response) {
      OpsResponse out = HandleOpsRequest(*shared, p);
      response.status = out.status;
      response.set_header("Cache-Control", "no-store");
      response.body = std::move(out.body);
      response.content_type = std::move(out.content_type);
    };
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace kneechat

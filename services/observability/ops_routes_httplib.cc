#include "services/observability/ops_routes_httplib.h"

#include <httplib.h>

#include <memory>
#include <string>
#include <utility>

namespace kneechat {

std::function<void(httplib::Server&)> OpsRouteRegistrar(
    OpsEndpoints endpoints) {
  auto shared = std::make_shared<const OpsEndpoints>(std::move(endpoints));
  return [shared](httplib::Server& server) {
    for (const char* path : kOpsPaths) {
      const std::string p = path;
      server.Get(
          p, [shared, p](const httplib::Request&, httplib::Response& response) {
            OpsResponse out = HandleOpsRequest(*shared, p);
            response.status = out.status;
            response.set_header("Cache-Control", "no-store");
            response.set_content(std::move(out.body), out.content_type);
          });
    }
  };
}

}  // namespace kneechat

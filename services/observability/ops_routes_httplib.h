// Attaches the operator's endpoints (ops_endpoints.h) to the cpp-httplib
// front end as a route registrar (HttpOptions::route_registrars): the only
// code that ties them to the HTTP library.
#pragma once

#include <functional>

#include "services/observability/ops_endpoints.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace kneechat {

// A registrar adding GET for every path in kOpsPaths.
std::function<void(httplib::Server&)> OpsRouteRegistrar(OpsEndpoints endpoints);

}  // namespace kneechat

// Attaches the operator's endpoints (ops_endpoints.h) to kneechat's HTTP
// server as GET routes: the only code that ties them to the front end.
//
// Thread-safety: the routes' handlers may run concurrently.
#pragma once

#include <vector>

#include "services/http/http_message.h"
#include "services/observability/ops_endpoints.h"

namespace kneechat {

// A GET route for every path in kOpsPaths, answered by HandleOpsRequest
// and never cached.
std::vector<HttpRoute> OpsRoutes(OpsEndpoints endpoints);

}  // namespace kneechat

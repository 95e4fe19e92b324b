// The HTTP front end's limits from the deployment file's `http` settings.
#pragma once

#include "kneechat/knowledge/v1/deployment.pb.h"
#include "services/common/limits.h"

namespace kneechat {

// HttpLimits with every field of `settings` that is above 0 in place of the
// default. Never fails.
HttpLimits HttpLimitsFrom(const knowledge::v1::HttpSettings& settings);

}  // namespace kneechat

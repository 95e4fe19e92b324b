#include "services/config/http_limits.h"

namespace kneechat {
namespace {

template <typename T>
void Override(int32_t value, T& field) {
  if (value > 0) field = static_cast<T>(value);
}

}  // namespace

HttpLimits HttpLimitsFrom(const knowledge::v1::HttpSettings& settings) {
  HttpLimits limits;
  Override(settings.max_connections(), limits.max_connections);
  Override(settings.max_connections_per_address(),
           limits.max_connections_per_address);
  Override(settings.listen_backlog(), limits.listen_backlog);
  Override(settings.connection_memory_bytes(), limits.connection_memory_bytes);
  Override(settings.max_header_count(), limits.max_header_count);
  Override(settings.max_body_bytes(), limits.max_body_bytes);
  Override(settings.request_deadline_seconds(),
           limits.request_deadline_seconds);
  Override(settings.idle_timeout_seconds(), limits.idle_timeout_seconds);
  Override(settings.handler_threads(), limits.handler_threads);
  Override(settings.max_queued_requests(), limits.max_queued_requests);
  return limits;
}

}  // namespace kneechat

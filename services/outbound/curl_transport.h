// HttpTransport on Debian's libcurl: a request is written at once (headers
// and body together, TCP_NODELAY), connections are kept alive and reused,
// and every call is bounded by its timeout.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/outbound/http_transport.h"

namespace kneechat {

struct CurlTransportOptions {
  // Longest wait for a TCP (and TLS) connection; the call's own timeout
  // bounds it too.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Idle easy handles kept, each holding its kept-alive connection. Calls
  // beyond this many at once open a connection of their own.
  size_t max_idle_handles = 8;
};

// Thread-safe. Redirects are not followed; only http and https are spoken.
class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  absl::StatusOr<HttpAnswer> Post(const HttpPost& post,
                                  absl::Duration timeout) override;

  // New connections opened so far (keep-alive makes this much smaller than
  // the number of calls).
  int64_t connections_opened() const;

 private:
  struct Handle;
  std::unique_ptr<Handle> Take();
  void Give(std::unique_ptr<Handle> handle);

  const CurlTransportOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_ ABSL_GUARDED_BY(mu_);
  int64_t connections_opened_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kneechat

// Raw HTTP/1.1 over loopback sockets for tests that misbehave on purpose:
// byte-trickling, pipelining, idle connections, huge headers, clients on
// chosen loopback addresses (127.0.0.0/8 is all loopback on Linux).
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace kneechat::testing {

// A connected TCP socket; closes it on destruction. Not thread-safe.
class RawConnection {
 public:
  // Connects to 127.0.0.1:`port` from `source` (an IPv4 loopback address;
  // "" lets the kernel pick). ok() is false when that failed.
  explicit RawConnection(int port, const std::string& source = "");
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Writes all of `bytes`; false when the peer has closed or reset.
  bool Send(std::string_view bytes);

  // Reads one HTTP response (headers and a Content-Length body) within
  // `timeout`; "" on timeout, close or reset.
  std::string ReadResponse(absl::Duration timeout);

  // True when the peer closes (or resets) the connection within `timeout`;
  // whatever it sent first is discarded.
  bool ClosedWithin(absl::Duration timeout);

 private:
  int fd_ = -1;
  std::string pending_;  // read past the last response
};

// The status code of a response from ReadResponse; 0 when there is none.
int StatusOf(std::string_view response);
// The body of a response from ReadResponse.
std::string BodyOf(std::string_view response);

// One GET or POST on a fresh connection; the response or "".
std::string Exchange(int port, const std::string& request,
                     absl::Duration timeout, const std::string& source = "");

// The resident memory of process `pid` in KiB (VmRSS); -1 if unknown.
long ResidentKib(int pid);

}  // namespace kneechat::testing

// Runs kneechat's gRPC server with its production settings: grpc.health.v1,
// server reflection, a request size limit and keepalive.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace kneechat {

struct GrpcServerOptions {
  // "HOST:PORT"; port 0 picks a free port (see GrpcServer::port()).
  std::string listen_address = "127.0.0.1:50051";
  // A larger request is refused by gRPC with RESOURCE_EXHAUSTED before the
  // service sees it.
  int max_receive_message_bytes = 64 * 1024;
  // Streams one connection may have open at once (HTTP/2
  // SETTINGS_MAX_CONCURRENT_STREAMS); more wait for the client's turn.
  int max_concurrent_streams = 32;
  // Memory gRPC may use for all connections' buffers (a ResourceQuota);
  // beyond it new reads wait and new connections are refused.
  size_t resource_quota_bytes = 256u << 20;
  // Threads gRPC may run for the server (the same ResourceQuota).
  int max_threads = 64;
  // A connection with no stream for this long is closed (GOAWAY).
  absl::Duration max_connection_idle = absl::Minutes(5);
  // A connection is closed after this long, with `max_connection_age_grace`
  // for its streams to finish, so no client holds one forever.
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
};

// A started gRPC server. Thread-safety: Shutdown() may be called from any
// thread, once or more; the accessors are safe at any time.
class GrpcServer {
 public:
  // Registers `service` (not owned; it must outlive the returned server) and
  // starts listening. The health service then reports SERVING for the whole
  // server ("") and for every service name in `health_names`. Returns
  // kUnavailable naming the address when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const GrpcServerOptions& options, grpc::Service& service,
      const std::vector<std::string>& health_names);

  // Shuts down if Shutdown() was not called.
  ~GrpcServer();

  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // The bound port.
  int port() const { return port_; }
  // "HOST:PORT" with the host as given and the bound port.
  const std::string& address() const { return address_; }
  // For in-process clients (tests).
  grpc::Server& server() { return *server_; }

  // Reports SERVING or NOT_SERVING to health checks (e.g. NOT_SERVING while
  // the session store cannot be reached). Ignored after Shutdown().
  void SetServing(bool serving);

  // Whether the listener still accepts: opens a new connection to the bound
  // port over loopback and waits up to `timeout` for it to be ready.
  // kUnavailable if it is not. gRPC 1.51's listener stops accepting for good
  // once accept() has failed for lack of file descriptors; the server
  // watches this and exits so that its supervisor restarts it.
  absl::Status ProbeListener(absl::Duration timeout) const;

  // Reports NOT_SERVING to health checks, stops accepting RPCs, lets the
  // ones in flight finish until `deadline` and cancels the rest.
  void Shutdown(absl::Time deadline);

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port,
             std::string address);

  std::unique_ptr<grpc::Server> server_;
  const int port_;
  const std::string address_;
  std::atomic<bool> shut_down_{false};
  absl::Mutex health_mu_;  // orders SetServing against Shutdown
};

}  // namespace kneechat

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

#include "services/grpc/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace kneechat {
namespace {

// Keepalive suited to clients behind NATs and load balancers: ping idle
// connections every minute, and accept client pings every 30 s or slower
// (two pings too soon, or pings on a connection without streams beyond
// that, and the connection is closed). Connections are closed when idle and
// when old, streams per connection are bounded. A second server on the same
// port fails to start rather than silently sharing the traffic.
void SetChannelArguments(const GrpcServerOptions& options,
                         grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 30 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_IDLE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_idle)));
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.max_connection_age)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(
                                 options.max_connection_age_grace)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_concurrent_streams);
}

std::string HostOf(const std::string& listen_address) {
  const size_t colon = listen_address.rfind(':');
  return colon == std::string::npos ? listen_address
                                    : listen_address.substr(0, colon);
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const GrpcServerOptions& options, grpc::Service& service,
    const std::vector<std::string>& health_names) {
  // Both are process-wide switches read by every later ServerBuilder; the
  // reflection plugin must be registered only once.
  grpc::EnableDefaultHealthCheckService(true);
  static std::once_flag reflection_once;
  std::call_once(reflection_once, [] {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  });

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  SetChannelArguments(options, builder);
  grpc::ResourceQuota quota("kneechat-grpc");
  quota.Resize(options.resource_quota_bytes);
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (address in use or not valid for this host)"));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const std::string& name : health_names) {
    health->SetServingStatus(name, true);
  }
  return std::unique_ptr<GrpcServer>(
      new GrpcServer(std::move(server), port,
                     absl::StrCat(HostOf(options.listen_address), ":", port)));
}

GrpcServer::GrpcServer(std::unique_ptr<grpc::Server> server, int port,
                       std::string address)
    : server_(std::move(server)), port_(port), address_(std::move(address)) {}

GrpcServer::~GrpcServer() { Shutdown(absl::Now()); }

void GrpcServer::SetServing(bool serving) {
  absl::MutexLock lock(&health_mu_);
  if (shut_down_) return;
  server_->GetHealthCheckService()->SetServingStatus(serving);
}

void GrpcServer::Shutdown(absl::Time deadline) {
  {
    absl::MutexLock lock(&health_mu_);
    if (shut_down_.exchange(true)) return;
    server_->GetHealthCheckService()->SetServingStatus(false);
  }
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
}

absl::Status GrpcServer::ProbeListener(absl::Duration timeout) const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a new connection
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                grpc::InsecureChannelCredentials(), args);
  const absl::Time deadline = absl::Now() + timeout;
  if (!channel->WaitForConnected(absl::ToChronoTime(deadline))) {
    return absl::UnavailableError(
        absl::StrCat("gRPC port ", port_, " does not accept connections"));
  }
  return absl::OkStatus();
}

}  // namespace kneechat

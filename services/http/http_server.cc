#include "services/http/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/error_policy.h"
#include "services/common/utf8.h"
#include "services/http/connect_errors.h"
#include "services/http/cors.h"
#include "services/http/rpc_methods.h"
#include "services/http/static_assets.h"

namespace kneechat {
namespace {

constexpr char kRpcPathPattern[] = R"(/kneechat\.v1\.KneeChat/([A-Za-z]*))";
constexpr char kAcceptPost[] =
    "application/json, application/json; charset=utf-8, application/proto";

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> ParseHostPort(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen address needs host:port, got \"", host_port, "\""));
  }
  HostPort out;
  out.host = host_port.substr(0, colon);
  if (out.host.size() >= 2 && out.host.front() == '[' &&
      out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  if (out.host.empty()) out.host = "0.0.0.0";
  const std::string port = host_port.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &out.port) || out.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad port in listen address \"", host_port, "\""));
  }
  return out;
}

void SetConnectError(const absl::Status& status, int http_status,
                     httplib::Response& response) {
  response.status = http_status;
  response.set_content(ConnectErrorJson(status), "application/json");
}

void SetConnectError(const absl::Status& status, httplib::Response& response) {
  SetConnectError(status, ConnectHttpStatus(status.code()), response);
}

// Route patterns are regular expressions: this one matches `path` literally.
std::string LiteralPattern(std::string_view path) {
  std::string pattern;
  for (char c : path) {
    if (c == '.') pattern += '\\';
    pattern += c;
  }
  return pattern;
}

bool IsRpcPath(const std::string& path) {
  return path.rfind(kRpcPathPrefix, 0) == 0;
}

// Everything a request handler needs; owned by the handlers' closures.
struct Context {
  Engine* engine;
  CorsPolicy cors;
  std::string web_dir;
  std::function<bool()> ready;
  FairUse* fair_use;
};

void HandleRpc(const Context& context, const httplib::Request& request,
               httplib::Response& response) {
  context.cors.AnnotateResponse(request, response);
  response.set_header("Cache-Control", "no-store");
  const RpcMethod* method = FindRpcMethod(request.matches[1].str());
  if (method == nullptr) {
    SetConnectError(absl::UnimplementedError("no such method"), 404, response);
    return;
  }
  if (request.has_header("Connect-Protocol-Version") &&
      request.get_header_value("Connect-Protocol-Version") != "1") {
    SetConnectError(
        absl::InvalidArgumentError("Connect-Protocol-Version must be 1"),
        response);
    return;
  }
  const std::optional<WireFormat> format =
      WireFormatFromContentType(request.get_header_value("Content-Type"));
  if (!format) {
    response.set_header("Accept-Post", kAcceptPost);
    SetConnectError(
        absl::InvalidArgumentError("Content-Type must be application/json or "
                                   "application/proto"),
        415, response);
    return;
  }
  if (context.fair_use != nullptr) {
    const std::string client = context.fair_use->ClientAddress(
        request.remote_addr,
        context.fair_use->client_address_header().empty()
            ? std::string()
            : request.get_header_value(
                  context.fair_use->client_address_header().c_str()));
    absl::Status admitted =
        method->name == std::string_view("CreateSession")
            ? context.fair_use->AdmitNewSession(Channel::kWeb, client)
            : context.fair_use->AdmitRequest(Channel::kWeb, client);
    if (!admitted.ok()) {
      if (std::optional<absl::Duration> retry = RetryAfter(admitted)) {
        response.set_header("Retry-After",
                            std::to_string(absl::ToInt64Seconds(*retry)));
      }
      SetConnectError(admitted, response);
      return;
    }
  }
  if (*format == WireFormat::kJson && !IsValidUtf8(request.body)) {
    SetConnectError(
        absl::InvalidArgumentError("request body is not valid UTF-8"),
        response);
    return;
  }
  absl::StatusOr<std::string> body =
      method->invoke(*context.engine, request.body, *format);
  if (!body.ok()) {
    SetConnectError(ForClient(body.status(), request.matches[1].str()),
                    response);
    return;
  }
  response.status = 200;
  response.set_content(std::move(*body), std::string(ContentTypeOf(*format)));
}

void HandleRpcWrongMethod(const Context& context,
                          const httplib::Request& request,
                          httplib::Response& response) {
  context.cors.AnnotateResponse(request, response);
  response.set_header("Allow", "POST, OPTIONS");
  SetConnectError(absl::UnimplementedError("use POST"), 405, response);
}

// Fills in a body for error statuses that arrive without one: httplib's own
// 404 (no route) and 413 (body over the limit), and webhooks' bare statuses.
httplib::Server::HandlerResponse HandleBareError(
    const Context& context, const httplib::Request& request,
    httplib::Response& response) {
  if (!response.body.empty()) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (IsRpcPath(request.path)) {
    context.cors.AnnotateResponse(request, response);
    response.set_header("Cache-Control", "no-store");
    // httplib rejects some bodies (multipart) before the handler runs.
    if (response.status == 400 && request.method == "POST" &&
        !WireFormatFromContentType(request.get_header_value("Content-Type"))) {
      response.status = 415;
      response.set_header("Accept-Post", kAcceptPost);
    }
    absl::Status status =
        response.status == 413
            ? absl::ResourceExhaustedError("request body too large")
        : response.status == 404 ? absl::UnimplementedError("no such method")
        : response.status == 415
            ? absl::InvalidArgumentError(
                  "Content-Type must be application/json or application/proto")
            : absl::InvalidArgumentError("bad request");
    response.set_content(ConnectErrorJson(status), "application/json");
  } else {
    response.set_content(absl::StrCat("HTTP ", response.status, "\n"),
                         "text/plain; charset=utf-8");
  }
  return httplib::Server::HandlerResponse::Handled;
}

void RegisterRoutes(std::shared_ptr<const Context> context,
                    httplib::Server& server) {
  server.Post(kRpcPathPattern, [context](const httplib::Request& request,
                                         httplib::Response& response) {
    HandleRpc(*context, request, response);
  });
  auto wrong_method = [context](const httplib::Request& request,
                                httplib::Response& response) {
    HandleRpcWrongMethod(*context, request, response);
  };
  server.Get(kRpcPathPattern, wrong_method);
  server.Put(kRpcPathPattern, wrong_method);
  server.Patch(kRpcPathPattern, wrong_method);
  server.Delete(kRpcPathPattern, wrong_method);
  server.Options(kRpcPathPattern, [context](const httplib::Request& request,
                                            httplib::Response& response) {
    context->cors.AnswerPreflight(request, response);
  });

  for (const StaticAsset* asset = StaticAssetsBegin();
       asset != StaticAssetsEnd(); ++asset) {
    server.Get(
        LiteralPattern(asset->url_path),
        [context, asset](const httplib::Request&, httplib::Response& response) {
          ServeStaticAsset(context->web_dir, *asset, response);
        });
  }
  server.Get("/healthz", [context](const httplib::Request&,
                                   httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    if (context->ready && !context->ready()) {
      response.status = 503;
      response.set_content("not serving\n", "text/plain; charset=utf-8");
      return;
    }
    response.set_content("ok\n", "text/plain; charset=utf-8");
  });

  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [context](const httplib::Request& request, httplib::Response& response) {
        return HandleBareError(*context, request, response);
      }));
  server.set_exception_handler([](const httplib::Request&,
                                  httplib::Response& response,
                                  std::exception_ptr) {
    SetConnectError(
        ForClient(absl::InternalError("exception in a handler"), "http"),
        response);
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& host_port, Engine& engine, const HttpOptions& options) {
  absl::StatusOr<HostPort> address = ParseHostPort(host_port);
  if (!address.ok()) return address.status();

  auto server = std::make_unique<httplib::Server>();
  // httplib's default also sets SO_REUSEPORT, which would let a second
  // server share the port silently.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Headers and body go out in separate writes; without this, Nagle's
  // algorithm and delayed ACKs add ~40 ms to every response.
  server->set_tcp_nodelay(true);
  server->set_payload_max_length(options.max_body_bytes);
  server->set_read_timeout(options.read_timeout_seconds, 0);
  server->set_write_timeout(options.write_timeout_seconds, 0);
  server->set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  });
  auto context = std::make_shared<const Context>(
      Context{&engine, CorsPolicy(options.allowed_origins), options.web_dir,
              options.ready, options.fair_use});
  RegisterRoutes(context, *server);
  for (const auto& registrar : options.route_registrars) registrar(*server);

  int port = address->port;
  if (port == 0) {
    port = server->bind_to_any_port(address->host);
    if (port < 0) port = 0;
  } else if (!server->bind_to_port(address->host, port)) {
    port = 0;
  }
  if (port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host_port));
  }

  std::unique_ptr<HttpServer> http(new HttpServer(std::move(server), port));
  httplib::Server* raw = http->server_.get();
  http->listener_ = std::thread([raw] { raw->listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so wait for it.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!raw->is_running() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (!raw->is_running()) {
    http->Stop();
    return absl::UnavailableError(
        absl::StrCat("HTTP server on ", host_port, " did not start"));
  }
  return http;
}

HttpServer::HttpServer(std::unique_ptr<httplib::Server> server, int port)
    : server_(std::move(server)), port_(port) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  absl::MutexLock lock(&stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

int HttpServer::port() const { return port_; }

}  // namespace kneechat

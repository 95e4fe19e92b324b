#include "services/http/http_server.h"

#include <algorithm>
#include <exception>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/error_policy.h"
#include "services/common/utf8.h"
#include "services/http/connect_errors.h"
#include "services/http/cors.h"
#include "services/http/rpc_methods.h"
#include "services/http/static_assets.h"

namespace kneechat {
namespace {

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
                     HttpResponse& response) {
  response.status = http_status;
  response.set_content(ConnectErrorJson(status), "application/json");
}

void SetConnectError(const absl::Status& status, HttpResponse& response) {
  SetConnectError(status, ConnectHttpStatus(status.code()), response);
}

bool IsRpcPath(std::string_view path) {
  return path.rfind(kRpcPathPrefix, 0) == 0;
}

// The method named by an RPC path: the letters after the prefix; nullopt
// when anything else follows (no route then, as for any unknown path).
std::optional<std::string> RpcMethodName(std::string_view path) {
  if (!IsRpcPath(path)) return std::nullopt;
  std::string_view name = path.substr(std::string_view(kRpcPathPrefix).size());
  if (!std::all_of(name.begin(), name.end(), absl::ascii_isalpha)) {
    return std::nullopt;
  }
  return std::string(name);
}

bool IsGetOrHead(const HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

// Routes each request; thread-safe (immutable after construction, apart
// from what `ready` and `fair_use` guard themselves).
class HttpServer::Router : public HttpRequestRouter {
 public:
  Router(Engine& engine, const HttpOptions& options)
      : engine_(engine),
        cors_(options.allowed_origins),
        web_dir_(options.web_dir),
        ready_(options.ready),
        fair_use_(options.fair_use),
        routes_(options.routes),
        default_headers_{{"X-Content-Type-Options", "nosniff"},
                         {"Referrer-Policy", "no-referrer"}} {}

  bool Screen(const HttpRequest& request, HttpResponse& response,
              BodyPlan& plan) override {
    if (const HttpRoute* route = FindRoute(request)) {
      if (route->screen && route->screen(request, response)) {
        FillBareError(request, response);
        return true;
      }
      if (route->max_body_bytes > 0)
        plan.max_body_bytes = route->max_body_bytes;
      if (route->too_large) {
        plan.too_large = [route](const HttpRequest&, HttpResponse& out) {
          route->too_large(out);
        };
        return false;
      }
    }
    plan.too_large = [this](const HttpRequest& r, HttpResponse& out) {
      out = HttpResponse();
      out.status = 413;
      FillBareError(r, out);
    };
    return false;
  }

  void Handle(const HttpRequest& request, HttpResponse& response) override {
    try {
      Route(request, response);
    } catch (...) {
      response = HttpResponse();
      SetConnectError(
          ForClient(absl::InternalError("exception in a handler"), "http"),
          response);
    }
    FillBareError(request, response);
  }

  const HttpHeaders& DefaultHeaders() const override {
    return default_headers_;
  }

 private:
  const HttpRoute* FindRoute(const HttpRequest& request) const {
    for (const HttpRoute& route : routes_) {
      if (route.path == request.path &&
          (route.method == request.method ||
           (route.method == "GET" && request.method == "HEAD"))) {
        return &route;
      }
    }
    return nullptr;
  }

  void Route(const HttpRequest& request, HttpResponse& response) const {
    if (std::optional<std::string> method = RpcMethodName(request.path)) {
      if (request.method == "POST") {
        HandleRpc(*method, request, response);
      } else if (request.method == "OPTIONS") {
        cors_.AnswerPreflight(request, response);
      } else {
        cors_.AnnotateResponse(request, response);
        response.set_header("Allow", "POST, OPTIONS");
        SetConnectError(absl::UnimplementedError("use POST"), 405, response);
      }
      return;
    }
    if (IsGetOrHead(request)) {
      if (const StaticAsset* asset = FindStaticAsset(request.path)) {
        ServeStaticAsset(web_dir_, *asset, response);
        return;
      }
      if (request.path == "/healthz") {
        response.set_header("Cache-Control", "no-store");
        if (ready_ && !ready_()) {
          response.status = 503;
          response.set_content("not serving\n", "text/plain; charset=utf-8");
          return;
        }
        response.set_content("ok\n", "text/plain; charset=utf-8");
        return;
      }
    }
    if (const HttpRoute* route = FindRoute(request)) {
      route->handle(request, response);
      return;
    }
    response.status = 404;
  }

  void HandleRpc(const std::string& name, const HttpRequest& request,
                 HttpResponse& response) const {
    cors_.AnnotateResponse(request, response);
    response.set_header("Cache-Control", "no-store");
    const RpcMethod* method = FindRpcMethod(name);
    if (method == nullptr) {
      SetConnectError(absl::UnimplementedError("no such method"), 404,
                      response);
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
    if (fair_use_ != nullptr) {
      const std::string client = fair_use_->ClientAddress(
          request.remote_addr,
          fair_use_->client_address_header().empty()
              ? std::string()
              : request.get_header_value(fair_use_->client_address_header()));
      absl::Status admitted =
          method->name == std::string_view("CreateSession")
              ? fair_use_->AdmitNewSession(Channel::kWeb, client)
              : fair_use_->AdmitRequest(Channel::kWeb, client);
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
        method->invoke(engine_, request.body, *format);
    if (!body.ok()) {
      SetConnectError(ForClient(body.status(), name), response);
      return;
    }
    response.status = 200;
    response.set_content(std::move(*body), std::string(ContentTypeOf(*format)));
  }

  // Gives error statuses that have no body one: Connect error JSON (with
  // CORS) on RPC paths, "HTTP <status>" elsewhere.
  void FillBareError(const HttpRequest& request, HttpResponse& response) const {
    if (response.status < 400 || !response.body.empty()) return;
    if (IsRpcPath(request.path)) {
      cors_.AnnotateResponse(request, response);
      response.set_header("Cache-Control", "no-store");
      absl::Status status =
          response.status == 413
              ? absl::ResourceExhaustedError("request body too large")
          : response.status == 404 ? absl::UnimplementedError("no such method")
                                   : absl::InvalidArgumentError("bad request");
      response.set_content(ConnectErrorJson(status), "application/json");
    } else {
      response.set_content(absl::StrCat("HTTP ", response.status, "\n"),
                           "text/plain; charset=utf-8");
    }
  }

  Engine& engine_;
  const CorsPolicy cors_;
  const std::string web_dir_;
  const std::function<bool()> ready_;
  FairUse* const fair_use_;
  const std::vector<HttpRoute> routes_;
  const HttpHeaders default_headers_;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& host_port, Engine& engine, const HttpOptions& options) {
  absl::StatusOr<HostPort> address = ParseHostPort(host_port);
  if (!address.ok()) return address.status();
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->router_ = std::make_unique<Router>(engine, options);
  std::vector<std::string> trusted;
  if (options.fair_use != nullptr) {
    trusted = options.fair_use->trusted_proxies();
  }
  absl::StatusOr<std::unique_ptr<HttpListener>> listener =
      HttpListener::Start(address->host, address->port, options.limits,
                          server->router_.get(), std::move(trusted));
  if (!listener.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", host_port, ": ", listener.status().message()));
  }
  server->listener_ = std::move(*listener);
  return server;
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (listener_ != nullptr) listener_->Stop();
}

int HttpServer::port() const { return listener_->port(); }

HttpListenerStats HttpServer::stats() const { return listener_->stats(); }

}  // namespace kneechat

#include "services/http/http_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/http/handler_pool.h"

namespace kneechat {

struct HttpListener::Connection {
  enum class Phase {
    kNew,        // no request yet: the first must arrive in time
    kReceiving,  // a request line is in; the rest must follow in time
    kHandling,   // the request is whole: a handler or the response runs
    kWaiting,    // between requests (keep-alive)
  };
  int fd = -1;
  std::string address;
  bool counted = false;  // in per_address_
  Phase phase = Phase::kNew;
  absl::Time since;
  bool cut = false;
};

struct HttpListener::Request {
  Connection* connection = nullptr;
  HttpRequest request;
  HttpRequestRouter::BodyPlan plan;
  bool started = false;
  bool answered = false;   // a response was queued before the body was read
  bool too_large = false;  // the body is over the limit: thrown away
  uint64_t received = 0;   // body bytes, kept or thrown away
  bool dispatched = false;
  // Written by a handler thread before it resumes the connection.
  std::atomic<bool> ready{false};
  HttpResponse response;
};

namespace {

constexpr absl::Duration kWatchInterval = absl::Milliseconds(100);
// How long Stop() lets responses already being made go out.
constexpr absl::Duration kStopGrace = absl::Seconds(3);
// Near the connection limit, a connection that has waited this long for a
// request may be closed to make room for a new one (a client sends its
// request with the handshake's last packet, so this is generous).
constexpr absl::Duration kRoomGrace = absl::Milliseconds(100);

std::string AddressText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address == nullptr) return std::string();
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr,
              text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    }
  }
  return text;
}

// A listening socket of our own, so the backlog, SO_REUSEADDR (never
// SO_REUSEPORT: a second server must fail to bind) and IPv6 are ours.
absl::StatusOr<int> Listen(const std::string& host, int port, int backlog) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve listen host \"", host, "\""));
  }
  int fd = -1;
  for (addrinfo* at = found; at != nullptr && fd < 0; at = at->ai_next) {
    fd = socket(at->ai_family, at->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                at->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (at->ai_family == AF_INET6) {
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
    }
    if (bind(fd, at->ai_addr, at->ai_addrlen) != 0 ||
        listen(fd, backlog) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port));
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return 0;
  }
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
}

HttpListener::Connection* ConnectionOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info == nullptr
             ? nullptr
             : static_cast<HttpListener::Connection*>(info->socket_context);
}

MHD_Result CollectHeader(void* out, MHD_ValueKind, const char* key,
                         const char* value) {
  static_cast<HttpHeaders*>(out)->emplace_back(key, value ? value : "");
  return MHD_YES;
}

}  // namespace

// The libmicrohttpd callbacks; all run on the event thread.
struct HttpListener::Callbacks {
  static MHD_Result AcceptPolicy(void* cls, const sockaddr* address,
                                 socklen_t) {
    auto* self = static_cast<HttpListener*>(cls);
    const std::string text = AddressText(address);
    absl::MutexLock lock(&self->mu_);
    if (self->stopping_) return MHD_NO;
    if (!self->TrustedProxy(text)) {
      auto it = self->per_address_.find(text);
      if (it != self->per_address_.end() &&
          it->second >= self->limits_.max_connections_per_address) {
        self->stats_.refused_per_address++;
        return MHD_NO;
      }
    }
    // Near the limit, close the connection that has waited longest for a
    // request, so a newcomer gets in; at the limit with none to close,
    // refuse the newcomer.
    const size_t limit = static_cast<size_t>(self->limits_.max_connections);
    if (self->connections_.size() >= limit * 9 / 10) {
      const absl::Time now = absl::Now();
      Connection* idlest = nullptr;
      for (Connection* c : self->connections_) {
        if (c->cut || (c->phase != Connection::Phase::kWaiting &&
                       c->phase != Connection::Phase::kNew)) {
          continue;
        }
        if (now - c->since < kRoomGrace) continue;
        if (idlest == nullptr || c->since < idlest->since) idlest = c;
      }
      if (idlest != nullptr) {
        self->stats_.cut_for_room++;
        self->CutLocked(idlest);
      } else if (self->connections_.size() >= limit) {
        self->stats_.refused_full++;
        return MHD_NO;
      }
    }
    return MHD_YES;
  }

  static void OnConnection(void* cls, MHD_Connection* connection,
                           void** socket_context,
                           MHD_ConnectionNotificationCode event) {
    auto* self = static_cast<HttpListener*>(cls);
    if (event == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* c = new Connection;
      if (const MHD_ConnectionInfo* info = MHD_get_connection_info(
              connection, MHD_CONNECTION_INFO_CONNECTION_FD)) {
        c->fd = info->connect_fd;
      }
      if (const MHD_ConnectionInfo* info = MHD_get_connection_info(
              connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
        c->address = AddressText(info->client_addr);
      }
      c->since = absl::Now();
      *socket_context = c;
      absl::MutexLock lock(&self->mu_);
      self->connections_.insert(c);
      if (!self->TrustedProxy(c->address)) {
        self->per_address_[c->address]++;
        c->counted = true;
      }
      self->stats_.connections_now = self->connections_.size();
      return;
    }
    auto* c = static_cast<Connection*>(*socket_context);
    if (c == nullptr) return;
    {
      // The socket is still open here, so the watchdog never shuts down a
      // descriptor that has been reused.
      absl::MutexLock lock(&self->mu_);
      self->connections_.erase(c);
      if (c->counted) {
        auto it = self->per_address_.find(c->address);
        if (it != self->per_address_.end() && --it->second <= 0) {
          self->per_address_.erase(it);
        }
      }
      self->stats_.connections_now = self->connections_.size();
    }
    delete c;
    *socket_context = nullptr;
  }

  static void* OnRequestLine(void* cls, const char* uri,
                             MHD_Connection* connection) {
    auto* self = static_cast<HttpListener*>(cls);
    auto* request = new Request;
    request->request.target = uri != nullptr ? uri : "";
    request->connection = ConnectionOf(connection);
    if (request->connection != nullptr) {
      absl::MutexLock lock(&self->mu_);
      request->connection->phase = Connection::Phase::kReceiving;
      request->connection->since = absl::Now();
    }
    return request;
  }

  static MHD_Result OnRequest(void* cls, MHD_Connection* connection,
                              const char* url, const char* method, const char*,
                              const char* upload_data, size_t* upload_data_size,
                              void** context) {
    auto* self = static_cast<HttpListener*>(cls);
    auto* request = static_cast<Request*>(*context);
    if (request == nullptr) {  // no request-line callback: should not happen
      request = new Request;
      request->connection = ConnectionOf(connection);
      request->request.target = url;
      *context = request;
    }
    if (!request->started) return Start(self, connection, url, method, request);
    if (request->answered) {  // the rest of the body is thrown away
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      const size_t length = *upload_data_size;
      *upload_data_size = 0;
      request->received += length;
      if (request->received > request->plan.max_body_bytes) {
        request->too_large = true;
        request->request.body.clear();
        request->request.body.shrink_to_fit();
      }
      if (request->received > self->limits_.max_discarded_body_bytes) {
        return MHD_NO;  // not worth reading on: close the connection
      }
      if (!request->too_large)
        request->request.body.append(upload_data, length);
      return MHD_YES;
    }
    if (request->too_large) {
      HttpResponse response;
      request->plan.too_large(request->request, response);
      return Answer(self, connection, request, response, /*close=*/true);
    }
    if (request->ready.load(std::memory_order_acquire)) {
      return Answer(self, connection, request, request->response,
                    request->response.close);
    }
    if (request->dispatched) return MHD_YES;  // resumed early; wait
    return Dispatch(self, connection, request);
  }

  static MHD_Result Start(HttpListener* self, MHD_Connection* connection,
                          const char* url, const char* method,
                          Request* request) {
    request->started = true;
    HttpRequest& r = request->request;
    r.method = method;
    r.path = url;
    if (request->connection != nullptr) {
      r.remote_addr = request->connection->address;
    }
    const int count = MHD_get_connection_values(connection, MHD_HEADER_KIND,
                                                &CollectHeader, &r.headers);
    if (count > self->limits_.max_header_count) {
      {
        absl::MutexLock lock(&self->mu_);
        self->stats_.too_many_headers++;
      }
      HttpResponse response;
      response.status = 431;
      response.set_content("too many header fields\n",
                           "text/plain; charset=utf-8");
      return Answer(self, connection, request, response, /*close=*/true);
    }
    HttpResponse response;
    request->plan.max_body_bytes = self->limits_.max_body_bytes;
    if (self->router_->Screen(r, response, request->plan)) {
      return Answer(self, connection, request, response, /*close=*/true);
    }
    if (request->plan.max_body_bytes == 0 ||
        request->plan.max_body_bytes > self->limits_.max_body_bytes) {
      request->plan.max_body_bytes = self->limits_.max_body_bytes;
    }
    if (!request->plan.too_large) {
      request->plan.too_large = [](const HttpRequest&, HttpResponse& out) {
        out.status = 413;
        out.set_content("request body too large\n",
                        "text/plain; charset=utf-8");
      };
    }
    uint64_t declared = 0;
    if (r.has_header("Content-Length") &&
        absl::SimpleAtoi(r.get_header_value("Content-Length"), &declared) &&
        declared > request->plan.max_body_bytes) {
      if (declared > self->limits_.max_discarded_body_bytes) {
        request->plan.too_large(r, response);
        return Answer(self, connection, request, response, /*close=*/true);
      }
      request->too_large = true;  // read it, throw it away, then 413
    }
    return MHD_YES;
  }

  static MHD_Result Answer(HttpListener* self, MHD_Connection* connection,
                           Request* request, const HttpResponse& response,
                           bool close) {
    if (!request->dispatched) request->answered = true;
    MHD_Response* out = MHD_create_response_from_buffer(
        response.body.size(), const_cast<char*>(response.body.data()),
        MHD_RESPMEM_MUST_COPY);
    if (out == nullptr) return MHD_NO;
    for (const auto& [name, value] : self->router_->DefaultHeaders()) {
      if (!response.has_header(name)) {
        MHD_add_response_header(out, name.c_str(), value.c_str());
      }
    }
    for (const auto& [name, value] : response.headers) {
      MHD_add_response_header(out, name.c_str(), value.c_str());
    }
    if (!response.content_type.empty()) {
      MHD_add_response_header(out, MHD_HTTP_HEADER_CONTENT_TYPE,
                              response.content_type.c_str());
    }
    if (close && !response.has_header("Connection")) {
      MHD_add_response_header(out, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    const MHD_Result queued = MHD_queue_response(
        connection, static_cast<unsigned int>(response.status), out);
    MHD_destroy_response(out);
    return queued;
  }

  static MHD_Result Dispatch(HttpListener* self, MHD_Connection* connection,
                             Request* request) {
    request->dispatched = true;
    {
      absl::MutexLock lock(&self->mu_);
      self->requests_in_flight_++;
      if (request->connection != nullptr) {
        request->connection->phase = Connection::Phase::kHandling;
      }
    }
    MHD_suspend_connection(connection);
    const bool queued = self->handlers_->TrySubmit([self, connection, request] {
      self->router_->Handle(request->request, request->response);
      request->ready.store(true, std::memory_order_release);
      MHD_resume_connection(connection);  // `request` is not touched after
    });
    if (!queued) {
      {
        absl::MutexLock lock(&self->mu_);
        self->stats_.handler_queue_full++;
      }
      request->response = HttpResponse();
      request->response.status = 503;
      request->response.set_header("Retry-After", "1");
      request->response.set_content("busy, retry shortly\n",
                                    "text/plain; charset=utf-8");
      request->ready.store(true, std::memory_order_release);
      MHD_resume_connection(connection);
    }
    return MHD_YES;
  }

  static void OnCompleted(void* cls, MHD_Connection* connection, void** context,
                          MHD_RequestTerminationCode) {
    auto* self = static_cast<HttpListener*>(cls);
    auto* request = static_cast<Request*>(*context);
    *context = nullptr;
    Connection* c = ConnectionOf(connection);
    absl::MutexLock lock(&self->mu_);
    if (request != nullptr && request->dispatched) self->requests_in_flight_--;
    if (c != nullptr) {
      c->phase = Connection::Phase::kWaiting;
      c->since = absl::Now();
    }
    delete request;
  }
};

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Start(
    const std::string& host, int port, const HttpLimits& limits,
    HttpRequestRouter* router, std::vector<std::string> trusted_proxies) {
  absl::StatusOr<int> fd = Listen(host, port, limits.listen_backlog);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<HttpListener> listener(
      new HttpListener(limits, router, std::move(trusted_proxies)));
  listener->port_ = BoundPort(*fd);
  listener->handlers_ = std::make_unique<HandlerPool>(
      limits.handler_threads, static_cast<size_t>(limits.max_queued_requests));
  HttpListener* self = listener.get();
  listener->daemon_ = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC, 0,
      &Callbacks::AcceptPolicy, self, &Callbacks::OnRequest, self,
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(*fd),
      // A backstop: the accept policy keeps to max_connections, and closed
      // connections are counted here until the event thread reaps them.
      MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned int>(limits.max_connections +
                                limits.max_connections / 10 + 16),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      static_cast<size_t>(limits.connection_memory_bytes),
      MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned int>(limits.idle_timeout_seconds),
      MHD_OPTION_NOTIFY_CONNECTION, &Callbacks::OnConnection, self,
      MHD_OPTION_NOTIFY_COMPLETED, &Callbacks::OnCompleted, self,
      MHD_OPTION_URI_LOG_CALLBACK, &Callbacks::OnRequestLine, self,
      MHD_OPTION_END);
  if (listener->daemon_ == nullptr) {
    close(*fd);
    listener->handlers_->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot start the HTTP server on ", host, ":", port));
  }
  listener->watchdog_ = std::thread([self] { self->Watch(); });
  return listener;
}

HttpListener::HttpListener(const HttpLimits& limits, HttpRequestRouter* router,
                           std::vector<std::string> trusted_proxies)
    : limits_(limits),
      router_(router),
      trusted_proxies_(std::move(trusted_proxies)) {}

HttpListener::~HttpListener() { Stop(); }

void HttpListener::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  const MHD_socket listening = MHD_quiesce_daemon(daemon_);
  if (listening != MHD_INVALID_SOCKET) close(listening);
  // Every queued handler runs and resumes its connection; later requests
  // find the pool closed and get 503 at once, so none stays suspended.
  handlers_->Shutdown();
  {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &HttpListener::DrainedLocked),
                         kStopGrace);
  }
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
  {
    absl::MutexLock lock(&mu_);
    watching_ = false;
  }
  if (watchdog_.joinable()) watchdog_.join();
}

HttpListenerStats HttpListener::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

bool HttpListener::TrustedProxy(const std::string& address) const {
  return std::find(trusted_proxies_.begin(), trusted_proxies_.end(), address) !=
         trusted_proxies_.end();
}

void HttpListener::CutLocked(Connection* connection) {
  // The event thread sees the socket end and closes the connection.
  shutdown(connection->fd, SHUT_RDWR);
  connection->cut = true;
}

void HttpListener::Watch() {
  const absl::Duration deadline =
      absl::Seconds(limits_.request_deadline_seconds);
  const absl::Duration idle = absl::Seconds(limits_.idle_timeout_seconds);
  absl::MutexLock lock(&mu_);
  while (true) {
    if (mu_.AwaitWithTimeout(absl::Condition(this, &HttpListener::DoneLocked),
                             kWatchInterval)) {
      break;
    }
    const absl::Time now = absl::Now();
    for (Connection* c : connections_) {
      if (c->cut) continue;
      switch (c->phase) {
        case Connection::Phase::kNew:
        case Connection::Phase::kReceiving:
          if (now - c->since > deadline) {
            stats_.cut_request_deadline++;
            CutLocked(c);
          }
          break;
        case Connection::Phase::kWaiting:
          if (now - c->since > idle) {
            stats_.cut_idle++;
            CutLocked(c);
          }
          break;
        case Connection::Phase::kHandling:
          break;  // a handler runs, or the response is being sent
      }
    }
  }
}

}  // namespace kneechat

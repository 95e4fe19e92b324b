// One HTTP request and its response as kneechat's handlers see them,
// independent of the server library, and the routes other modules (the
// channel webhooks) add to the HTTP front end.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"

namespace kneechat {

// Header names compare without regard to case; values are as received.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

inline bool SameHeaderName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A request whose headers (and, for a handler, body) have been received in
// full. Plain data; not thread-safe.
struct HttpRequest {
  std::string method;       // "GET", "POST", ...
  std::string path;         // percent-decoded, without the query string
  std::string target;       // as sent on the request line: path and query
  std::string remote_addr;  // the peer's address, "127.0.0.1" or "::1"
  HttpHeaders headers;
  std::string body;

  bool has_header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (SameHeaderName(key, name)) return true;
    }
    return false;
  }
  // The first value of header `name`; "" when absent.
  std::string get_header_value(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (SameHeaderName(key, name)) return value;
    }
    return std::string();
  }
};

// What a handler answers. `status` 0 means the handler did not answer (the
// front end answers 404). Plain data; not thread-safe.
struct HttpResponse {
  int status = 200;
  HttpHeaders headers;  // besides Content-Type and Content-Length
  std::string body;
  std::string content_type;
  // Close the connection after the response (always done when the request
  // body was not read in full).
  bool close = false;

  // Replaces header `name` if present.
  void set_header(std::string_view name, std::string value) {
    for (auto& [key, old] : headers) {
      if (SameHeaderName(key, name)) {
        old = std::move(value);
        return;
      }
    }
    headers.emplace_back(std::string(name), std::move(value));
  }
  bool has_header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (SameHeaderName(key, name)) return true;
    }
    return false;
  }
  std::string get_header_value(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (SameHeaderName(key, name)) return value;
    }
    return std::string();
  }
  void set_content(std::string content, std::string type) {
    body = std::move(content);
    content_type = std::move(type);
  }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

// A route added by another module. Handlers run on the front end's handler
// threads, several at once: they must be thread-safe.
struct HttpRoute {
  std::string method = "POST";  // "GET" routes answer HEAD too
  std::string path;             // exact, e.g. "/webhooks/telegram"
  // A body longer than this (declared or sent) is never read or buffered:
  // `too_large` answers and the connection is closed. 0: the server's limit.
  size_t max_body_bytes = 0;
  // Optional. Runs on the headers alone, before any of the body is read
  // (e.g. to refuse a request without its secret); returns true when it
  // has answered, and the connection is then closed.
  std::function<bool(const HttpRequest&, HttpResponse&)> screen;
  // Optional answer for a body over the limit (default: 413).
  std::function<void(HttpResponse&)> too_large;
  // Answers the request; `request.body` holds the whole body.
  HttpHandler handle;
};

}  // namespace kneechat

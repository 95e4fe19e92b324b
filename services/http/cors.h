// Cross-origin access to the Connect API for the web widget on a clinic's
// own site (connectrpc.com/docs/cors). Only configured origins are allowed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/http/http_message.h"

namespace kneechat {

// Immutable after construction; safe to share between threads.
class CorsPolicy {
 public:
  // `allowed_origins` are exact origins such as "https://clinic.example"
  // (scheme://host[:port], case and a trailing '/' ignored); "*" allows any
  // origin. Empty: no cross-origin access (same-origin only).
  explicit CorsPolicy(const std::vector<std::string>& allowed_origins);

  bool Allows(std::string_view origin) const;

  // For a request from an allowed origin, adds Access-Control-Allow-Origin
  // and the exposed headers. Always adds `Vary: Origin`.
  void AnnotateResponse(const HttpRequest& request,
                        HttpResponse& response) const;

  // Answers an OPTIONS preflight: 204 with the allowed method and headers
  // for an allowed origin asking for POST; 403 otherwise.
  void AnswerPreflight(const HttpRequest& request,
                       HttpResponse& response) const;

 private:
  std::vector<std::string> origins_;  // normalised
  bool any_ = false;
};

}  // namespace kneechat

#include "services/http/cors.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace kneechat {
namespace {

constexpr char kVary[] =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
constexpr char kAllowHeaders[] =
    "Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms";
constexpr char kExposeHeaders[] = "Content-Type";
constexpr char kMaxAgeSeconds[] = "7200";

std::string Normalise(std::string_view origin) {
  std::string out(origin);
  absl::StripAsciiWhitespace(&out);
  absl::AsciiStrToLower(&out);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

CorsPolicy::CorsPolicy(const std::vector<std::string>& allowed_origins) {
  for (const std::string& origin : allowed_origins) {
    if (Normalise(origin) == "*") {
      any_ = true;
    } else if (!Normalise(origin).empty()) {
      origins_.push_back(Normalise(origin));
    }
  }
}

bool CorsPolicy::Allows(std::string_view origin) const {
  if (origin.empty() || origin == "null") return false;
  if (any_) return true;
  return std::find(origins_.begin(), origins_.end(), Normalise(origin)) !=
         origins_.end();
}

void CorsPolicy::AnnotateResponse(const HttpRequest& request,
                                  HttpResponse& response) const {
  response.set_header("Vary", kVary);
  const std::string origin = request.get_header_value("Origin");
  if (!Allows(origin)) return;
  response.set_header("Access-Control-Allow-Origin", origin);
  response.set_header("Access-Control-Expose-Headers", kExposeHeaders);
}

void CorsPolicy::AnswerPreflight(const HttpRequest& request,
                                 HttpResponse& response) const {
  response.set_header("Vary", kVary);
  const std::string origin = request.get_header_value("Origin");
  const std::string method =
      request.get_header_value("Access-Control-Request-Method");
  if (!Allows(origin) || method != "POST") {
    response.status = 403;
    response.set_content("cross-origin request not allowed\n",
                         "text/plain; charset=utf-8");
    return;
  }
  response.status = 204;
  response.set_header("Access-Control-Allow-Origin", origin);
  response.set_header("Access-Control-Allow-Methods", "POST");
  response.set_header("Access-Control-Allow-Headers", kAllowHeaders);
  response.set_header("Access-Control-Max-Age", kMaxAgeSeconds);
}

}  // namespace kneechat

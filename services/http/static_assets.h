// The web widget's files, served from a fixed allow-list (no directory
// listing, no path taken from the request), each with its security headers.
#pragma once

#include <string>
#include <string_view>

#include "services/http/http_message.h"

namespace kneechat {

struct StaticAsset {
  std::string_view url_path;   // "/widget.js"
  std::string_view file_name;  // "widget.js", inside the web directory
  std::string_view content_type;
  bool is_page;  // an HTML page: gets the strict Content-Security-Policy
};

// The served assets: "/" (the demo page), "/widget.js", "/widget.css" and
// "/demo.css".
const StaticAsset* FindStaticAsset(std::string_view url_path);
// All of them, for route registration.
const StaticAsset* StaticAssetsBegin();
const StaticAsset* StaticAssetsEnd();

// The demo page's Content-Security-Policy: scripts, styles and fetches from
// its own origin only, no inline script, and no framing.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// Reads `asset` from `web_dir` into `response` with its content type and
// headers. 404 when the file is missing or unreadable.
void ServeStaticAsset(const std::string& web_dir, const StaticAsset& asset,
                      HttpResponse& response);

}  // namespace kneechat

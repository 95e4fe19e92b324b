#include "services/http/static_assets.h"

#include <fstream>
#include <sstream>

namespace kneechat {
namespace {

constexpr StaticAsset kAssets[] = {
    {"/", "index.html", "text/html; charset=utf-8", true},
    {"/widget.js", "widget.js", "text/javascript; charset=utf-8", false},
    {"/widget.css", "widget.css", "text/css; charset=utf-8", false},
    {"/demo.css", "demo.css", "text/css; charset=utf-8", false},
};

}  // namespace

const StaticAsset* FindStaticAsset(std::string_view url_path) {
  for (const StaticAsset& asset : kAssets) {
    if (asset.url_path == url_path) return &asset;
  }
  return nullptr;
}

const StaticAsset* StaticAssetsBegin() { return std::begin(kAssets); }
const StaticAsset* StaticAssetsEnd() { return std::end(kAssets); }

void ServeStaticAsset(const std::string& web_dir, const StaticAsset& asset,
                      HttpResponse& response) {
  std::ifstream file(web_dir + "/" + std::string(asset.file_name),
                     std::ios::binary);
  std::ostringstream content;
  if (!file || !(content << file.rdbuf())) {
    response.status = 404;
    response.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  // Revalidate on every load so a deployment's new widget is picked up.
  response.set_header("Cache-Control", "no-cache");
  if (asset.is_page) {
    response.set_header("Content-Security-Policy",
                        std::string(kPageContentSecurityPolicy));
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Permissions-Policy",
                        "camera=(), microphone=(), geolocation=()");
  } else {
    // Embedded by clinic sites on other origins.
    response.set_header("Cross-Origin-Resource-Policy", "cross-origin");
    response.set_header("Access-Control-Allow-Origin", "*");
  }
  response.set_content(content.str(), std::string(asset.content_type));
}

}  // namespace kneechat

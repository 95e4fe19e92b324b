#include "services/outbound/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace kneechat {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t length = size * count;
  const size_t room = HttpTransport::kMaxAnswerBytes - body->size();
  body->append(data, std::min(length, room));
  return length;  // the rest is read and dropped
}

size_t KeepRetryAfter(char* data, size_t size, size_t count, void* user) {
  auto* retry_after = static_cast<std::optional<std::string>*>(user);
  absl::string_view line(data, size * count);
  constexpr absl::string_view kName = "retry-after:";
  if (line.size() > kName.size() && absl::StartsWithIgnoreCase(line, kName)) {
    *retry_after =
        std::string(absl::StripAsciiWhitespace(line.substr(kName.size())));
  }
  return size * count;
}

}  // namespace

struct CurlTransport::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)) {
  GlobalInitOnce();
}

CurlTransport::~CurlTransport() = default;

std::unique_ptr<CurlTransport::Handle> CurlTransport::Take() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Handle> handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  handle->curl = curl_easy_init();
  return handle;
}

void CurlTransport::Give(std::unique_ptr<Handle> handle) {
  absl::MutexLock lock(&mu_);
  if (idle_.size() < options_.max_idle_handles) {
    idle_.push_back(std::move(handle));
  }
}

int64_t CurlTransport::connections_opened() const {
  absl::MutexLock lock(&mu_);
  return connections_opened_;
}

absl::StatusOr<HttpAnswer> CurlTransport::Post(const HttpPost& post,
                                               absl::Duration timeout) {
  if (!absl::StartsWith(post.url, "http://") &&
      !absl::StartsWith(post.url, "https://")) {
    return absl::InvalidArgumentError(
        "URL must start with http:// or https://");
  }
  std::unique_ptr<Handle> handle = Take();
  CURL* curl = handle->curl;
  if (curl == nullptr) return absl::UnavailableError("curl_easy_init failed");
  curl_easy_reset(curl);  // options only; the connection cache stays

  HttpAnswer answer;
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(
      headers, absl::StrCat("Content-Type: ", post.content_type).c_str());
  // No "Expect: 100-continue" round trip: the body goes with the headers.
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& [name, value] : post.headers) {
    headers =
        curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
  }
  const long timeout_ms =
      std::max<long>(1, static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  const long connect_ms = std::max<long>(
      1, std::min<long>(timeout_ms,
                        absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(curl, CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, KeepRetryAfter);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.retry_after);

  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  {
    absl::MutexLock lock(&mu_);
    connections_opened_ += connects;
  }
  if (code != CURLE_OK) {
    // A connection that failed mid-call is not reused: drop the handle.
    return absl::UnavailableError(curl_easy_strerror(code));
  }
  Give(std::move(handle));
  answer.status = static_cast<int>(status);
  return answer;
}

}  // namespace kneechat

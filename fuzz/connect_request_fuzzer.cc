// Fuzzes Connect request decoding (services/http/rpc_methods): any body, in
// JSON or binary protobuf, for each KneeChat method, must decode or give
// INVALID_ARGUMENT, and the echoed response must encode. Also fuzzes the
// Content-Type reader.
//
// Input: the first byte picks the method and the encoding; the rest is the
// body (and, for selector 0xff, a Content-Type).
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/echo_engine.h"
#include "services/http/rpc_methods.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // libprotobuf logs every string field with invalid UTF-8 it parses; the
  // server routes that to its log (error_policy.h), here it is noise.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  if (data[0] == 0xff) {
    kneechat::WireFormatFromContentType(body);
    return 0;
  }
  static const char* const kMethods[] = {
      "CreateSession", "SendMessage", "GetSession", "DeleteSession", "Search"};
  const kneechat::RpcMethod* method = kneechat::FindRpcMethod(
      kMethods[(data[0] >> 1) % (sizeof(kMethods) / sizeof(kMethods[0]))]);
  Check(method != nullptr);
  const kneechat::WireFormat format = (data[0] & 1) != 0
                                          ? kneechat::WireFormat::kProto
                                          : kneechat::WireFormat::kJson;
  kneechat::fuzz::EchoEngine engine;
  absl::StatusOr<std::string> response = method->invoke(engine, body, format);
  if (!response.ok()) {
    Check(response.status().code() == absl::StatusCode::kInvalidArgument ||
          response.status().code() == absl::StatusCode::kNotFound);
  }
  return 0;
}

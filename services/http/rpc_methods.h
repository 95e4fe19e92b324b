// The kneechat.v1.KneeChat unary methods as the Connect protocol carries them:
// a request body in JSON (proto3 JSON mapping) or binary protobuf in, the
// response in the same encoding out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/engine/engine.h"

namespace kneechat {

enum class WireFormat { kJson, kProto };

// The format for a request Content-Type: "application/json" (charset utf-8 or
// none) or "application/proto"; nullopt for anything else.
std::optional<WireFormat> WireFormatFromContentType(
    std::string_view content_type);

// The Content-Type a response in `format` is sent with.
std::string_view ContentTypeOf(WireFormat format);

// One unary method. Immutable; safe to share between threads.
struct RpcMethod {
  std::string_view name;  // e.g. "SendMessage"
  // Decodes `body`, calls the engine and encodes its response. Errors:
  // kInvalidArgument when the body does not decode (the message never
  // echoes the body), otherwise the engine's status.
  absl::StatusOr<std::string> (*invoke)(Engine& engine, std::string_view body,
                                        WireFormat format);
};

// The method called `name`, or null when KneeChat has no such method.
const RpcMethod* FindRpcMethod(std::string_view name);

// "/kneechat.v1.KneeChat/": the path prefix of every method.
inline constexpr std::string_view kRpcPathPrefix = "/kneechat.v1.KneeChat/";

}  // namespace kneechat

#include "services/http/rpc_methods.h"

#include <google/protobuf/util/json_util.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kneechat {
namespace {

template <typename Request>
absl::Status Decode(std::string_view body, WireFormat format,
                    Request* request) {
  if (format == WireFormat::kProto) {
    if (!request->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request body is not a valid ", Request::descriptor()->full_name()));
    }
    return absl::OkStatus();
  }
  // An empty body is the empty message, as for binary protobuf.
  if (absl::StripAsciiWhitespace(absl::string_view(body.data(), body.size()))
          .empty()) {
    return absl::OkStatus();
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  // The parser's own message quotes the input around the error, so it is
  // replaced: user text must not come back in errors.
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(body.data(), body.size()), request,
           options)
           .ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request body is not valid JSON for ",
                     Request::descriptor()->full_name()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Encode(const google::protobuf::Message& response,
                                   WireFormat format) {
  std::string out;
  if (format == WireFormat::kProto) {
    if (!response.SerializeToString(&out)) {
      return absl::InternalError("cannot serialize the response");
    }
    return out;
  }
  google::protobuf::util::JsonPrintOptions options;  // lowerCamelCase names
  if (!google::protobuf::util::MessageToJsonString(response, &out, options)
           .ok()) {
    return absl::InternalError("cannot print the response as JSON");
  }
  return out;
}

template <typename Request, typename Response,
          absl::StatusOr<Response> (Engine::*Method)(const Request&)>
absl::StatusOr<std::string> Invoke(Engine& engine, std::string_view body,
                                   WireFormat format) {
  Request request;
  if (absl::Status s = Decode(body, format, &request); !s.ok()) return s;
  absl::StatusOr<Response> response = (engine.*Method)(request);
  if (!response.ok()) return response.status();
  return Encode(*response, format);
}

constexpr RpcMethod kMethods[] = {
    {"CreateSession",
     &Invoke<v1::CreateSessionRequest, v1::CreateSessionResponse,
             &Engine::CreateSession>},
    {"SendMessage", &Invoke<v1::SendMessageRequest, v1::SendMessageResponse,
                            &Engine::SendMessage>},
    {"GetSession", &Invoke<v1::GetSessionRequest, v1::GetSessionResponse,
                           &Engine::GetSession>},
    {"DeleteSession",
     &Invoke<v1::DeleteSessionRequest, v1::DeleteSessionResponse,
             &Engine::DeleteSession>},
    {"Search", &Invoke<v1::SearchRequest, v1::SearchResponse, &Engine::Search>},
    {"GetHandoff", &Invoke<v1::GetHandoffRequest, v1::GetHandoffResponse,
                           &Engine::GetHandoff>},
};

}  // namespace

std::optional<WireFormat> WireFormatFromContentType(
    std::string_view content_type) {
  std::vector<std::string> parts = absl::StrSplit(
      absl::string_view(content_type.data(), content_type.size()), ';');
  for (std::string& part : parts) {
    absl::StripAsciiWhitespace(&part);
    absl::AsciiStrToLower(&part);
  }
  const std::string& media = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& param = parts[i];
    if (param != "charset=utf-8" && param != "charset=\"utf-8\"") {
      return std::nullopt;
    }
  }
  if (media == "application/json") return WireFormat::kJson;
  if (media == "application/proto" && parts.size() == 1) {
    return WireFormat::kProto;
  }
  return std::nullopt;
}

std::string_view ContentTypeOf(WireFormat format) {
  return format == WireFormat::kProto ? "application/proto"
                                      : "application/json";
}

const RpcMethod* FindRpcMethod(std::string_view name) {
  for (const RpcMethod& method : kMethods) {
    if (method.name == name) return &method;
  }
  return nullptr;
}

}  // namespace kneechat

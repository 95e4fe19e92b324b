// Converts kneechat.v1 messages to and from gRPC wire buffers.
//
// The service decodes requests itself rather than letting gRPC do it: gRPC
// answers a request it cannot parse with a bare UNIMPLEMENTED, while a client
// that sends malformed bytes, or text that is not UTF-8, deserves
// INVALID_ARGUMENT and a message naming the field.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace kneechat {

// Parses `wire` into `request`. Returns kInvalidArgument naming the field
// when a top-level string field is not valid UTF-8, or naming the message
// type when the bytes are not a well-formed message. Never logs the content.
absl::Status DecodeRequest(const grpc::ByteBuffer& wire,
                           google::protobuf::Message& request);

// Serialises `response` into `wire`. Returns kInternal if serialisation
// fails.
absl::Status EncodeResponse(const google::protobuf::Message& response,
                            grpc::ByteBuffer& wire);

}  // namespace kneechat

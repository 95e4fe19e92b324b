#include "services/grpc/wire_codec.h"

#include <grpcpp/support/proto_buffer_writer.h>
#include <grpcpp/support/slice.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

absl::Status Malformed(const google::protobuf::Message& request) {
  return absl::InvalidArgumentError(absl::StrCat(
      "request is not a well-formed ", request.GetDescriptor()->full_name()));
}

// Names the first top-level string field whose bytes are not UTF-8, so the
// protobuf parser (which would reject it with a log line) never sees it.
absl::Status CheckStringFields(const google::protobuf::UnknownFieldSet& fields,
                               const google::protobuf::Descriptor& descriptor) {
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    const google::protobuf::FieldDescriptor* declared =
        descriptor.FindFieldByNumber(field.number());
    if (declared != nullptr &&
        declared->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !IsValidUtf8(field.length_delimited())) {
      return absl::InvalidArgumentError(
          absl::StrCat(declared->name(), " is not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeRequest(const grpc::ByteBuffer& wire,
                           google::protobuf::Message& request) {
  std::string bytes;  // A buffer that was never filled holds no bytes.
  if (wire.Valid()) {
    grpc::Slice slice;
    if (!wire.DumpToSingleSlice(&slice).ok()) return Malformed(request);
    bytes.assign(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) return Malformed(request);
  absl::Status strings = CheckStringFields(fields, *request.GetDescriptor());
  if (!strings.ok()) return strings;
  if (!request.ParseFromString(bytes)) return Malformed(request);
  return absl::OkStatus();
}

absl::Status EncodeResponse(const google::protobuf::Message& response,
                            grpc::ByteBuffer& wire) {
  wire.Clear();
  grpc::ProtoBufferWriter writer(&wire, grpc::kProtoBufferWriterMaxBufferLength,
                                 static_cast<int>(response.ByteSizeLong()));
  if (!response.SerializeToZeroCopyStream(&writer)) {
    return absl::InternalError(absl::StrCat(
        "cannot serialise ", response.GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

}  // namespace kneechat

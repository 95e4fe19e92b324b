#include "services/grpc/wire_codec.h"

#include <grpcpp/support/proto_buffer_writer.h>
#include <grpcpp/support/slice.h>

#include <climits>
#include <cstdint>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

absl::Status Malformed(const google::protobuf::Message& request) {
  return absl::InvalidArgumentError(absl::StrCat(
      "request is not a well-formed ", request.GetDescriptor()->full_name()));
}

// Names the first top-level string field whose bytes are not UTF-8, so the
// protobuf parser (which would reject it with a log line) never sees it.
// Reads the wire format in place, without copying a field.
absl::Status CheckStringFields(const uint8_t* data, size_t size,
                               const google::protobuf::Message& request) {
  using google::protobuf::internal::WireFormatLite;
  const google::protobuf::Descriptor& descriptor = *request.GetDescriptor();
  google::protobuf::io::CodedInputStream in(data, static_cast<int>(size));
  while (true) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) {
      return static_cast<size_t>(in.CurrentPosition()) == size
                 ? absl::OkStatus()
                 : Malformed(request);
    }
    if (WireFormatLite::GetTagWireType(tag) !=
        WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return Malformed(request);
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) return Malformed(request);
    const size_t at = static_cast<size_t>(in.CurrentPosition());
    if (length > size - at) return Malformed(request);
    const google::protobuf::FieldDescriptor* declared =
        descriptor.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (declared != nullptr &&
        declared->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !IsValidUtf8(std::string_view(reinterpret_cast<const char*>(data + at),
                                      length))) {
      return absl::InvalidArgumentError(
          absl::StrCat(declared->name(), " is not valid UTF-8"));
    }
    if (!in.Skip(static_cast<int>(length))) return Malformed(request);
  }
}

}  // namespace

absl::Status DecodeRequest(const grpc::ByteBuffer& wire,
                           google::protobuf::Message& request) {
  grpc::Slice slice;  // A buffer that was never filled holds no bytes.
  if (wire.Valid() && !wire.DumpToSingleSlice(&slice).ok()) {
    return Malformed(request);
  }
  if (slice.size() > static_cast<size_t>(INT_MAX)) return Malformed(request);
  absl::Status strings =
      CheckStringFields(slice.begin(), slice.size(), request);
  if (!strings.ok()) return strings;
  if (!request.ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
    return Malformed(request);
  }
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

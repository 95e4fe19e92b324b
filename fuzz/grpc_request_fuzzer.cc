// Fuzzes gRPC request decoding (services/grpc/wire_codec): any bytes, as
// each KneeChat request type, must decode or give INVALID_ARGUMENT; a
// decoded request must encode again.
//
// Input: the first byte picks the request type; the rest is the wire
// buffer, split into two slices at a point the second byte picks (gRPC
// hands over messages in several slices).
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "kneechat/v1/kneechat.pb.h"
#include "services/grpc/wire_codec.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

std::unique_ptr<google::protobuf::Message> RequestFor(uint8_t selector) {
  switch (selector % 5) {
    case 0:
      return std::make_unique<kneechat::v1::CreateSessionRequest>();
    case 1:
      return std::make_unique<kneechat::v1::SendMessageRequest>();
    case 2:
      return std::make_unique<kneechat::v1::GetSessionRequest>();
    case 3:
      return std::make_unique<kneechat::v1::DeleteSessionRequest>();
    default:
      return std::make_unique<kneechat::v1::SearchRequest>();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // libprotobuf logs every string field with invalid UTF-8 it parses; the
  // server routes that to its log (error_policy.h), here it is noise.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::unique_ptr<google::protobuf::Message> request = RequestFor(data[0]);
  const char* bytes = reinterpret_cast<const char*>(data + 2);
  const size_t length = size - 2;
  const size_t split = length == 0 ? 0 : data[1] % (length + 1);
  grpc::Slice slices[] = {grpc::Slice(bytes, split),
                          grpc::Slice(bytes + split, length - split)};
  const grpc::ByteBuffer wire(slices, 2);
  const absl::Status status = kneechat::DecodeRequest(wire, *request);
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  grpc::ByteBuffer encoded;
  Check(kneechat::EncodeResponse(*request, encoded).ok());
  return 0;
}

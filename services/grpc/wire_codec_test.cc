#include "services/grpc/wire_codec.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {
namespace {

grpc::ByteBuffer Wire(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// SendMessageRequest with field 2 (text) set to raw `text` bytes.
std::string EncodeText(const std::string& text) {
  return std::string("\x12", 1) + static_cast<char>(text.size()) + text;
}

TEST(WireCodecTest, DecodesAWellFormedRequest) {
  v1::SendMessageRequest sent;
  sent.set_session_id("s1");
  sent.set_text("my knee hurts");
  sent.set_message_id("m1");
  v1::SendMessageRequest decoded;
  ASSERT_TRUE(DecodeRequest(Wire(sent.SerializeAsString()), decoded).ok());
  EXPECT_EQ(decoded.session_id(), "s1");
  EXPECT_EQ(decoded.text(), "my knee hurts");
  EXPECT_EQ(decoded.message_id(), "m1");
}

TEST(WireCodecTest, EmptyBufferIsTheDefaultRequest) {
  v1::SearchRequest decoded;
  decoded.set_query("stale");
  ASSERT_TRUE(DecodeRequest(grpc::ByteBuffer(), decoded).ok());
  EXPECT_EQ(decoded.query(), "");
}

TEST(WireCodecTest, InvalidUtf8NamesTheField) {
  v1::SendMessageRequest decoded;
  const absl::Status status =
      DecodeRequest(Wire(EncodeText("knee \xff\xfe")), decoded);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "text is not valid UTF-8");
}

TEST(WireCodecTest, ValidMultibyteUtf8IsAccepted) {
  v1::SendMessageRequest decoded;
  ASSERT_TRUE(
      DecodeRequest(Wire(EncodeText("genou \xc3\xa9 \xe2\x80\x99")), decoded)
          .ok());
  EXPECT_EQ(decoded.text(), "genou \xc3\xa9 \xe2\x80\x99");
}

TEST(WireCodecTest, MalformedBytesNameTheMessageType) {
  v1::SendMessageRequest decoded;
  // A length-delimited field claiming 100 bytes with only 3 present.
  const absl::Status status = DecodeRequest(Wire(std::string("\x12\x64"
                                                             "abc",
                                                             5)),
                                            decoded);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("kneechat.v1.SendMessageRequest"),
            absl::string_view::npos);
}

TEST(WireCodecTest, NamesTheFirstStringFieldThatIsNotUtf8) {
  v1::SendMessageRequest request;
  request.set_session_id("s1");
  request.set_text("fine");
  std::string bytes = request.SerializeAsString();
  bytes += std::string("\x1a\x02\xc3\x28", 4);  // message_id (3): bad UTF-8
  v1::SendMessageRequest decoded;
  const absl::Status status = DecodeRequest(Wire(bytes), decoded);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "message_id is not valid UTF-8");
}

TEST(WireCodecTest, AnUnknownFieldIsNotReadAsText) {
  // Field 15, length-delimited, bytes that are not UTF-8; then text.
  std::string bytes("\x7a\x02\xff\xfe", 4);
  bytes += EncodeText("knee");
  v1::SendMessageRequest decoded;
  ASSERT_TRUE(DecodeRequest(Wire(bytes), decoded).ok());
  EXPECT_EQ(decoded.text(), "knee");
}

TEST(WireCodecTest, ATruncatedOrZeroTagIsMalformed) {
  for (const std::string& bytes :
       {std::string("\x08", 1), std::string("\x08\x96", 2),
        std::string("\x00\x01", 2), std::string("\x12", 1)}) {
    v1::SendMessageRequest decoded;
    const absl::Status status = DecodeRequest(Wire(bytes), decoded);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << absl::CEscape(bytes);
  }
}

TEST(WireCodecTest, EncodeThenDecodeRoundTrips) {
  v1::SendMessageResponse response;
  response.mutable_reply()->set_kind(v1::REPLY_KIND_ANSWER);
  response.mutable_reply()->set_text(std::string(100000, 'k'));
  grpc::ByteBuffer wire;
  ASSERT_TRUE(EncodeResponse(response, wire).ok());
  v1::SendMessageResponse decoded;
  ASSERT_TRUE(DecodeRequest(wire, decoded).ok());
  EXPECT_EQ(decoded.reply().text().size(), 100000u);
  EXPECT_EQ(decoded.reply().kind(), v1::REPLY_KIND_ANSWER);
}

}  // namespace
}  // namespace kneechat
